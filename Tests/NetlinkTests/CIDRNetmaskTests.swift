import Netlink
import Testing

@Suite("parseCIDRNetmask")
struct CIDRNetmaskTests {
    @Test(
        "accepts bits and contiguous dotted netmasks",
        arguments: [
            ("24", 24), ("1", 1), ("32", 32), ("8", 8), ("255.255.255.0", 24), ("255.255.255.128", 25),
            ("255.255.255.255", 32), ("128.0.0.0", 1), ("255.255.255.252", 30),
        ]
    )
    func accepts(value: String, prefixLength: Int) throws {
        #expect(try parseCIDRNetmask(value) == prefixLength)
    }

    @Test(
        "refuses other values and names them",
        arguments: [
            ("0", "prefix length must be 1-32"),
            ("33", "prefix length must be 1-32"),
            ("0.0.0.0", "prefix length must be 1-32"),
            ("255.0.255.0", "not a contiguous netmask"),
            ("255.255.255.1", "not a contiguous netmask"),
            ("255.255.256.0", "not a dotted netmask"),
            ("255.255.255", "not a dotted netmask"),
            ("", "not a prefix length or a dotted netmask"),
            ("-1", "not a prefix length or a dotted netmask"),
            ("24 ", "not a prefix length or a dotted netmask"),
            ("abc", "not a prefix length or a dotted netmask"),
            ("1000", "not a prefix length or a dotted netmask"),
        ]
    )
    func refuses(value: String, reason: String) {
        let error = #expect(throws: NetmaskError.self) { try parseCIDRNetmask(value) }
        #expect(error?.value == value)
        #expect(error?.reason == reason)
    }

    @Test("the error text quotes the value")
    func description() {
        do {
            _ = try parseCIDRNetmask("255.0.255.0")
            Issue.record("255.0.255.0 was accepted")
        } catch {
            #expect(error.description == "invalid cidr_netmask \"255.0.255.0\": not a contiguous netmask")
        }
    }
}
