import HAKitTestSupport
import Netlink
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// IPv6 addresses and routes against the real kernel, each test inside an `hk6-nl-…` namespace.
@Suite("Kernel: IPv6")
struct KernelIPv6Tests {
    static func with<T>(_ tag: String, _ body: (TestNamespace) throws -> T) throws -> T {
        try TestNamespace.with(prefix: "hk6-nl", tag, body)
    }

    /// The entry of `address` after DAD has settled (no longer tentative, or failed), within 5 s.
    static func settled(_ socket: NetlinkSocket, _ address: IPv6Address, on index: Int32? = nil) throws -> IPv6AddressEntry? {
        for _ in 0..<100 {
            if let entry = try socket.ipv6Addresses().first(where: {
                $0.address == address && (index == nil || $0.interfaceIndex == index)
            }), !entry.flags.contains(.tentative) || entry.flags.contains(.dadFailed) {
                return entry
            }
            usleep(50_000)
        }
        return nil
    }

    @Test("add: tentative while DAD runs, then usable; listed as ip lists it; a duplicate refused; delete")
    func addDelete() throws {
        try Self.with("add") { namespace in
            try namespace.addVethPair("v0", "v1")
            let socket = try namespace.socket()
            let v0 = try #require(try socket.link(named: "v0"))
            let address = try #require(IPv6Address("2001:db8::10"))

            try socket.addAddress(address, prefixLength: 64, interfaceIndex: v0.index)
            let first = try #require(try socket.ipv6Addresses().first { $0.address == address })
            #expect(first.flags.contains(.tentative), "DAD has only just started: \(first.flags)")
            #expect(first.interfaceIndex == v0.index && first.prefixLength == 64 && first.scope == .universe)

            let entry = try #require(try Self.settled(socket, address), "DAD did not finish")
            #expect(entry.flags == .permanent && entry.preferredLifetime == .forever)
            let shown = try namespace.ip("-6", "-o", "addr", "show", "dev", "v0", "scope", "global")
            #expect(shown.contains("inet6 2001:db8::10/64 scope global"))
            #expect(!shown.contains("tentative"))

            let duplicate = #expect(throws: NetlinkError.self) {
                try socket.addAddress(address, prefixLength: 64, interfaceIndex: v0.index)
            }
            #expect(duplicate?.errno == EEXIST)
            #expect(duplicate?.operation == "adding 2001:db8::10/64 to v0")

            // The kernel's prefix route, found by the same rule as IPv4.
            let routes = try socket.ipv6Routes()
            let prefix = try #require(routes.first { $0.destination == IPv6Address("2001:db8::") })
            #expect(prefix.prefixLength == 64 && prefix.metric == 256 && prefix.protocol == .kernel && prefix.isDirectlyConnected)
            let selection = try findInterface(
                for: try #require(IPv6Address("2001:db8::77")), routes: routes, links: try socket.links())
            #expect(selection.interface.name == "v0" && selection.prefixLength == 64)

            try socket.deleteAddress(address, prefixLength: 64, interfaceIndex: v0.index)
            #expect(try namespace.ip("-6", "-o", "addr", "show", "dev", "v0", "scope", "global").isEmpty)
            let absent = #expect(throws: NetlinkError.self) {
                try socket.deleteAddress(address, prefixLength: 64, interfaceIndex: v0.index)
            }
            #expect(absent?.errno == EADDRNOTAVAIL)
        }
    }

    @Test("nodad is never tentative; noprefixroute adds no route; preferred_lft 0 is deprecated at once")
    func flags() throws {
        try Self.with("flags") { namespace in
            try namespace.addVethPair("v0", "v1")
            let socket = try namespace.socket()
            let v0 = try #require(try socket.link(named: "v0"))
            let address = try #require(IPv6Address("2001:db8:1::5"))
            try socket.addAddress(
                address, prefixLength: 64, interfaceIndex: v0.index, flags: [.noDAD, .noPrefixRoute],
                preferredLifetime: .seconds(0))
            let entry = try #require(try socket.ipv6Addresses().first { $0.address == address })
            #expect(entry.flags.contains(.noDAD) && entry.flags.contains(.noPrefixRoute) && entry.flags.contains(.deprecated))
            #expect(!entry.flags.contains(.tentative))
            #expect(entry.preferredLifetime == .seconds(0) && entry.validLifetime == .forever)
            let shown = try namespace.ip("-6", "-o", "addr", "show", "dev", "v0", "scope", "global")
            #expect(shown.contains("inet6 2001:db8:1::5/64 scope global nodad deprecated noprefixroute"), "\(shown)")
            #expect(try socket.ipv6Routes().filter { $0.destination == IPv6Address("2001:db8:1::") }.isEmpty)
            // Without a route, the address itself places it (findif's already-configured rule).
            let selection = try findInterface(
                for: address, routes: try socket.ipv6Routes(), links: try socket.links(),
                addresses: try socket.ipv6Addresses())
            #expect(selection.interface.name == "v0" && selection.prefixLength == 64 && selection.route == nil)
        }
    }

    @Test("the same address on the other end of the link: DAD fails and the kernel says dadfailed")
    func dadFailed() throws {
        try Self.with("dad") { namespace in
            try namespace.addVethPair("v0", "v1")
            let socket = try namespace.socket()
            let v0 = try #require(try socket.link(named: "v0"))
            let v1 = try #require(try socket.link(named: "v1"))
            let address = try #require(IPv6Address("2001:db8::20"))
            try socket.addAddress(address, prefixLength: 64, interfaceIndex: v1.index, flags: .noDAD)
            try socket.addAddress(address, prefixLength: 64, interfaceIndex: v0.index)
            let entry = try #require(try Self.settled(socket, address, on: v0.index))
            #expect(entry.flags.contains(.dadFailed), "\(entry.flags)")
            #expect(try namespace.ip("-6", "-o", "addr", "show", "dev", "v0").contains("dadfailed"))
        }
    }

    @Test("link-local routes: one fe80::/64 per interface, so a link-local address needs nic")
    func linkLocal() throws {
        try Self.with("ll") { namespace in
            try namespace.addVethPair("v0", "v1")
            let socket = try namespace.socket()
            let routes = try socket.ipv6Routes()
            #expect(routes.filter { $0.destination == IPv6Address("fe80::") && $0.prefixLength == 64 }.count == 2, "\(routes)")
            let address = try #require(IPv6Address("fe80::1234"))
            let links = try socket.links()
            #expect(throws: InterfaceSelectionError.self) { try findInterface(for: address, routes: routes, links: links) }
            #expect(try findInterface(for: address, routes: routes, links: links, nic: "v1").interface.name == "v1")
        }
    }

    @Test("address labels: added and deleted as ip addrlabel lists them, a duplicate refused")
    func addressLabels() throws {
        try Self.with("lbl") { namespace in
            let socket = try namespace.socket()
            let prefix = try #require(IPv6Address("2001:db8::10"))
            try socket.addAddressLabel(prefix: prefix, label: 99)
            #expect(try namespace.ip("addrlabel", "list").contains("prefix 2001:db8::10/128 label 99"))
            let duplicate = #expect(throws: NetlinkError.self) { try socket.addAddressLabel(prefix: prefix, label: 99) }
            #expect(duplicate?.errno == EEXIST)
            try socket.deleteAddressLabel(prefix: prefix, label: 99)
            #expect(!(try namespace.ip("addrlabel", "list")).contains("2001:db8::10"))
            #expect(throws: NetlinkError.self) { try socket.deleteAddressLabel(prefix: prefix, label: 99) }
        }
    }
}
