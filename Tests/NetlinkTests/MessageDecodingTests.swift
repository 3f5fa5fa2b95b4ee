import Testing

@testable import Netlink

#if canImport(Glibc)
import Glibc
#endif

/// Decoding kernel messages written out by hand: links, addresses, routes, acks and errors.
@Suite("Message decoding")
struct MessageDecodingTests {
    @Test("RTM_NEWLINK")
    func link() throws {
        // ifinfomsg: family 0, pad, ARPHRD_ETHER, index 5, flags UP|BROADCAST|RUNNING|MULTICAST|LOWER_UP, change.
        let body: [UInt8] =
            [0, 0] + Bytes.u16(1) + Bytes.i32(5) + Bytes.u32(0x1_1043) + Bytes.u32(0)
            + Bytes.attribute(3, Array("veth0\0".utf8)) + Bytes.attribute(4, Bytes.u32(1400))
            + Bytes.attribute(1, [0x02, 0x11, 0x22, 0x33, 0x44, 0x55]) + Bytes.attribute(16, [6])
        let message = try #require(NetlinkMessage(bytes: Bytes.message(type: 16, flags: 0, sequence: 1, body)))
        let link = try #require(Link(message))
        #expect(
            link
                == Link(
                    index: 5,
                    name: "veth0",
                    flags: [.up, .broadcast, .running, .multicast, .lowerUp],
                    type: .ethernet,
                    hardwareAddress: [0x02, 0x11, 0x22, 0x33, 0x44, 0x55],
                    mtu: 1400,
                    operationalState: .up
                )
        )
        #expect(link.isUp && link.canBroadcast && link.isLowerUp && !link.isLoopback)
    }

    @Test("RTM_NEWADDR")
    func address() throws {
        // ifaddrmsg: AF_INET, /24, IFA_F_PERMANENT, scope universe, index 3.
        let body: [UInt8] =
            [2, 24, 0x80, 0] + Bytes.u32(3)
            + Bytes.attribute(1, [192, 0, 2, 10]) + Bytes.attribute(2, [192, 0, 2, 10])
            + Bytes.attribute(4, [192, 0, 2, 255]) + Bytes.attribute(3, Array("v0:vip\0".utf8))
            + Bytes.attribute(8, Bytes.u32(0x280))
            + Bytes.attribute(6, Bytes.u32(120) + Bytes.u32(0xffff_ffff) + Bytes.u32(1) + Bytes.u32(2))
        let message = try #require(NetlinkMessage(bytes: Bytes.message(type: 20, flags: 2, sequence: 1, body)))
        #expect(
            AddressEntry(message)
                == AddressEntry(
                    interfaceIndex: 3,
                    address: IPv4Address(192, 0, 2, 10),
                    prefixLength: 24,
                    broadcast: IPv4Address(192, 0, 2, 255),
                    label: "v0:vip",
                    scope: .universe,
                    flags: [.permanent, .noPrefixRoute],
                    preferredLifetime: .seconds(120),
                    validLifetime: .forever
                )
        )
    }

    @Test("RTM_NEWADDR of another family is skipped")
    func ipv6AddressSkipped() throws {
        let body: [UInt8] = [10, 64, 0, 0] + Bytes.u32(3) + Bytes.attribute(1, [UInt8](repeating: 0xfe, count: 16))
        let message = try #require(NetlinkMessage(bytes: Bytes.message(type: 20, flags: 2, sequence: 1, body)))
        #expect(AddressEntry(message) == nil)
    }

    @Test("RTM_NEWROUTE")
    func route() throws {
        // rtmsg: AF_INET, dst_len 24, src_len, tos, table main, proto boot, scope link, type unicast, flags.
        let body: [UInt8] =
            [2, 24, 0, 0, 254, 3, 253, 1] + Bytes.u32(0)
            + Bytes.attribute(15, Bytes.u32(254)) + Bytes.attribute(1, [198, 51, 100, 0])
            + Bytes.attribute(6, Bytes.u32(50)) + Bytes.attribute(7, [198, 51, 100, 1])
            + Bytes.attribute(4, Bytes.u32(2))
        let message = try #require(NetlinkMessage(bytes: Bytes.message(type: 24, flags: 2, sequence: 1, body)))
        #expect(
            Route(message)
                == Route(
                    destination: IPv4Address(198, 51, 100, 0),
                    prefixLength: 24,
                    outputInterfaceIndex: 2,
                    metric: 50,
                    table: .main,
                    type: .unicast,
                    scope: .link,
                    protocol: .boot,
                    preferredSource: IPv4Address(198, 51, 100, 1)
                )
        )
    }

    @Test("a default route without RTA_DST, in a table above 255")
    func defaultRoute() throws {
        let body: [UInt8] =
            [2, 0, 0, 0, 252, 4, 0, 1] + Bytes.u32(0)
            + Bytes.attribute(15, Bytes.u32(1000)) + Bytes.attribute(5, [192, 0, 2, 1])
            + Bytes.attribute(4, Bytes.u32(2))
        let message = try #require(NetlinkMessage(bytes: Bytes.message(type: 24, flags: 2, sequence: 1, body)))
        let route = try #require(Route(message))
        #expect(route.isDefault && route.destination == .any)
        #expect(route.gateway == IPv4Address(192, 0, 2, 1))
        #expect(route.table == RouteTable(rawValue: 1000))
        #expect(route.scope == .universe && route.protocol == .static)
        #expect(!route.isDirectlyConnected)
    }

    @Test("a prefix longer than 32 bits is no IPv4 route and no IPv4 address (contains would trap on it)")
    func prefixBeyondTheFamily() throws {
        let route: [UInt8] =
            [2, 33, 0, 0, 254, 3, 253, 1] + Bytes.u32(0) + Bytes.attribute(1, [198, 51, 100, 0])
            + Bytes.attribute(4, Bytes.u32(2))
        #expect(
            Route(try #require(NetlinkMessage(bytes: Bytes.message(type: 24, flags: 2, sequence: 1, route)))) == nil)
        let address: [UInt8] = [2, 33, 0, 0] + Bytes.u32(3) + Bytes.attribute(2, [192, 0, 2, 10])
        #expect(
            AddressEntry(try #require(NetlinkMessage(bytes: Bytes.message(type: 20, flags: 2, sequence: 1, address))))
                == nil)
    }

    @Test("an ack ends the exchange")
    func ack() throws {
        let request = Bytes.header(length: 64, type: 20, flags: 0x605, sequence: 7)
        let bytes = Bytes.message(type: 2, flags: 0x100, sequence: 7, portID: 99, Bytes.i32(0) + request)
        #expect(Reply(try #require(NetlinkMessage(bytes: bytes))) == .done)
    }

    @Test("an error with extended-ack text, capped")
    func cappedError() throws {
        let request = Bytes.header(length: 64, type: 20, flags: 0x605, sequence: 7)
        let body = Bytes.i32(-17) + request + Bytes.attribute(1, Array("Address exists\0".utf8))
        // NLM_F_CAPPED | NLM_F_ACK_TLVS
        let bytes = Bytes.message(type: 2, flags: 0x300, sequence: 7, portID: 99, body)
        #expect(Reply(try #require(NetlinkMessage(bytes: bytes))) == .failure(errno: 17, extendedAck: "Address exists"))
    }

    @Test("an error with extended-ack text after the echoed request")
    func uncappedError() throws {
        let requestBody: [UInt8] = [2, 24, 0, 0] + Bytes.u32(2) + Bytes.attribute(2, [192, 0, 2, 1])
        let request = Bytes.message(type: 20, flags: 0x605, sequence: 7, requestBody)
        let body =
            Bytes.i32(-22) + request + Bytes.attribute(1, Array("Invalid prefix\0".utf8))
            + Bytes.attribute(2, Bytes.u32(20))  // NLMSGERR_ATTR_OFFS
        let bytes = Bytes.message(type: 2, flags: 0x200, sequence: 7, body)  // NLM_F_ACK_TLVS only
        #expect(Reply(try #require(NetlinkMessage(bytes: bytes))) == .failure(errno: 22, extendedAck: "Invalid prefix"))
    }

    @Test("an error without extended ack")
    func plainError() throws {
        let bytes = Bytes.message(
            type: 2,
            flags: 0,
            sequence: 7,
            Bytes.i32(-99) + Bytes.header(length: 16, type: 21, flags: 5, sequence: 7)
        )
        #expect(Reply(try #require(NetlinkMessage(bytes: bytes))) == .failure(errno: 99, extendedAck: nil))
    }

    @Test("NLMSG_DONE ends a dump, with or without an error")
    func done() throws {
        let done = try #require(NetlinkMessage(bytes: Bytes.message(type: 3, flags: 2, sequence: 4, Bytes.i32(0))))
        #expect(Reply(done) == .done)
        let failed = try #require(NetlinkMessage(bytes: Bytes.message(type: 3, flags: 2, sequence: 4, Bytes.i32(-4))))
        #expect(Reply(failed) == .failure(errno: 4, extendedAck: nil))
        let noop = try #require(NetlinkMessage(bytes: Bytes.message(type: 1, flags: 0, sequence: 4, [])))
        #expect(Reply(noop) == .ignored)
    }

    @Test("a datagram splits into its messages and drops a truncated tail")
    func split() {
        let first = Bytes.message(type: 3, flags: 2, sequence: 1, Bytes.i32(0))
        let second = Bytes.message(type: 1, flags: 0, sequence: 2, [])
        let truncated = Array(Bytes.message(type: 3, flags: 2, sequence: 3, Bytes.i32(0)).prefix(18))
        let messages = (first + second + truncated).withUnsafeBytes { NetlinkMessage.split($0) }
        #expect(messages.map(\.sequence) == [1, 2])
        #expect(messages.map(\.type) == [3, 1])
    }

    @Test("a message claiming 2 GiB or more is not read past the datagram")
    func splitHugeLength() {
        // Found by fuzz/netlink: mnl_nlmsg_ok compares the length as an int, so 0x80000000 and
        // above passed as negative and split copied that many bytes.
        for length: UInt32 in [0x8000_0000, 0xffff_ffff] {
            let datagram = Bytes.u32(length) + Bytes.u16(3) + Bytes.u16(2) + Bytes.u32(1) + Bytes.u32(0) + Bytes.i32(0)
            #expect(datagram.withUnsafeBytes { NetlinkMessage.split($0) }.isEmpty)
        }
    }

    @Test("an attribute running into the padding after a message's last byte is dropped")
    func attributePastUnalignedEnd() throws {
        // Found by fuzz/netlink: the walk ended at the length rounded up to 4, so an attribute of a
        // 21-byte message could take its payload from the 3 bytes after the message.
        let bytes = Bytes.header(length: 21, type: 16, flags: 0, sequence: 1) + Bytes.u16(8) + Bytes.u16(3) + [0x61]
        let message = try #require(NetlinkMessage(bytes: bytes))
        #expect(message.bytes.count == 21)
        #expect(message.attributes(offset: 0).isEmpty)
        // One that ends at the last byte is kept.
        let fits = Bytes.header(length: 21, type: 16, flags: 0, sequence: 1) + Bytes.u16(5) + Bytes.u16(3) + [0x61]
        #expect(try #require(NetlinkMessage(bytes: fits)).attributes(offset: 0) == [3: [0x61]])
    }

    @Test("an error field that is no negative errno is EBADMSG, Int32.min included")
    func errorFieldOutOfRange() throws {
        // Found by fuzz/netlink: negating Int32.min trapped.
        let request = Bytes.header(length: 16, type: 21, flags: 5, sequence: 7)
        for field in [Int32.min, 5] {
            let error = try #require(NetlinkMessage(bytes: Bytes.message(type: 2, flags: 0, sequence: 7, Bytes.i32(field) + request)))
            #expect(Reply(error) == .failure(errno: EBADMSG, extendedAck: nil))
        }
        let done = try #require(NetlinkMessage(bytes: Bytes.message(type: 3, flags: 2, sequence: 4, Bytes.i32(Int32.min))))
        #expect(Reply(done) == .failure(errno: EBADMSG, extendedAck: nil))
    }

    @Test("NetlinkError reads like ip's errors")
    func errorText() {
        #expect(
            NetlinkError(errno: 17, "adding 203.0.113.10/24 to eth0").description
                == "adding 203.0.113.10/24 to eth0: File exists"
        )
        #expect(
            NetlinkError(errno: 22, extendedAck: "Invalid prefix", "adding 192.0.2.1/33 to eth0").description
                == "adding 192.0.2.1/33 to eth0: Invalid argument (Invalid prefix)"
        )
    }
}
