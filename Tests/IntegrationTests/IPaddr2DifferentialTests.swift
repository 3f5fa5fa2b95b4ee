import HAKitTestSupport
import Testing

/// Our IPaddr2 next to Debian's resource-agents 4.12 IPaddr2 on the same namespace set-ups: the
/// exit code and where the address lands (interface, prefix, broadcast, label) must match, except
/// in the scenarios that declare a deliberate difference and its reason.
@Suite struct IPaddr2DifferentialTests {
    static let stock = "/usr/lib/ocf/resource.d/heartbeat/IPaddr2"

    /// What a start led to.
    enum Outcome: Hashable, CustomStringConvertible {
        /// Exit 0 and the address configured as described by `ip -o -4 addr` fields.
        case placed(interface: String, prefix: Int, broadcast: String?, label: String?)
        /// A non-zero exit code and nothing configured.
        case failed(Int32)

        var description: String {
            switch self {
            case .placed(let interface, let prefix, let broadcast, let label):
                "on \(interface)/\(prefix) brd \(broadcast ?? "none") label \(label ?? "none")"
            case .failed(let code): "exit \(code)"
            }
        }
    }

    struct Scenario: DifferentialScenario, Sendable {
        var name: String
        /// `ip -n NS …` commands after the base set-up (v0 = 203.0.113.2/24, v2 = 198.51.100.2/24).
        var setup: [[String]] = []
        var parameters: [String: String]
        /// What our agent must do.
        var ours: Outcome
        /// What the stock agent does, when deliberately different, and why.
        var stockDiffers: (outcome: Outcome, reason: String)?

        var description: String { name }
    }

    static let vip = "203.0.113.10"

    static let scenarios: [Scenario] = [
        Scenario(name: "connected /24, no nic", parameters: ["ip": vip],
                 ours: .placed(interface: "v0", prefix: 24, broadcast: "203.0.113.255", label: nil)),
        Scenario(name: "nic given", parameters: ["ip": vip, "nic": "v0"],
                 ours: .placed(interface: "v0", prefix: 24, broadcast: "203.0.113.255", label: nil)),
        Scenario(name: "second subnet chosen by route", parameters: ["ip": "198.51.100.20"],
                 ours: .placed(interface: "v2", prefix: 24, broadcast: "198.51.100.255", label: nil)),
        Scenario(name: "no route at all", parameters: ["ip": "192.0.2.50"], ours: .failed(1)),
        Scenario(name: "nic without a route for the address", parameters: ["ip": vip, "nic": "v2"], ours: .failed(1)),
        Scenario(name: "nic and netmask given, no route needed", parameters: ["ip": "192.0.2.50", "nic": "v2", "cidr_netmask": "24"],
                 ours: .placed(interface: "v2", prefix: 24, broadcast: "192.0.2.255", label: nil),
                 stockDiffers: (.placed(interface: "v2", prefix: 24, broadcast: nil, label: nil),
                                "4.12 copies the broadcast of an existing address on the route; with no route there is none. We compute it.")),
        Scenario(name: "narrower netmask", parameters: ["ip": vip, "cidr_netmask": "25"],
                 ours: .placed(interface: "v0", prefix: 25, broadcast: "203.0.113.127", label: nil),
                 stockDiffers: (.placed(interface: "v0", prefix: 24 + 1, broadcast: "203.0.113.255", label: nil),
                                "4.12 copies the /24 address's broadcast, wrong for /25 (known complaint, resource-agents #656). We compute it.")),
        Scenario(name: "dotted netmask", parameters: ["ip": vip, "cidr_netmask": "255.255.255.0"],
                 ours: .placed(interface: "v0", prefix: 24, broadcast: "203.0.113.255", label: nil)),
        Scenario(name: "netmask wider than the route", parameters: ["ip": vip, "cidr_netmask": "16"], ours: .failed(1)),
        Scenario(name: "netmask 33", parameters: ["ip": vip, "cidr_netmask": "33"], ours: .failed(6)),
        Scenario(name: "netmask 0", parameters: ["ip": vip, "cidr_netmask": "0"], ours: .failed(6)),
        Scenario(name: "explicit broadcast", parameters: ["ip": vip, "broadcast": "203.0.113.200"],
                 ours: .placed(interface: "v0", prefix: 24, broadcast: "203.0.113.200", label: nil)),
        Scenario(name: "broadcast +", parameters: ["ip": vip, "broadcast": "+"],
                 ours: .placed(interface: "v0", prefix: 24, broadcast: "203.0.113.255", label: nil)),
        Scenario(name: "broadcast -", parameters: ["ip": vip, "broadcast": "-"],
                 ours: .placed(interface: "v0", prefix: 24, broadcast: "203.0.113.0", label: nil)),
        Scenario(name: "interface absent", parameters: ["ip": vip, "nic": "eth9"], ours: .failed(1),
                 stockDiffers: (.failed(6), "4.12's findif validation returns OCF_ERR_CONFIGURED for an interface this node lacks, which stops the resource on every node; a fault of this node is 1 here, so Pacemaker recovers elsewhere (as 4.12's own monitor does since 3.9.6).")),
        Scenario(name: "malformed address", parameters: ["ip": "203.0.113.300"], ours: .failed(6)),
        Scenario(name: "address missing", parameters: [:], ours: .failed(6)),
        Scenario(name: "loopback address", parameters: ["ip": "127.0.0.5"],
                 ours: .placed(interface: "lo", prefix: 8, broadcast: nil, label: nil)),
        Scenario(name: "iflabel", parameters: ["ip": vip, "iflabel": "vip"],
                 ours: .placed(interface: "v0", prefix: 24, broadcast: "203.0.113.255", label: "v0:vip")),
        Scenario(name: "iflabel too long", parameters: ["ip": vip, "iflabel": "abcdefghijklmn"], ours: .failed(6)),
        Scenario(name: "nic with label", parameters: ["ip": vip, "nic": "v0:web"],
                 ours: .placed(interface: "v0", prefix: 24, broadcast: "203.0.113.255", label: "v0:web")),
        Scenario(name: "same metric: the more specific route wins",
                 setup: [["addr", "add", "203.0.113.3/25", "brd", "+", "dev", "v2"]], parameters: ["ip": vip],
                 ours: .placed(interface: "v2", prefix: 25, broadcast: "203.0.113.127", label: nil)),
        Scenario(name: "metric beats prefix",
                 setup: [["addr", "add", "203.0.113.3/25", "brd", "+", "dev", "v2", "metric", "100"]], parameters: ["ip": vip],
                 ours: .placed(interface: "v0", prefix: 24, broadcast: "203.0.113.255", label: nil),
                 stockDiffers: (.placed(interface: "v2", prefix: 25, broadcast: nil, label: nil),
                                "4.12 takes the longest prefix whatever the metric (the HOWTO and upstream choose the lowest-cost route), and its positional parse of a route with a metric finds no broadcast to copy.")),
        Scenario(name: "equal prefixes: the lower metric wins",
                 setup: [["route", "add", "203.0.113.0/24", "dev", "v2", "metric", "10"],
                         ["route", "del", "203.0.113.0/24", "dev", "v0"],
                         ["route", "add", "203.0.113.0/24", "dev", "v0", "metric", "100"]],
                 parameters: ["ip": vip],
                 ours: .placed(interface: "v2", prefix: 24, broadcast: "203.0.113.255", label: nil),
                 stockDiffers: (.placed(interface: "v0", prefix: 24, broadcast: nil, label: nil),
                                "4.12 breaks prefix ties by the last route listed, which is the highest metric (and finds no broadcast to copy on that route).")),
        Scenario(name: "only the default route", setup: [["route", "add", "default", "via", "203.0.113.1", "dev", "v0"]],
                 parameters: ["ip": "192.0.2.50"], ours: .failed(1)),
        Scenario(name: "default route and a netmask",
                 setup: [["route", "add", "default", "via", "203.0.113.1", "dev", "v0"]],
                 parameters: ["ip": "192.0.2.50", "cidr_netmask": "24"],
                 ours: .placed(interface: "v0", prefix: 24, broadcast: "192.0.2.255", label: nil),
                 stockDiffers: (.failed(1), "4.12 never uses the default route; the HOWTO allows it when the netmask is given.")),
        Scenario(name: "connected host route", setup: [["route", "add", "198.51.100.9/32", "dev", "v0"]],
                 parameters: ["ip": "198.51.100.9"],
                 ours: .placed(interface: "v0", prefix: 32, broadcast: nil, label: nil),
                 stockDiffers: (.placed(interface: "v2", prefix: 24, broadcast: "198.51.100.255", label: nil),
                                "4.12 ignores host routes (upstream treats them as /32); the /32 route on v0 is the most specific.")),
    ]

    /// Reads where the address landed from `ip -o -4 addr`.
    static func observe(_ runner: AgentRunner, _ address: String, code: Int32) throws -> Outcome {
        guard code == 0 else { return .failed(code) }
        guard let line = try runner.addressLine(address) else { return .failed(-1) }
        let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let interface = fields[1]
        let prefix = Int(fields[3].split(separator: "/")[1])!
        let broadcast = fields.firstIndex(of: "brd").map { fields[$0 + 1] }
        let last = fields.firstIndex { $0.hasSuffix("\\") }.map { fields[$0].dropLast() }.map(String.init)
        let label = last.flatMap { $0.contains(":") ? $0 : nil }
        return .placed(interface: interface, prefix: prefix, broadcast: broadcast, label: label)
    }

    /// Starts the agent, observes, stops it, and checks that stop removed the address.
    static func outcome(_ agent: String, _ scenario: Scenario) throws -> Outcome {
        var result: Outcome = .failed(-2)
        try AgentRunner.with("diff") { runner in
            try runner.namespace.addVethPair("v2", "v3")
            try runner.namespace.ip("addr", "add", "198.51.100.2/24", "brd", "+", "dev", "v2")
            for command in scenario.setup { try IPCommand.run(["-n", runner.namespace.name] + command) }
            let address = scenario.parameters["ip"] ?? vip
            let start = try runner.run(agent, "start", scenario.parameters)
            result = try observe(runner, address, code: start.status)
            if start.status == 0 {
                let stop = try runner.run(agent, "stop", scenario.parameters)
                #expect(stop.status == 0, "\(agent) stop: \(stop.errorOutput)")
                #expect(try runner.addressLine(address) == nil, "\(agent) stop left \(address)")
            }
        }
        return result
    }

    @Test(arguments: scenarios)
    func agreesWithTheStockAgentOrSaysWhyNot(_ scenario: Scenario) throws {
        try scenario.expectAgreement(ours: "IPaddr2", stock: Self.stock) { try Self.outcome($0, $1) }
    }

    @Test func enoughScenariosAndAgreementDominates() {
        #expect(Self.scenarios.count >= 20)
        #expect(Self.scenarios.filter { $0.stockDiffers == nil }.count >= 20)
    }
}
