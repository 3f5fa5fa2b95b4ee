import Testing

@testable import Netlink

/// Golden bytes: requests written out by hand from the kernel's struct layouts
/// (`nlmsghdr`, `ifaddrmsg`, `nlattr`) and compared byte for byte. The RTM_NEWADDR and RTM_DELADDR
/// vectors are also what iproute2 6.1 sends for the same command (seen with strace), but for
/// sequence number and interface index.
@Suite("Request encoding")
struct RequestEncodingTests {
    // NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE
    static let createFlags: UInt16 = 0x0001 | 0x0004 | 0x0200 | 0x0400

    @Test("RTM_NEWADDR with broadcast and label")
    func newAddress() {
        let request = Request.newAddress(
            IPv4Address(203, 0, 113, 10),
            prefixLength: 24,
            broadcast: IPv4Address(203, 0, 113, 255),
            label: "eth0:vip",
            interfaceIndex: 2,
            flags: [],
            preferredLifetime: .forever,
            validLifetime: .forever
        )
        let expected: [UInt8] = [
            0x40, 0x00, 0x00, 0x00,  // nlmsg_len 64
            0x14, 0x00,  // nlmsg_type RTM_NEWADDR (20)
            0x05, 0x06,  // nlmsg_flags REQUEST | ACK | EXCL | CREATE
            0x01, 0x00, 0x00, 0x00,  // nlmsg_seq 1
            0x00, 0x00, 0x00, 0x00,  // nlmsg_pid 0
            0x02, 0x18, 0x00, 0x00,  // ifa_family AF_INET, ifa_prefixlen 24, ifa_flags 0, ifa_scope universe
            0x02, 0x00, 0x00, 0x00,  // ifa_index 2
            0x08, 0x00, 0x02, 0x00, 203, 0, 113, 10,  // IFA_LOCAL
            0x08, 0x00, 0x04, 0x00, 203, 0, 113, 255,  // IFA_BROADCAST
            // IFA_LABEL "eth0:vip", NUL-terminated and padded
            0x0d, 0x00, 0x03, 0x00, 0x65, 0x74, 0x68, 0x30, 0x3a, 0x76, 0x69, 0x70, 0x00, 0x00, 0x00, 0x00,
            0x08, 0x00, 0x01, 0x00, 203, 0, 113, 10,  // IFA_ADDRESS
        ]
        #expect(request.encoded(sequence: 1) == expected)
    }

    @Test("RTM_NEWADDR with IFA_F_NOPREFIXROUTE and lifetimes")
    func newAddressWithFlags() {
        let request = Request.newAddress(
            IPv4Address(198, 51, 100, 5),
            prefixLength: 32,
            broadcast: nil,
            label: nil,
            interfaceIndex: 7,
            flags: [.noPrefixRoute],
            preferredLifetime: .seconds(300),
            validLifetime: .seconds(600)
        )
        let body: [UInt8] =
            [0x02, 32, 0x00, 0x00] + Bytes.u32(7)  // ifaddrmsg; 0x200 does not fit ifa_flags
            + Bytes.attribute(2, [198, 51, 100, 5])  // IFA_LOCAL
            + Bytes.attribute(8, Bytes.u32(0x200))  // IFA_FLAGS
            + Bytes.attribute(1, [198, 51, 100, 5])  // IFA_ADDRESS
            + Bytes.attribute(6, Bytes.u32(300) + Bytes.u32(600) + Bytes.u32(0) + Bytes.u32(0))  // IFA_CACHEINFO
        #expect(
            request.encoded(sequence: 0x0102_0304)
                == Bytes.message(
                    type: 20,
                    flags: Self.createFlags,
                    sequence: 0x0102_0304,
                    body
                )
        )
    }

    @Test("loopback addresses get host scope, as ip gives them")
    func loopbackScope() {
        let bytes = Request.newAddress(
            IPv4Address(127, 0, 0, 5),
            prefixLength: 8,
            broadcast: nil,
            label: nil,
            interfaceIndex: 1,
            flags: [],
            preferredLifetime: .forever,
            validLifetime: .forever
        ).encoded(sequence: 1)
        #expect(bytes[19] == 254)  // ifa_scope RT_SCOPE_HOST
    }

    @Test("RTM_DELADDR")
    func deleteAddress() {
        let request = Request.deleteAddress(IPv4Address(192, 0, 2, 10), prefixLength: 24, interfaceIndex: 3)
        let body: [UInt8] =
            [0x02, 24, 0, 0] + Bytes.u32(3) + Bytes.attribute(2, [192, 0, 2, 10])
            + Bytes.attribute(1, [192, 0, 2, 10])
        #expect(request.encoded(sequence: 9) == Bytes.message(type: 21, flags: 0x0005, sequence: 9, body))
    }

    @Test("RTM_NEWLINK setting IFF_UP only")
    func setLinkUp() {
        // ifinfomsg: family, pad, type, index, flags, change.
        let body: [UInt8] = [0, 0] + Bytes.u16(0) + Bytes.i32(4) + Bytes.u32(1) + Bytes.u32(1)
        #expect(
            Request.setLinkUp(index: 4).encoded(sequence: 2)
                == Bytes.message(type: 16, flags: 0x0005, sequence: 2, body)
        )
    }

    @Test("RTM_GETROUTE dump")
    func dumpRoutes() {
        // rtmsg: family AF_INET, then eight zero bytes; NLM_F_REQUEST | NLM_F_DUMP.
        let body: [UInt8] = [2] + [UInt8](repeating: 0, count: 11)
        #expect(Request.dumpRoutes().encoded(sequence: 5) == Bytes.message(type: 26, flags: 0x0301, sequence: 5, body))
    }

    @Test("RTM_GETLINK by name")
    func getLinkByName() {
        let body: [UInt8] = [UInt8](repeating: 0, count: 16) + Bytes.attribute(3, Array("v0\0".utf8))
        #expect(
            Request.getLink(index: 0, name: "v0").encoded(sequence: 3)
                == Bytes.message(
                    type: 18,
                    flags: 0x0005,
                    sequence: 3,
                    body
                )
        )
    }
}
