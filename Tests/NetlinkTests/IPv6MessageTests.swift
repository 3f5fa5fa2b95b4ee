import Testing

@testable import Netlink

/// IPv6 requests as golden bytes (the layout `ip -6 addr add` sends, seen with strace for the same
/// command but for sequence number and interface index), and IPv6 dumps decoded from bytes
/// written by hand, hostile ones included.
@Suite("IPv6 messages")
struct IPv6MessageTests {
    static let address = IPv6Address("2001:db8::10")!
    static func message(_ type: UInt16, _ body: [UInt8]) throws -> NetlinkMessage {
        try #require(NetlinkMessage(bytes: Bytes.message(type: type, flags: 2, sequence: 1, body)))
    }

    static let addressBytes: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [0x10]

    @Test("RTM_NEWADDR AF_INET6 with nodad: the flag fits ifa_flags")
    func newAddressNoDAD() {
        let request = Request.newAddress(
            Self.address, prefixLength: 64, interfaceIndex: 2, flags: [.noDAD], preferredLifetime: .forever,
            validLifetime: .forever)
        let body: [UInt8] =
            [10, 64, 0x02, 0] + Bytes.u32(2)  // AF_INET6, /64, IFA_F_NODAD, scope universe, index 2
            + Bytes.attribute(2, Self.addressBytes)  // IFA_LOCAL
            + Bytes.attribute(1, Self.addressBytes)  // IFA_ADDRESS
        #expect(
            request.encoded(sequence: 9)
                == Bytes.message(type: 20, flags: RequestEncodingTests.createFlags, sequence: 9, body))
    }

    @Test("RTM_NEWADDR AF_INET6 with noprefixroute and preferred_lft 0: IFA_FLAGS and IFA_CACHEINFO")
    func newAddressFlagsAndLifetime() {
        let request = Request.newAddress(
            Self.address, prefixLength: 64, interfaceIndex: 3, flags: [.noDAD, .noPrefixRoute],
            preferredLifetime: .seconds(0), validLifetime: .forever)
        let body: [UInt8] =
            [10, 64, 0, 0] + Bytes.u32(3)
            + Bytes.attribute(2, Self.addressBytes)
            + Bytes.attribute(8, Bytes.u32(0x202))  // IFA_FLAGS: NOPREFIXROUTE | NODAD
            + Bytes.attribute(1, Self.addressBytes)
            + Bytes.attribute(6, Bytes.u32(0) + Bytes.u32(0xffff_ffff) + Bytes.u32(0) + Bytes.u32(0))
        #expect(
            request.encoded(sequence: 1)
                == Bytes.message(type: 20, flags: RequestEncodingTests.createFlags, sequence: 1, body))
    }

    @Test("RTM_DELADDR and the AF_INET6 dumps")
    func deleteAndDumps() {
        let delete = Request.deleteAddress(Self.address, prefixLength: 64, interfaceIndex: 2)
        let body: [UInt8] =
            [10, 64, 0, 0] + Bytes.u32(2) + Bytes.attribute(2, Self.addressBytes) + Bytes.attribute(1, Self.addressBytes)
        #expect(delete.encoded(sequence: 4) == Bytes.message(type: 21, flags: 0x0005, sequence: 4, body))
        // NLM_F_REQUEST | NLM_F_DUMP; ifaddrmsg / rtmsg with family AF_INET6 only.
        #expect(
            Request.dumpAddresses(family: 10).encoded(sequence: 5)
                == Bytes.message(type: 22, flags: 0x0301, sequence: 5, [10, 0, 0, 0, 0, 0, 0, 0]))
        #expect(
            Request.dumpRoutes(family: 10).encoded(sequence: 6)
                == Bytes.message(type: 26, flags: 0x0301, sequence: 6, [10] + [UInt8](repeating: 0, count: 11)))
    }

    @Test("RTM_NEWADDR AF_INET6: a tentative address, IFA_ADDRESS only, lifetimes")
    func decodeAddress() throws {
        // ifaddrmsg: AF_INET6, /64, IFA_F_TENTATIVE|IFA_F_PERMANENT, scope universe, index 4.
        let body: [UInt8] =
            [10, 64, 0xc0, 0] + Bytes.u32(4)
            + Bytes.attribute(1, Self.addressBytes)
            + Bytes.attribute(8, Bytes.u32(0xc0))
            + Bytes.attribute(6, Bytes.u32(0xffff_ffff) + Bytes.u32(0xffff_ffff) + Bytes.u32(1) + Bytes.u32(2))
        let message = try #require(NetlinkMessage(bytes: Bytes.message(type: 20, flags: 2, sequence: 1, body)))
        let entry = try #require(IPv6AddressEntry(message))
        #expect(
            entry
                == IPv6AddressEntry(
                    interfaceIndex: 4, address: Self.address, prefixLength: 64, scope: .universe,
                    flags: [.tentative, .permanent]))
        // The IPv4 decoder leaves it alone, and the IPv6 one leaves IPv4 alone.
        #expect(AddressEntry(message) == nil)
        let v4 = [2, 24, 0x80, 0] + Bytes.u32(3) + Bytes.attribute(1, [192, 0, 2, 10])
        #expect(IPv6AddressEntry(try Self.message(20, v4)) == nil)
    }

    @Test("a point-to-point entry: IFA_LOCAL is ours, IFA_ADDRESS the peer")
    func decodePeer() throws {
        let peer = IPv6Address("2001:db8::99")!
        let body: [UInt8] =
            [10, 128, 0x80, 0] + Bytes.u32(5) + Bytes.attribute(1, peer.bytes) + Bytes.attribute(2, Self.addressBytes)
        let message = try #require(NetlinkMessage(bytes: Bytes.message(type: 20, flags: 2, sequence: 1, body)))
        #expect(IPv6AddressEntry(message)?.address == Self.address)
    }

    @Test(
        "hostile address messages decode to nothing or to something harmless",
        arguments: [
            [10, 64, 0, 0] + Bytes.u32(4) + Bytes.attribute(1, [0x20, 0x01, 0x0d]),  // short address
            [10, 64, 0, 0] + Bytes.u32(4) + Bytes.attribute(1, [UInt8](repeating: 1, count: 17)),  // long address
            [10, 200, 0, 0] + Bytes.u32(4) + Bytes.attribute(1, [UInt8](repeating: 1, count: 16)),  // prefix > 128
            [10, 64, 0, 0] + Bytes.u32(4),  // no address at all
            [10, 64],  // truncated ifaddrmsg
        ] as [[UInt8]])
    func hostileAddress(body: [UInt8]) throws {
        let message = try #require(NetlinkMessage(bytes: Bytes.message(type: 20, flags: 2, sequence: 1, body)))
        #expect(IPv6AddressEntry(message) == nil)
    }

    @Test("RTM_NEWROUTE AF_INET6: the kernel's prefix route and a default route via a link-local gateway")
    func decodeRoutes() throws {
        // rtmsg: AF_INET6, dst_len 64, src_len, tos, table main, proto kernel, scope universe, unicast.
        let prefix: [UInt8] =
            [10, 64, 0, 0, 254, 2, 0, 1] + Bytes.u32(0)
            + Bytes.attribute(15, Bytes.u32(254)) + Bytes.attribute(1, IPv6Address("2001:db8::")!.bytes)
            + Bytes.attribute(6, Bytes.u32(256)) + Bytes.attribute(4, Bytes.u32(2))
        let message = try #require(NetlinkMessage(bytes: Bytes.message(type: 24, flags: 2, sequence: 1, prefix)))
        #expect(
            IPv6Route(message)
                == IPv6Route(
                    destination: IPv6Address("2001:db8::")!, prefixLength: 64, outputInterfaceIndex: 2, metric: 256))
        #expect(IPv6Route(message)?.isDirectlyConnected == true)
        #expect(Route(message) == nil)

        let gateway = IPv6Address("fe80::1")!
        let defaultRoute: [UInt8] =
            [10, 0, 0, 0, 254, 9, 0, 1] + Bytes.u32(0)
            + Bytes.attribute(15, Bytes.u32(254)) + Bytes.attribute(5, gateway.bytes)
            + Bytes.attribute(6, Bytes.u32(1024)) + Bytes.attribute(4, Bytes.u32(2))
        let route = try #require(IPv6Route(try Self.message(24, defaultRoute)))
        #expect(route.isDefault && route.destination == .any && route.gateway == gateway && !route.isDirectlyConnected)
        #expect(route.metric == 1024)

        // A destination prefix longer than 128 bits is no route.
        var hostile = prefix
        hostile[1] = 129
        #expect(IPv6Route(try Self.message(24, hostile)) == nil)
    }

    @Test("RTM_NEWADDRLABEL and RTM_DELADDRLABEL, as ip addrlabel add|del prefix 2001:db8::10 label 99")
    func addressLabel() {
        let body: [UInt8] =
            [10, 0, 128, 0] + Bytes.u32(0) + Bytes.u32(0)  // ifaddrlblmsg: AF_INET6, /128, any interface
            + Bytes.attribute(1, Self.addressBytes)  // IFAL_ADDRESS
            + Bytes.attribute(2, Bytes.u32(99))  // IFAL_LABEL
        #expect(
            Request.addressLabel(add: true, prefix: Self.address, prefixLength: 128, label: 99).encoded(sequence: 3)
                == Bytes.message(type: 72, flags: RequestEncodingTests.createFlags, sequence: 3, body))
        #expect(
            Request.addressLabel(add: false, prefix: Self.address, prefixLength: 128, label: 99).encoded(sequence: 3)
                == Bytes.message(type: 73, flags: 0x0005, sequence: 3, body))
    }
}
