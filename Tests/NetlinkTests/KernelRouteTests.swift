import HAKitTestSupport
import Netlink
import Testing

/// Route dumps and route selection against the real kernel, each test inside a namespace of its own.
@Suite("Kernel: routes")
struct KernelRouteTests {
    /// v0 and v1 up; 192.0.2.1/24 on v0 (kernel prefix route, metric 0); 198.51.100.0/24 on v0
    /// metric 50; 198.51.100.0/25 on v1 metric 100; a default route via 192.0.2.254.
    static func setUpRoutes(_ namespace: TestNamespace) throws {
        try namespace.addVethPair("v0", "v1")
        try namespace.ip("addr", "add", "192.0.2.1/24", "dev", "v0")
        try namespace.ip("route", "add", "198.51.100.0/24", "dev", "v0", "metric", "50")
        try namespace.ip("route", "add", "198.51.100.0/25", "dev", "v1", "metric", "100")
        try namespace.ip("route", "add", "default", "via", "192.0.2.254", "dev", "v0")
    }

    @Test("the main table's routes, with metrics, gateways and sources")
    func dump() throws {
        try TestNamespace.with("routes-\(#line)") { namespace in
            try Self.setUpRoutes(namespace)
            let socket = try namespace.socket()
            let v0 = try #require(try socket.link(named: "v0"))
            let v1 = try #require(try socket.link(named: "v1"))
            let routes = try socket.routes()
            #expect(routes.count == 4, "\(routes)")
            #expect(routes.allSatisfy { $0.table == .main })

            let kernel = try #require(routes.first { $0.destination == IPv4Address(192, 0, 2, 0) })
            #expect(
                kernel
                    == Route(
                        destination: IPv4Address(192, 0, 2, 0),
                        prefixLength: 24,
                        outputInterfaceIndex: v0.index,
                        metric: 0,
                        table: .main,
                        type: .unicast,
                        scope: .link,
                        protocol: .kernel,
                        preferredSource: IPv4Address(192, 0, 2, 1)
                    )
            )
            let wide = try #require(
                routes.first { $0.destination == IPv4Address(198, 51, 100, 0) && $0.prefixLength == 24 }
            )
            #expect(wide.metric == 50 && wide.outputInterfaceIndex == v0.index && wide.isDirectlyConnected)
            #expect(wide.protocol == .boot)
            let narrow = try #require(routes.first { $0.prefixLength == 25 })
            #expect(narrow.metric == 100 && narrow.outputInterfaceIndex == v1.index && narrow.isDirectlyConnected)
            let fallback = try #require(routes.first { $0.isDefault })
            #expect(fallback.gateway == IPv4Address(192, 0, 2, 254) && fallback.scope == .universe)
            #expect(!fallback.isDirectlyConnected)

            // Cross-check against `ip -4 route show table main`, one line per route.
            #expect(
                try namespace.ip("-4", "route", "show", "table", "main").split(separator: "\n").count == routes.count
            )
        }
    }

    @Test("all tables include the local table")
    func allTables() throws {
        try TestNamespace.with("tables-\(#line)") { namespace in
            try Self.setUpRoutes(namespace)
            let socket = try namespace.socket()
            let all = try socket.routes(table: .all)
            let local = try socket.routes(table: .local)
            #expect(all.count == (try socket.routes()).count + local.count)
            #expect(
                local.contains {
                    $0.type == .local && $0.destination == IPv4Address(192, 0, 2, 1) && $0.prefixLength == 32
                }
            )
            #expect(local.contains { $0.type == .broadcast && $0.destination == IPv4Address(192, 0, 2, 255) })
            #expect(local.allSatisfy { $0.table == .local })
        }
    }

    @Test("findInterface on a real dump")
    func selection() throws {
        try TestNamespace.with("findif-\(#line)") { namespace in
            try Self.setUpRoutes(namespace)
            let socket = try namespace.socket()
            let routes = try socket.routes()
            let links = try socket.links()
            let addresses = try socket.addresses()
            func find(_ address: IPv4Address, nic: String? = nil, netmask: Int? = nil) throws -> InterfaceSelection {
                try findInterface(
                    for: address,
                    routes: routes,
                    links: links,
                    addresses: addresses,
                    nic: nic,
                    netmask: netmask
                )
            }

            let direct = try find(IPv4Address(192, 0, 2, 50))
            #expect(direct.interface.name == "v0" && direct.prefixLength == 24)
            #expect(direct.broadcast == IPv4Address(192, 0, 2, 255))

            // Metric 50 on v0 beats the longer /25 of metric 100 on v1.
            let byMetric = try find(IPv4Address(198, 51, 100, 7))
            #expect(byMetric.interface.name == "v0" && byMetric.prefixLength == 24 && byMetric.route?.metric == 50)

            // With nic=v1 only the /25 counts.
            let onV1 = try find(IPv4Address(198, 51, 100, 7), nic: "v1")
            #expect(onV1.interface.name == "v1" && onV1.prefixLength == 25)
            #expect(onV1.broadcast == IPv4Address(198, 51, 100, 127))
            #expect(throws: InterfaceSelectionError.self) { try find(IPv4Address(198, 51, 100, 200), nic: "v1") }

            // Only the default route reaches 203.0.113.5: an error without a netmask, v0 with one.
            let error = #expect(throws: InterfaceSelectionError.self) { try find(IPv4Address(203, 0, 113, 5)) }
            #expect(error?.code == .defaultRouteOnly)
            let withNetmask = try find(IPv4Address(203, 0, 113, 5), netmask: 27)
            #expect(withNetmask.interface.name == "v0" && withNetmask.prefixLength == 27)
            #expect(withNetmask.broadcast == IPv4Address(203, 0, 113, 31))

            let loopback = try find(IPv4Address(127, 0, 0, 5))
            #expect(loopback.interface.name == "lo" && loopback.prefixLength == 8 && loopback.broadcast == nil)

            #expect(throws: InterfaceSelectionError.self) { try find(IPv4Address(192, 0, 2, 50), nic: "eth9") }
        }
    }
}
