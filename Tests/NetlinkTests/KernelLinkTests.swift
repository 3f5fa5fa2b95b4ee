import HAKitTestSupport
import HAKitSystem
import Netlink
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Link lookups and changes against the real kernel, each test inside a network namespace of its own.
@Suite("Kernel: links")
struct KernelLinkTests {
    @Test("a namespace socket sees only the namespace's interfaces")
    func namespaceIsolation() throws {
        try TestNamespace.with("links-\(#line)") { namespace in
            try namespace.ip("link", "add", "v0", "type", "veth", "peer", "name", "v1")
            let socket = try namespace.socket()
            let links = try socket.links()
            #expect(links.map(\.name).sorted() == ["lo", "v0", "v1"])
            let loopback = try #require(links.first { $0.name == "lo" })
            #expect(loopback.isLoopback && !loopback.canBroadcast && loopback.type == .loopback)
            #expect(loopback.index == 1)
        }
    }

    @Test("lookup by name and by index agree with ip")
    func lookup() throws {
        try TestNamespace.with("lookup-\(#line)") { namespace in
            try namespace.ip("link", "add", "v0", "mtu", "1400", "type", "veth", "peer", "name", "v1")
            let socket = try namespace.socket()
            let byName = try #require(try socket.link(named: "v0"))
            let byIndex = try #require(try socket.link(index: byName.index))
            #expect(byIndex == byName)

            // `ip -o link show dev v0`: "5: v0@v1: <BROADCAST,MULTICAST,M-DOWN> mtu 1400 ... link/ether 5e:..."
            let shown = try namespace.ip("-o", "link", "show", "dev", "v0")
            #expect(shown.hasPrefix("\(byName.index): v0@v1: "))
            #expect(shown.contains(" mtu 1400 "))
            #expect(byName.mtu == 1400)
            #expect(byName.type == .ethernet)
            let mac = byName.hardwareAddress.map { String($0, radix: 16).leftPadded(to: 2) }.joined(separator: ":")
            #expect(byName.hardwareAddress.count == 6)
            #expect(shown.contains("link/ether \(mac) "))
            #expect(byName.canBroadcast && !byName.isLoopback && !byName.isUp)

            #expect(try socket.link(named: "nosuch0") == nil)
            #expect(try socket.link(named: "a-name-longer-than-ifnamsiz") == nil)
            #expect(try socket.link(index: 9999) == nil)
        }
    }

    @Test("setLinkUp sets IFF_UP, and a veth with its peer up gets carrier")
    func setLinkUp() throws {
        try TestNamespace.with("up-\(#line)") { namespace in
            try namespace.ip("link", "add", "v0", "type", "veth", "peer", "name", "v1")
            let socket = try namespace.socket()
            let v0 = try #require(try socket.link(named: "v0"))
            let v1 = try #require(try socket.link(named: "v1"))
            try socket.setLinkUp(index: v0.index)
            #expect(try socket.link(index: v0.index)?.isUp == true)
            // The peer is still down: "<NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> ... state LOWERLAYERDOWN".
            let shown = try namespace.ip("-o", "link", "show", "dev", "v0")
            let flags = shown.split(separator: "<").dropFirst().first?.split(separator: ">").first ?? ""
            #expect(flags.split(separator: ",").contains("UP"), "\(shown)")
            #expect(shown.contains("state LOWERLAYERDOWN"))
            #expect(try socket.link(index: v0.index)?.operationalState == .lowerLayerDown)
            try socket.setLinkUp(index: v0.index)  // already up: still fine
            try socket.setLinkUp(index: v1.index)
            let up = try #require(try socket.link(index: v0.index))
            #expect(up.isUp && up.isLowerUp)
            #expect(up.operationalState == .up)

            let error = #expect(throws: NetlinkError.self) { try socket.setLinkUp(index: 9999) }
            #expect(error?.errno == ENODEV)
            #expect(error?.description.hasPrefix("setting interface 9999 up: No such device") == true)
        }
    }

    @Test("a namespace that does not exist is an error naming it")
    func missingNamespace() {
        let name = "hakit-nl-absent-\(getpid())"
        let error = #expect(throws: SystemError.self) { try NetlinkSocket(networkNamespace: name) }
        #expect(error?.errno == ENOENT)
        #expect(error?.description == "opening network namespace /run/netns/\(name): No such file or directory")
        #expect(throws: SystemError.self) { try NetlinkSocket(networkNamespace: "../etc") }
    }
}

extension String {
    /// Pads with leading zeros to `width` characters.
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
