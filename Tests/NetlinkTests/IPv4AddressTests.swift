import Netlink
import Testing

@Suite("IPv4Address")
struct IPv4AddressTests {
    @Test(
        "parses dotted quads",
        arguments: [
            ("0.0.0.0", 0x0000_0000 as UInt32),
            ("192.0.2.1", 0xC000_0201),
            ("203.0.113.255", 0xCB00_71FF),
            ("255.255.255.255", 0xFFFF_FFFF),
            ("127.0.0.1", 0x7F00_0001),
        ]
    )
    func parses(text: String, value: UInt32) throws {
        let address = try #require(IPv4Address(text))
        #expect(address.rawValue == value)
        #expect(address.description == text)
    }

    @Test(
        "refuses anything but four decimal parts of 0-255",
        arguments: [
            "", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.256", "1.2.3.-1", "+1.2.3.4", " 1.2.3.4", "1.2.3.4 ",
            "1.2.3.4\n", "1..3.4", ".1.2.3", "1.2.3.", "01.2.3.4", "1.2.3.04", "1.2.3.0x1", "a.b.c.d", "1.2.3.4/24",
            "1234.1.1.1", "192.0.2.1:80", "１.2.3.4",
        ]
    )
    func refuses(text: String) {
        #expect(IPv4Address(text) == nil, "\(text.debugDescription) parsed")
    }

    @Test("bytes are in network order")
    func bytes() {
        #expect(IPv4Address(198, 51, 100, 7).bytes == [198, 51, 100, 7])
        #expect(IPv4Address(bytes: [198, 51, 100, 7]) == IPv4Address(198, 51, 100, 7))
        #expect(IPv4Address(bytes: [1, 2, 3]) == nil)
    }

    @Test("loopback is 127.0.0.0/8 only")
    func loopback() {
        #expect(IPv4Address(127, 0, 0, 1).isLoopback)
        #expect(IPv4Address(127, 255, 255, 254).isLoopback)
        #expect(!IPv4Address(128, 0, 0, 1).isLoopback)
        #expect(!IPv4Address(126, 255, 255, 255).isLoopback)
    }

    @Test(
        "broadcast is the subnet's highest address",
        arguments: [
            ("192.0.2.3", 27, "192.0.2.31" as String?),
            ("192.0.2.50", 24, "192.0.2.255"),
            ("192.0.2.200", 25, "192.0.2.255"),
            ("192.0.2.100", 25, "192.0.2.127"),
            ("198.51.100.1", 30, "198.51.100.3"),
            ("203.0.113.7", 8, "203.255.255.255"),
            ("203.0.113.7", 1, "255.255.255.255"),
            ("198.51.100.1", 31, nil),
            ("198.51.100.1", 32, nil),
        ]
    )
    func broadcast(address: String, prefixLength: Int, expected: String?) throws {
        let address = try #require(IPv4Address(address))
        #expect(address.broadcast(prefixLength: prefixLength)?.description == expected)
    }

    @Test("netmasks, masking and containment")
    func prefixes() throws {
        #expect(IPv4Address.netmask(prefixLength: 0) == .any)
        #expect(IPv4Address.netmask(prefixLength: 24).description == "255.255.255.0")
        #expect(IPv4Address.netmask(prefixLength: 27).description == "255.255.255.224")
        #expect(IPv4Address.netmask(prefixLength: 32).description == "255.255.255.255")
        #expect(IPv4Address(255, 255, 255, 128).prefixLengthOfNetmask == 25)
        #expect(IPv4Address(0, 0, 0, 0).prefixLengthOfNetmask == 0)
        #expect(IPv4Address(255, 0, 255, 0).prefixLengthOfNetmask == nil)
        #expect(IPv4Address(0, 255, 255, 255).prefixLengthOfNetmask == nil)
        let address = try #require(IPv4Address("192.0.2.77"))
        #expect(address.masked(prefixLength: 26).description == "192.0.2.64")
        #expect(address.isIn(IPv4Address(192, 0, 2, 64), prefixLength: 26))
        #expect(!address.isIn(IPv4Address(192, 0, 2, 128), prefixLength: 26))
    }
}
