import HAKitTestSupport
import Testing

/// Our IPaddr2 next to Debian's resource-agents 4.12 IPaddr2 with IPv6 addresses, on the same
/// namespace set-ups: the exit code and where the address lands (interface, prefix, flags) must
/// match, and monitor must say running after start and stopped after stop, except in the
/// scenarios that declare a deliberate difference and its reason.
@Suite struct IPaddr2IPv6DifferentialTests {
    static let stock = IPaddr2DifferentialTests.stock

    /// What a start led to.
    enum Outcome: Hashable, CustomStringConvertible {
        /// Exit 0 and the address configured: interface, prefix and the flags `ip` shows.
        case placed(interface: String, prefix: Int, flags: [String])
        /// A non-zero exit code and nothing configured.
        case failed(Int32)

        var description: String {
            switch self {
            case .placed(let interface, let prefix, let flags): "on \(interface)/\(prefix) \(flags.joined(separator: " "))"
            case .failed(let code): "exit \(code)"
            }
        }
    }

    struct Scenario: DifferentialScenario, Sendable {
        var name: String
        /// `ip -n NODE …` commands after the base set-up (v0 = 2001:db8::2/64, v2 = 2001:db8:1::2/64).
        var setup: [[String]] = []
        /// `ip -n PEER …` commands: the other node on v0's link (v1 = 2001:db8::3/64).
        var peerSetup: [[String]] = []
        var parameters: [String: String]
        /// What our agent must do.
        var ours: Outcome
        /// What the stock agent does, when deliberately different, and why.
        var stockDiffers: (outcome: Outcome, reason: String)?

        var description: String { name }
    }

    static let vip = "2001:db8::10"
    static let onV0 = Outcome.placed(interface: "v0", prefix: 64, flags: [])

    static let scenarios: [Scenario] = [
        Scenario(name: "connected /64, no nic", parameters: ["ip": vip], ours: onV0),
        Scenario(name: "nic given", parameters: ["ip": vip, "nic": "v0"], ours: onV0),
        Scenario(name: "uncompressed upper-case address", parameters: ["ip": "2001:DB8:0:0:0:0:0:10"], ours: onV0),
        Scenario(name: "second subnet chosen by route", parameters: ["ip": "2001:db8:1::20"],
                 ours: .placed(interface: "v2", prefix: 64, flags: [])),
        Scenario(name: "no route at all", parameters: ["ip": "2001:db8:99::5"], ours: .failed(1)),
        Scenario(name: "nic without a route for the address", parameters: ["ip": vip, "nic": "v2"], ours: .failed(1)),
        Scenario(name: "nic and prefix given, no route needed",
                 parameters: ["ip": "2001:db8:99::5", "nic": "v2", "cidr_netmask": "64"],
                 ours: .placed(interface: "v2", prefix: 64, flags: [])),
        Scenario(name: "longer prefix given", parameters: ["ip": vip, "cidr_netmask": "96"],
                 ours: .placed(interface: "v0", prefix: 96, flags: [])),
        Scenario(name: "prefix wider than the route", parameters: ["ip": vip, "cidr_netmask": "48"], ours: .failed(1)),
        Scenario(name: "prefix 129", parameters: ["ip": vip, "cidr_netmask": "129"], ours: .failed(6)),
        Scenario(name: "prefix 0", parameters: ["ip": vip, "cidr_netmask": "0"], ours: .failed(6)),
        Scenario(name: "malformed address", parameters: ["ip": "2001:db8::g"], ours: .failed(6)),
        Scenario(name: "link-local without nic", parameters: ["ip": "fe80::10"], ours: .failed(6)),
        Scenario(name: "link-local with nic", parameters: ["ip": "fe80::10", "nic": "v2"],
                 ours: .placed(interface: "v2", prefix: 64, flags: [])),
        Scenario(name: "nodad", parameters: ["ip": vip, "nodad": "true"],
                 ours: .placed(interface: "v0", prefix: 64, flags: ["nodad"])),
        Scenario(name: "noprefixroute", parameters: ["ip": vip, "noprefixroute": "true"],
                 ours: .placed(interface: "v0", prefix: 64, flags: ["noprefixroute"])),
        Scenario(name: "preferred_lft 0", parameters: ["ip": vip, "preferred_lft": "0"],
                 ours: .placed(interface: "v0", prefix: 64, flags: ["deprecated"])),
        Scenario(name: "iflabel has no effect on IPv6", parameters: ["ip": vip, "iflabel": "vip"], ours: onV0),
        Scenario(name: "lvs_support", parameters: ["ip": vip, "lvs_support": "true"], ours: .failed(6)),
        Scenario(name: "lvs_ipv6_addrlabel", parameters: ["ip": vip, "lvs_ipv6_addrlabel": "true"], ours: onV0),
        Scenario(name: "same metric: the more specific route wins",
                 setup: [["route", "add", "2001:db8::/80", "dev", "v2", "metric", "256"]], parameters: ["ip": vip],
                 ours: .placed(interface: "v2", prefix: 80, flags: [])),
        Scenario(name: "only the default route", setup: [["route", "add", "default", "via", "2001:db8::1", "dev", "v0"]],
                 parameters: ["ip": "2001:db8:99::5"], ours: .failed(1)),
        Scenario(name: "a route through a gateway",
                 setup: [["route", "add", "2001:db8:5::/48", "via", "2001:db8::1", "dev", "v0"]],
                 parameters: ["ip": "2001:db8:5::10"], ours: .failed(1)),
        Scenario(name: "the address is on the peer (DAD fails)",
                 peerSetup: [["addr", "add", "2001:db8::10/64", "dev", "v1", "nodad"]], parameters: ["ip": vip],
                 ours: .failed(1)),
        // Deliberate differences.
        Scenario(name: "metric beats prefix",
                 setup: [["route", "add", "2001:db8::/80", "dev", "v2", "metric", "1000"]], parameters: ["ip": vip],
                 ours: onV0,
                 stockDiffers: (.placed(interface: "v2", prefix: 80, flags: []),
                                "4.12 takes the longest prefix whatever the metric; the lowest-cost route wins here, as for IPv4.")),
        Scenario(name: "default route and a prefix length",
                 setup: [["route", "add", "default", "via", "2001:db8::1", "dev", "v0"]],
                 parameters: ["ip": "2001:db8:99::5", "cidr_netmask": "64"],
                 ours: .placed(interface: "v0", prefix: 64, flags: []),
                 stockDiffers: (.failed(1), "4.12 never uses the default route; the HOWTO allows it when the netmask is given.")),
        Scenario(name: "interface absent", parameters: ["ip": vip, "nic": "eth9"], ours: .failed(1),
                 stockDiffers: (.failed(6), "a fault of this node is 1, so that Pacemaker recovers elsewhere (4.12: 6, as for IPv4).")),
        Scenario(name: "broadcast with IPv6", parameters: ["ip": vip, "broadcast": "+"], ours: .failed(6),
                 stockDiffers: (.failed(1), "IPv6 has no broadcast on any node: refused as a configuration error; 4.12 runs `ip addr add … brd +` and fails start.")),
        Scenario(name: "multicast address", parameters: ["ip": "ff05::10"], ours: .failed(6),
                 stockDiffers: (.failed(1), "a multicast address is no floating address on any node (6); 4.12 finds no route for it.")),
    ]

    /// Reads where the address landed from `ip -o -6 addr`.
    static func observe(_ lab: IPv6Lab, _ address: String, code: Int32) throws -> Outcome {
        guard code == 0 else { return .failed(code) }
        guard let line = try lab.line(address) else { return .failed(-1) }
        let fields = line.prefix { $0 != "\\" }.split(separator: " ").map(String.init)
        guard fields.count >= 4, let prefix = fields[3].split(separator: "/").last.flatMap({ Int($0) }) else { return .failed(-3) }
        let known = ["nodad", "noprefixroute", "deprecated", "tentative", "dadfailed"]
        return .placed(interface: fields[1], prefix: prefix, flags: known.filter(fields.contains))
    }

    /// Starts the agent, observes, monitors, stops it, and checks that stop removed the address.
    /// `addressKey` names the parameter that holds the address (IPv6addr's `ipv6addr` may carry
    /// a `/prefix`); `extra` parameters are added to every run.
    static func outcome(
        _ agent: String, _ scenario: Scenario, addressKey: String = "ip", extra: [String: String] = ["arp_count": "1"]
    ) throws -> Outcome {
        var result: Outcome = .failed(-2)
        try IPv6Lab.with("diff") { lab in
            try lab.node.addVethPair("v2", "v3")
            try lab.node.ip("addr", "add", "2001:db8:1::2/64", "dev", "v2", "nodad")
            for command in scenario.setup { try IPCommand.run(["-n", lab.node.name] + command) }
            for command in scenario.peerSetup { try IPCommand.run(["-n", lab.peer.name] + command) }
            let before = try lab.globalState()
            let parameters = scenario.parameters.merging(extra) { given, _ in given }
            let given = scenario.parameters[addressKey] ?? vip
            let address = IPv6Text.canonical(String(given.prefix { $0 != "/" }))
            let start = try lab.runner.run(agent, "start", parameters)
            result = try observe(lab, address, code: start.status)
            if start.status == 0 {
                let monitor = try lab.runner.run(agent, "monitor", parameters)
                #expect(monitor.status == 0, "\(agent) monitor after start: \(monitor.errorOutput)")
                let stop = try lab.runner.run(agent, "stop", parameters)
                #expect(stop.status == 0, "\(agent) stop: \(stop.errorOutput)")
                #expect(try lab.runner.run(agent, "monitor", parameters).status == 7, "\(agent) monitor after stop")
            }
            #expect(try lab.globalState() == before, "\(agent) left something behind")
        }
        return result
    }

    @Test(arguments: scenarios)
    func agreesWithTheStockAgentOrSaysWhyNot(_ scenario: Scenario) throws {
        try scenario.expectAgreement(ours: "IPaddr2", stock: Self.stock) { try Self.outcome($0, $1) }
    }

    @Test func enoughScenariosAndAgreementDominates() {
        #expect(Self.scenarios.count >= 25)
        #expect(Self.scenarios.filter { $0.stockDiffers == nil }.count >= 20)
    }
}
