import Netlink
import Testing

/// IPv6 route selection without a kernel: the same lowest-metric rule as IPv4, plus link-local.
@Suite("findInterface (IPv6)")
struct IPv6InterfaceSelectionTests {
    static let links = InterfaceSelectionTests.links

    enum Outcome: Equatable, Sendable {
        case selected(nic: String, prefixLength: Int)
        case failed(InterfaceSelectionError.Code)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var address: String
        var routes: [IPv6Route]
        var addresses: [IPv6AddressEntry] = []
        var nic: String? = nil
        var prefixLength: Int? = nil
        var expected: Outcome

        var testDescription: String { name }
    }

    static func connected(_ network: String, _ prefixLength: Int, _ index: Int32, metric: UInt32 = 256) -> IPv6Route {
        IPv6Route(destination: IPv6Address(network)!, prefixLength: prefixLength, outputInterfaceIndex: index, metric: metric)
    }

    /// What every interface with IPv6 has: `fe80::/64` at metric 256.
    static let linkLocal = [connected("fe80::", 64, 2), connected("fe80::", 64, 3)]
    static let defaultRoute = IPv6Route(
        destination: .any, prefixLength: 0, outputInterfaceIndex: 3, gateway: IPv6Address("fe80::1"), metric: 1024,
        protocol: .boot)

    static let cases: [Case] = [
        Case(
            name: "one connected route", address: "2001:db8::10", routes: [connected("2001:db8::", 64, 2)] + linkLocal,
            expected: .selected(nic: "eth0", prefixLength: 64)),
        Case(
            name: "the lower metric beats the longer prefix", address: "2001:db8::10",
            routes: [connected("2001:db8::", 64, 2, metric: 300), connected("2001:db8::", 48, 3, metric: 100)],
            expected: .selected(nic: "eth1", prefixLength: 48)),
        Case(
            name: "equal metrics: the longer prefix", address: "2001:db8::10",
            routes: [connected("2001:db8::", 48, 3), connected("2001:db8::", 64, 2)],
            expected: .selected(nic: "eth0", prefixLength: 64)),
        Case(
            name: "a route via a gateway never chooses", address: "2001:db8:5::10",
            routes: [
                IPv6Route(
                    destination: IPv6Address("2001:db8:5::")!, prefixLength: 48, outputInterfaceIndex: 2,
                    gateway: IPv6Address("fe80::9"), metric: 1)
            ],
            expected: .failed(.noRoute)),
        Case(
            name: "nic restricts the routes", address: "2001:db8::10",
            routes: [connected("2001:db8::", 64, 2, metric: 1), connected("2001:db8::", 64, 3, metric: 500)], nic: "eth1",
            expected: .selected(nic: "eth1", prefixLength: 64)),
        Case(
            name: "a given prefix length narrower than the route", address: "2001:db8::10",
            routes: [connected("2001:db8::", 64, 2)], prefixLength: 120, expected: .selected(nic: "eth0", prefixLength: 120)),
        Case(
            name: "a given prefix length wider than every route", address: "2001:db8::10",
            routes: [connected("2001:db8::", 64, 2)], prefixLength: 48, expected: .failed(.netmaskWiderThanRoute)),
        Case(
            name: "link-local without nic", address: "fe80::10", routes: linkLocal,
            expected: .failed(.linkLocalNeedsInterface)),
        Case(
            name: "link-local with nic", address: "fe80::10", routes: linkLocal, nic: "eth1",
            expected: .selected(nic: "eth1", prefixLength: 64)),
        Case(
            name: "link-local at the edge of fe80::/10, without nic", address: "febf::10", routes: [],
            expected: .failed(.linkLocalNeedsInterface)),
        Case(
            name: "::1 on lo's host route", address: "::1", routes: [connected("::1", 128, 1)] + linkLocal,
            expected: .selected(nic: "lo", prefixLength: 128)),
        Case(
            name: "already configured with noprefixroute", address: "2001:db8:7::10", routes: linkLocal,
            addresses: [IPv6AddressEntry(interfaceIndex: 3, address: IPv6Address("2001:db8:7::10")!, prefixLength: 80)],
            expected: .selected(nic: "eth1", prefixLength: 80)),
        Case(
            name: "only the default route, no prefix length", address: "2001:db8:9::10", routes: linkLocal + [defaultRoute],
            expected: .failed(.defaultRouteOnly)),
        Case(
            name: "only the default route, with a prefix length", address: "2001:db8:9::10",
            routes: linkLocal + [defaultRoute], prefixLength: 64, expected: .selected(nic: "eth1", prefixLength: 64)),
        Case(
            name: "another table does not count", address: "2001:db8::10",
            routes: [
                IPv6Route(
                    destination: IPv6Address("2001:db8::")!, prefixLength: 64, outputInterfaceIndex: 2,
                    table: RouteTable(rawValue: 100))
            ],
            expected: .failed(.noRoute)),
        Case(
            name: "an unreachable route does not count", address: "2001:db8::10",
            routes: [
                IPv6Route(
                    destination: IPv6Address("2001:db8::")!, prefixLength: 64, outputInterfaceIndex: 1, type: .unreachable)
            ],
            expected: .failed(.noRoute)),
        Case(
            name: "a nic that does not exist", address: "2001:db8::10", routes: [connected("2001:db8::", 64, 2)],
            nic: "eth9", expected: .failed(.noSuchInterface)),
    ]

    @Test("cases", arguments: cases)
    func select(_ example: Case) {
        let outcome: Outcome
        do {
            let selection = try findInterface(
                for: IPv6Address(example.address)!, routes: example.routes, links: Self.links,
                addresses: example.addresses, nic: example.nic, prefixLength: example.prefixLength)
            outcome = .selected(nic: selection.interface.name, prefixLength: selection.prefixLength)
        } catch {
            outcome = .failed(error.code)
        }
        #expect(outcome == example.expected)
    }

    @Test("the reasons read as findif's")
    func reasons() {
        #expect(throws: InterfaceSelectionError.self) {
            try findInterface(for: IPv6Address("fe80::10")!, routes: [], links: Self.links)
        }
        do {
            _ = try findInterface(for: IPv6Address("fe80::10")!, routes: [], links: Self.links)
        } catch {
            #expect(error.description == "'nic' parameter is mandatory for a link local address [fe80::10]")
        }
        do {
            _ = try findInterface(for: IPv6Address("2001:db8::10")!, routes: [], links: Self.links)
        } catch {
            #expect(error.description == "Unable to find nic or netmask for 2001:db8::10")
        }
    }
}
