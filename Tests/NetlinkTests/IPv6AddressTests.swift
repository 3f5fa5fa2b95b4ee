import Netlink
import Testing

/// IPv6 text in (RFC 4291 §2.2, as inet_pton reads it) and out (RFC 5952), and prefix arithmetic.
@Suite("IPv6Address")
struct IPv6AddressTests {
    /// Input, then the canonical text of RFC 5952 §4.
    @Test(
        "parses and writes the canonical form",
        arguments: [
            ("2001:db8::10", "2001:db8::10"),
            ("2001:DB8:0:0:0:0:0:10", "2001:db8::10"),
            ("2001:0db8:0000:0000:0000:0000:0000:0010", "2001:db8::10"),
            ("::", "::"),
            ("::1", "::1"),
            ("1::", "1::"),
            ("fe80::1", "fe80::1"),
            // §4.2.2: a single zero group is not compressed.
            ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
            // §4.2.3: the longest run, and the first of equal runs.
            ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
            ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
            ("0:0:0:0:0:0:0:1", "::1"),
            ("1:0:0:0:0:0:0:0", "1::"),
            // §5: IPv4-mapped addresses end in dotted form; embedded IPv4 is read anywhere.
            ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
            ("::ffff:c000:201", "::ffff:192.0.2.1"),
            ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
            ("ff02::1:ff00:10", "ff02::1:ff00:10"),
        ])
    func canonical(input: String, expected: String) throws {
        let address = try #require(IPv6Address(input))
        #expect(address.description == expected)
        #expect(IPv6Address(expected) == address)
        #expect(IPv6Address(bytes: address.bytes) == address)
    }

    @Test(
        "refuses what inet_pton refuses, without trapping",
        arguments: [
            "", ":", ":::", "1", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1::", "1::2:", "1:", ":1",
            "12345::", "g::1", "2001:db8::10/64", "fe80::1%eth0", "[2001:db8::1]", " ::1", "::1 ", "1:2:3:4:5:6:7:8::",
            "::1.2.3", "::1.2.3.4.5", "::256.0.0.1", "1.2.3.4", "::1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4",
            String(repeating: "0", count: 46), "::\u{0}", "ÿ::", "1:::",
        ])
    func refused(input: String) {
        #expect(IPv6Address(input) == nil)
    }

    @Test("eight groups and an embedded IPv4 address fit exactly")
    func fullForms() throws {
        #expect(IPv6Address("1:2:3:4:5:6:7:8")?.groups == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(IPv6Address("1:2:3:4:5:6:192.0.2.1")?.groups == [1, 2, 3, 4, 5, 6, 0xc000, 0x201])
        #expect(IPv6Address("1:2:3:4:5:6:7::")?.groups == [1, 2, 3, 4, 5, 6, 7, 0])
        #expect(IPv6Address("::2:3:4:5:6:7:8")?.groups == [0, 2, 3, 4, 5, 6, 7, 8])
    }

    @Test("random bytes survive writing and reading")
    func roundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            // Mostly zero groups, so that compression is exercised.
            let groups = (0..<8).map { _ in Bool.random(using: &generator) ? 0 : UInt16.random(in: 0...0xffff) }
            let address = IPv6Address(groups: groups)
            #expect(IPv6Address(address.description) == address, "\(groups)")
        }
    }

    @Test("kinds and prefixes")
    func kinds() throws {
        let address = try #require(IPv6Address("2001:db8:1:2:3:4:5:6"))
        #expect(address.masked(prefixLength: 64) == IPv6Address("2001:db8:1:2::"))
        #expect(address.masked(prefixLength: 48) == IPv6Address("2001:db8:1::"))
        #expect(address.masked(prefixLength: 68) == IPv6Address("2001:db8:1:2::"))
        #expect(address.masked(prefixLength: 128) == address)
        #expect(address.masked(prefixLength: 0) == .any)
        #expect(address.masked(prefixLength: 100) == IPv6Address("2001:db8:1:2:3:4::"))
        #expect(IPv6Address("2001:db8::ffff:ffff")?.masked(prefixLength: 100) == IPv6Address("2001:db8::f000:0"))
        #expect(IPv6Address("ffff:ffff::")?.masked(prefixLength: 20) == IPv6Address("ffff:f000::"))
        #expect(address.isIn(IPv6Address("2001:db8::")!, prefixLength: 32))
        #expect(!address.isIn(IPv6Address("2001:db9::")!, prefixLength: 32))
        #expect(IPv6Address("fe80::1")!.isLinkLocal && IPv6Address("febf::1")!.isLinkLocal)
        #expect(!IPv6Address("fec0::1")!.isLinkLocal && !address.isLinkLocal)
        #expect(IPv6Address("ff02::1") == .allNodes && IPv6Address.allNodes.isMulticast)
        #expect(IPv6Address("::1")!.isLoopback && IPv6Address("::")!.isUnspecified)
        #expect(IPv6Address("2001:db8::12:3456")?.solicitedNode == IPv6Address("ff02::1:ff12:3456"))
        #expect(IPv6Address("::ffff:192.0.2.1")!.isIPv4Mapped)
    }

    @Test("IPv6 prefix lengths", arguments: [("64", 64), ("1", 1), ("128", 128), ("0128", nil), ("0", nil), ("129", nil),
        ("", nil), ("ffff:ffff::", nil), ("64 ", nil), ("-1", nil)] as [(String, Int?)])
    func prefixLength(text: String, expected: Int?) {
        #expect((try? parseIPv6PrefixLength(text)) == expected)
    }
}
