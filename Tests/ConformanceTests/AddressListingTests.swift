@testable import Conformance
import Testing

/// Reading `ip -o addr show` and expanding case variables.
@Suite struct AddressListingTests {
    @Test func parsesIPv4AndIPv6Lines() {
        let text = """
            1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
            3: eth0    inet 192.0.2.2/24 scope global eth0\\       valid_lft forever preferred_lft forever
            3: eth0    inet 192.0.2.20/25 brd 192.0.2.127 scope global secondary eth0:web\\       valid_lft forever preferred_lft forever
            3: eth0    inet6 fe80::90bc:27ff:fe25:2263/64 scope link tentative \\       valid_lft forever preferred_lft forever
            garbage
            """
        #expect(
            ListedAddress.parse(text) == [
                ListedAddress(
                    interface: "lo", family: "inet", address: "127.0.0.1", prefix: 8, broadcast: nil, label: "lo"),
                ListedAddress(
                    interface: "eth0", family: "inet", address: "192.0.2.2", prefix: 24, broadcast: nil, label: "eth0"),
                ListedAddress(
                    interface: "eth0", family: "inet", address: "192.0.2.20", prefix: 25, broadcast: "192.0.2.127",
                    label: "eth0:web"),
                ListedAddress(
                    interface: "eth0", family: "inet6", address: "fe80::90bc:27ff:fe25:2263", prefix: 64,
                    broadcast: nil,
                    label: nil),
            ])
    }

    @Test func expandsKnownVariablesOnly() {
        let variables = CaseVariables(values: ["NS": "ns1", "CASE_DIR": "/tmp/c"])
        #expect(variables.expand("ip -n ${NS} x ${CASE_DIR}/y ${HOME} ${NS") == "ip -n ns1 x /tmp/c/y ${HOME} ${NS")
        #expect(CaseVariables.unknownReferences(in: "${NS} ${FOO} ${CASE_DIR} ${BAR}") == ["FOO", "BAR"])
    }

    @Test func quotesWordsForTheShell() {
        #expect(shellQuoted("it's") == "'it'\\''s'")
        #expect(shellQuoted("") == "''")
    }
}
