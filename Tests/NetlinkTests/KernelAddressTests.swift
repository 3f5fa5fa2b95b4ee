import HAKitTestSupport
import Netlink
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Adding and deleting addresses against the real kernel, each test inside a namespace of its own.
@Suite("Kernel: addresses")
struct KernelAddressTests {
    @Test("add with label and broadcast, see it in ip and in our dump, refuse a duplicate, delete")
    func addDelete() throws {
        try TestNamespace.with("addr-\(#line)") { namespace in
            try namespace.addVethPair("v0", "v1")
            let socket = try namespace.socket()
            let v0 = try #require(try socket.link(named: "v0"))
            let address = IPv4Address(203, 0, 113, 10)

            try socket.addAddress(
                address,
                prefixLength: 24,
                broadcast: IPv4Address(203, 0, 113, 255),
                label: "v0:vip",
                interfaceIndex: v0.index
            )
            let shown = try namespace.ip("-4", "-o", "addr", "show", "dev", "v0")
            #expect(shown.contains("inet 203.0.113.10/24 brd 203.0.113.255 scope global v0:vip"))

            let entries = try socket.addresses().filter { $0.interfaceIndex == v0.index }
            #expect(
                entries == [
                    AddressEntry(
                        interfaceIndex: v0.index,
                        address: address,
                        prefixLength: 24,
                        broadcast: IPv4Address(203, 0, 113, 255),
                        label: "v0:vip",
                        scope: .universe,
                        flags: .permanent,
                        preferredLifetime: .forever,
                        validLifetime: .forever
                    )
                ]
            )

            let duplicate = #expect(throws: NetlinkError.self) {
                try socket.addAddress(address, prefixLength: 24, interfaceIndex: v0.index)
            }
            #expect(duplicate?.errno == EEXIST)
            #expect(duplicate?.operation == "adding 203.0.113.10/24 to v0")
            #expect(duplicate?.description.hasPrefix("adding 203.0.113.10/24 to v0: File exists") == true)

            try socket.deleteAddress(address, prefixLength: 24, interfaceIndex: v0.index)
            #expect(try namespace.ip("-4", "-o", "addr", "show", "dev", "v0").isEmpty)
            #expect(try socket.addresses().filter { $0.interfaceIndex == v0.index }.isEmpty)

            let absent = #expect(throws: NetlinkError.self) {
                try socket.deleteAddress(address, prefixLength: 24, interfaceIndex: v0.index)
            }
            #expect(absent?.errno == EADDRNOTAVAIL)
            #expect(
                absent?.description.hasPrefix("deleting 203.0.113.10/24 from v0: Cannot assign requested address")
                    == true
            )
        }
    }

    @Test("noprefixroute, lifetimes, and no broadcast")
    func flagsAndLifetime() throws {
        try TestNamespace.with("flags-\(#line)") { namespace in
            try namespace.addVethPair("v0", "v1")
            let socket = try namespace.socket()
            let v0 = try #require(try socket.link(named: "v0"))

            try socket.addAddress(
                IPv4Address(198, 51, 100, 5),
                prefixLength: 24,
                interfaceIndex: v0.index,
                flags: .noPrefixRoute,
                preferredLifetime: .seconds(300),
                validLifetime: .seconds(600)
            )
            let shown = try namespace.ip("-4", "-o", "addr", "show", "dev", "v0")
            #expect(shown.contains("inet 198.51.100.5/24 scope global dynamic noprefixroute v0"))
            #expect(shown.contains("valid_lft 600sec preferred_lft 300sec") || shown.contains("valid_lft 599sec"))

            let entry = try #require(try socket.addresses().first { $0.address == IPv4Address(198, 51, 100, 5) })
            #expect(entry.flags.contains(.noPrefixRoute) && !entry.flags.contains(.permanent))
            #expect(entry.broadcast == nil)
            #expect((298...300).contains(entry.preferredLifetime.rawValue))
            #expect((598...600).contains(entry.validLifetime.rawValue))
            // No prefix route: the main table has nothing for 198.51.100.0/24.
            #expect(try socket.routes().filter { $0.destination == IPv4Address(198, 51, 100, 0) }.isEmpty)
            #expect(try namespace.ip("-4", "route", "show", "table", "main").isEmpty)
        }
    }

    @Test("the kernel's extended-ack text comes through")
    func extendedAck() throws {
        try TestNamespace.with("extack-\(#line)") { namespace in
            try namespace.addVethPair("v0", "v1")
            let socket = try namespace.socket()
            let v0 = try #require(try socket.link(named: "v0"))
            // IFA_LABEL is limited to IFNAMSIZ - 1 bytes by the kernel's attribute policy.
            let error = #expect(throws: NetlinkError.self) {
                try socket.addAddress(
                    IPv4Address(192, 0, 2, 7),
                    prefixLength: 24,
                    label: "v0:label-far-too-long",
                    interfaceIndex: v0.index
                )
            }
            #expect(error?.operation == "adding 192.0.2.7/24 to v0")
            #expect(error?.errno == ERANGE)
            #expect(error?.extendedAck == "Attribute failed policy validation")
            // The socket still works after a refusal: lo is up, so 127.0.0.1 is listed.
            #expect(try socket.addresses().contains { $0.address == IPv4Address(127, 0, 0, 1) })
        }
    }
}
