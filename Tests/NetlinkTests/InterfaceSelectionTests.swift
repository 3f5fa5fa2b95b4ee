import Netlink
import Testing

/// Route selection without a kernel: hand-written dumps in, interface/prefix/broadcast or an error out.
@Suite("findInterface")
struct InterfaceSelectionTests {
    static let up: LinkFlags = [.up, .running, .lowerUp]
    static let links = [
        Link(index: 1, name: "lo", flags: up.union([.loopback]), type: .loopback, mtu: 65536),
        Link(index: 2, name: "eth0", flags: up.union([.broadcast, .multicast]), hardwareAddress: [2, 0, 0, 0, 0, 2]),
        Link(index: 3, name: "eth1", flags: up.union([.broadcast, .multicast]), hardwareAddress: [2, 0, 0, 0, 0, 3]),
        Link(index: 4, name: "tun0", flags: up.union([.pointToPoint, .noARP]), type: .none),
    ]

    /// What a case should produce.
    enum Outcome: Equatable, Sendable {
        case selected(nic: String, prefixLength: Int, broadcast: String?)
        case failed(InterfaceSelectionError.Code)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var address: String
        var routes: [Route]
        var addresses: [AddressEntry] = []
        var nic: String? = nil
        var netmask: Int? = nil
        var expected: Outcome

        var testDescription: String { name }
    }

    /// A directly connected route in the main table, as `ip route add NET dev X metric M` makes it.
    static func connected(_ network: String, _ prefixLength: Int, _ index: Int32, metric: UInt32 = 0) -> Route {
        Route(
            destination: IPv4Address(network)!,
            prefixLength: prefixLength,
            outputInterfaceIndex: index,
            metric: metric
        )
    }

    /// A default route through a gateway, as DHCP or `ip route add default via G` makes it.
    static func defaultRoute(via gateway: String, _ index: Int32, metric: UInt32 = 0) -> Route {
        Route(
            destination: .any,
            prefixLength: 0,
            outputInterfaceIndex: index,
            gateway: IPv4Address(gateway)!,
            metric: metric,
            scope: .universe,
            protocol: .boot
        )
    }

    static let cases: [Case] = [
        Case(
            name: "one connected route",
            address: "192.0.2.50",
            routes: [connected("192.0.2.0", 24, 2)],
            expected: .selected(nic: "eth0", prefixLength: 24, broadcast: "192.0.2.255")
        ),
        Case(
            name: "lower metric beats longer prefix",
            address: "198.51.100.7",
            routes: [connected("198.51.100.0", 25, 3, metric: 100), connected("198.51.100.0", 24, 2, metric: 50)],
            expected: .selected(nic: "eth0", prefixLength: 24, broadcast: "198.51.100.255")
        ),
        Case(
            name: "equal metric goes to the longer prefix",
            address: "198.51.100.7",
            routes: [connected("198.51.100.0", 24, 2), connected("198.51.100.0", 25, 3)],
            expected: .selected(nic: "eth1", prefixLength: 25, broadcast: "198.51.100.127")
        ),
        Case(
            name: "equal metric and prefix goes to the first listed",
            address: "192.0.2.9",
            routes: [connected("192.0.2.0", 24, 3, metric: 10), connected("192.0.2.0", 24, 2, metric: 10)],
            expected: .selected(nic: "eth1", prefixLength: 24, broadcast: "192.0.2.255")
        ),
        Case(
            name: "a connected route beats a default route of lower metric",
            address: "192.0.2.9",
            routes: [defaultRoute(via: "203.0.113.1", 3), connected("192.0.2.0", 24, 2, metric: 100)],
            expected: .selected(nic: "eth0", prefixLength: 24, broadcast: "192.0.2.255")
        ),
        Case(
            name: "default route only is an error",
            address: "198.51.100.3",
            routes: [defaultRoute(via: "192.0.2.1", 2), connected("192.0.2.0", 24, 2)],
            expected: .failed(.defaultRouteOnly)
        ),
        Case(
            name: "default route with a netmask",
            address: "198.51.100.3",
            routes: [defaultRoute(via: "192.0.2.1", 2), connected("192.0.2.0", 24, 2)],
            netmask: 24,
            expected: .selected(nic: "eth0", prefixLength: 24, broadcast: "198.51.100.255")
        ),
        Case(
            name: "no route at all",
            address: "198.51.100.3",
            routes: [connected("192.0.2.0", 24, 2)],
            expected: .failed(.noRoute)
        ),
        Case(
            name: "nic keeps only its own routes",
            address: "192.0.2.9",
            routes: [connected("192.0.2.0", 24, 2), connected("192.0.2.0", 24, 3, metric: 100)],
            nic: "eth1",
            expected: .selected(nic: "eth1", prefixLength: 24, broadcast: "192.0.2.255")
        ),
        Case(
            name: "nic without a matching route",
            address: "192.0.2.9",
            routes: [connected("192.0.2.0", 24, 2), defaultRoute(via: "192.0.2.1", 2)],
            nic: "eth1",
            expected: .failed(.noRoute)
        ),
        Case(
            name: "nic that does not exist",
            address: "192.0.2.50",
            routes: [connected("192.0.2.0", 24, 2)],
            nic: "eth9",
            expected: .failed(.noSuchInterface)
        ),
        Case(
            name: "loopback goes to lo /8 without broadcast",
            address: "127.0.0.5",
            routes: [defaultRoute(via: "192.0.2.1", 2)],
            expected: .selected(nic: "lo", prefixLength: 8, broadcast: nil)
        ),
        Case(
            name: "loopback netmask wider than /8",
            address: "127.0.0.5",
            routes: [],
            netmask: 4,
            expected: .failed(.netmaskWiderThanRoute)
        ),
        Case(
            name: "loopback with another nic",
            address: "127.0.0.5",
            routes: [],
            nic: "eth0",
            expected: .failed(.noRoute)
        ),
        Case(
            name: "/31 netmask has no broadcast",
            address: "198.51.100.4",
            routes: [connected("198.51.100.0", 24, 2)],
            netmask: 31,
            expected: .selected(nic: "eth0", prefixLength: 31, broadcast: nil)
        ),
        Case(
            name: "/32 host route has no broadcast",
            address: "203.0.113.9",
            routes: [connected("203.0.113.9", 32, 3)],
            expected: .selected(nic: "eth1", prefixLength: 32, broadcast: nil)
        ),
        Case(
            name: "interface without IFF_BROADCAST gets none",
            address: "203.0.113.9",
            routes: [connected("203.0.113.0", 24, 4)],
            expected: .selected(nic: "tun0", prefixLength: 24, broadcast: nil)
        ),
        Case(
            name: "narrower netmask computes its own broadcast",
            address: "192.0.2.100",
            routes: [connected("192.0.2.0", 24, 2)],
            netmask: 25,
            expected: .selected(nic: "eth0", prefixLength: 25, broadcast: "192.0.2.127")
        ),
        Case(
            name: "netmask wider than the route",
            address: "192.0.2.100",
            routes: [connected("192.0.2.0", 24, 2)],
            netmask: 16,
            expected: .failed(.netmaskWiderThanRoute)
        ),
        Case(
            name: "netmask skips routes narrower than it",
            address: "192.0.2.10",
            routes: [connected("192.0.2.0", 26, 3), connected("192.0.2.0", 24, 2, metric: 100)],
            netmask: 24,
            expected: .selected(nic: "eth0", prefixLength: 24, broadcast: "192.0.2.255")
        ),
        Case(
            name: "gateway routes are not directly connected",
            address: "198.51.100.3",
            routes: [
                Route(
                    destination: IPv4Address(198, 51, 100, 0),
                    prefixLength: 24,
                    outputInterfaceIndex: 2,
                    gateway: IPv4Address(192, 0, 2, 254),
                    scope: .universe,
                    protocol: .boot
                )
            ],
            expected: .failed(.noRoute)
        ),
        Case(
            name: "other tables do not count",
            address: "198.51.100.3",
            routes: [
                Route(
                    destination: IPv4Address(198, 51, 100, 0),
                    prefixLength: 24,
                    outputInterfaceIndex: 2,
                    table: RouteTable(rawValue: 100)
                )
            ],
            expected: .failed(.noRoute)
        ),
        Case(
            name: "unreachable routes do not count",
            address: "198.51.100.3",
            routes: [
                Route(
                    destination: IPv4Address(198, 51, 100, 0),
                    prefixLength: 24,
                    outputInterfaceIndex: nil,
                    type: .unreachable,
                    scope: .universe
                )
            ],
            expected: .failed(.noRoute)
        ),
        Case(
            name: "an address already configured without a prefix route",
            address: "203.0.113.10",
            routes: [connected("192.0.2.0", 24, 2)],
            addresses: [
                AddressEntry(
                    interfaceIndex: 3,
                    address: IPv4Address(203, 0, 113, 10),
                    prefixLength: 24,
                    flags: .noPrefixRoute
                )
            ],
            expected: .selected(nic: "eth1", prefixLength: 24, broadcast: "203.0.113.255")
        ),
    ]

    @Test("route selection", arguments: cases)
    func selection(_ testCase: Case) throws {
        let address = try #require(IPv4Address(testCase.address))
        let outcome: Outcome
        do {
            let selection = try findInterface(
                for: address,
                routes: testCase.routes,
                links: Self.links,
                addresses: testCase.addresses,
                nic: testCase.nic,
                netmask: testCase.netmask
            )
            outcome = .selected(
                nic: selection.interface.name,
                prefixLength: selection.prefixLength,
                broadcast: selection.broadcast?.description
            )
        } catch {
            outcome = .failed(error.code)
        }
        #expect(outcome == testCase.expected)
    }

    @Test("the chosen route is reported")
    func chosenRoute() throws {
        let routes = [
            Self.connected("198.51.100.0", 25, 3, metric: 100), Self.connected("198.51.100.0", 24, 2, metric: 50),
        ]
        let selection = try findInterface(for: IPv4Address(198, 51, 100, 7), routes: routes, links: Self.links)
        #expect(selection.route == routes[1])
        #expect(selection.interface.index == 2)
    }

    @Test("error texts name the address and the problem")
    func errorTexts() {
        let noRoute = #expect(throws: InterfaceSelectionError.self) {
            try findInterface(for: IPv4Address(198, 51, 100, 3), routes: [], links: Self.links)
        }
        #expect(noRoute?.description == "Unable to find nic or netmask for 198.51.100.3")
        let wider = #expect(throws: InterfaceSelectionError.self) {
            try findInterface(
                for: IPv4Address(192, 0, 2, 5),
                routes: [Self.connected("192.0.2.0", 24, 2)],
                links: Self.links,
                netmask: 16
            )
        }
        #expect(wider?.description == "cidr_netmask 16 is wider than the route 192.0.2.0/24 on eth0")
        let missing = #expect(throws: InterfaceSelectionError.self) {
            try findInterface(for: IPv4Address(192, 0, 2, 5), routes: [], links: Self.links, nic: "eth9")
        }
        #expect(missing?.description == "interface eth9 does not exist")
    }
}
