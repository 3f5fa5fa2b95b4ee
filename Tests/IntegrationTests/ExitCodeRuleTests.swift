import HAKitSystem
import HAKitTestSupport
import Testing

/// The exit-code rule, agent × fault × action: a fault of this node (an interface missing or
/// gone, a network namespace missing) never returns 6 — OCF_ERR_CONFIGURED makes Pacemaker stop
/// the resource on every node and never restart it — but 1 (start, recurring monitor: recover
/// elsewhere), 2 (validate-all: invalid on this host), 7 (probe: cannot be running here) or 0
/// (stop: nothing to stop). 6 only for a value wrong on every node. Each case runs in its own
/// namespace, ours and then Debian's resource-agents 4.12 agent, which must return the same
/// codes except where a case declares the difference and why. README.md has the table.
@Suite struct ExitCodeRuleTests {
    struct Case: CustomStringConvertible, Sendable {
        var agent: String
        var fault: String
        var parameters: [String: String]
        /// `ip -n NS …` commands run after a successful start: the fault appears while it runs.
        var whileRunning: [[String]]? = nil
        /// The actions in order and our code for each; `probe` is a monitor with interval 0.
        var steps: [(action: String, code: Int32)]
        /// Whether the configuration is wrong on every node, the only case 6 is allowed.
        var wrongEverywhere = false
        /// The stock agent's codes where they differ from ours, and why.
        var stockDiffers: (codes: [String: Int32], reason: String)? = nil
        /// Why the stock agent is not run, if it is not.
        var stockNotRun: String? = nil

        var description: String { "\(agent): \(fault)" }
    }

    static let vanish = [["link", "del", "v2"]]

    static let cases: [Case] = [
        Case(
            agent: "IPaddr2", fault: "nic missing on this node", parameters: ["ip": "203.0.113.10", "nic": "eth9"],
            steps: [("validate-all", 2), ("start", 1), ("probe", 7), ("stop", 0)],
            stockDiffers: (["validate-all": 6, "start": 6],
                           "4.12's findif validation calls an interface this node lacks OCF_ERR_CONFIGURED (its ocft case expects it), which bans the resource everywhere")),
        Case(
            agent: "IPaddr2", fault: "nic vanished while running", parameters: ["ip": "198.51.100.20", "nic": "v2"],
            whileRunning: vanish, steps: [("monitor", 1), ("probe", 7), ("stop", 0)]),
        Case(
            agent: "IPaddr2", fault: "network namespace missing on this node",
            parameters: ["ip": "203.0.113.10", "network_namespace": "hk-ag-no-such-ns"],
            steps: [("validate-all", 2), ("start", 1), ("probe", 7), ("stop", 0)],
            stockDiffers: (["validate-all": 255, "start": 255, "probe": 255, "stop": 255],
                           "4.12 re-executes itself under ip netns exec, which exits 255 when the namespace is missing: a failed probe and a failed stop (fencing)")),
        Case(
            agent: "IPaddr2", fault: "malformed ip", parameters: ["ip": "203.0.113.300"],
            steps: [("validate-all", 6), ("start", 6), ("probe", 6), ("monitor", 6), ("stop", 0)], wrongEverywhere: true,
            stockDiffers: (["probe": 7, "monitor": 1],
                           "4.12 validates ip on start and validate-all only; a value wrong everywhere is 6 in every action here")),
        Case(
            agent: "IPaddr", fault: "nic missing on this node", parameters: ["ip": "203.0.113.10", "nic": "eth9"],
            steps: [("validate-all", 2), ("start", 1), ("probe", 7), ("stop", 0)],
            stockDiffers: (["validate-all": 1], "4.12's validate-all passes findif's failure through; validate-all's code for invalid on this host is 2")),
        Case(
            agent: "IPaddr", fault: "nic vanished while running", parameters: ["ip": "198.51.100.20", "nic": "v2"],
            whileRunning: vanish, steps: [("monitor", 1), ("probe", 7), ("stop", 0)],
            stockDiffers: (["monitor": 7],
                           "4.12 reports the alias gone (7, a failure on a recurring monitor too); 1 as IPaddr2 returns since 3.9.6 — both make Pacemaker recover")),
        Case(
            agent: "SendArp", fault: "nic missing on this node, foreground",
            parameters: ["ip": "203.0.113.60", "nic": "eth9", "background": "false"],
            steps: [("validate-all", 2), ("start", 1), ("probe", 7), ("stop", 0)],
            stockDiffers: (["validate-all": 0], "4.12's validate-all checks only that ip and nic are set")),
        Case(
            agent: "SendArp", fault: "nic missing on this node, background", parameters: ["ip": "203.0.113.60", "nic": "eth9"],
            steps: [("start", 1), ("probe", 7)],
            stockDiffers: (["start": 0, "probe": 0],
                           "4.12 starts send_arp in the background and records the resource as started before send_arp fails (its stop then races the dying send_arp: 0 or 1)")),
        Case(
            agent: "SendArp", fault: "none: nic with a label is its base interface",
            parameters: ["ip": "203.0.113.60", "nic": "v0:0", "background": "false", "arp_count": "1"],
            steps: [("validate-all", 0), ("start", 0), ("monitor", 0), ("stop", 0), ("probe", 7)]),
        Case(
            agent: "SendArp", fault: "nic vanished while running", parameters: ["ip": "198.51.100.60", "nic": "v2"],
            whileRunning: vanish, steps: [("monitor", 0), ("stop", 0), ("probe", 7)]),
        Case(
            agent: "SendArp", fault: "malformed ip", parameters: ["ip": "203.0.113.600", "nic": "v0", "background": "false"],
            steps: [("validate-all", 6), ("start", 6), ("stop", 0)], wrongEverywhere: true,
            stockDiffers: (["validate-all": 0, "start": 1],
                           "4.12 passes the value to send_arp, which fails (its ocft case expects 1); 6 is right: it is wrong on every node")),
    ]

    /// Runs a case's steps with one agent (ours by name, the stock one by path) in a fresh namespace.
    static func codes(_ agent: String, _ c: Case) throws -> [String: Int32] {
        var codes: [String: Int32] = [:]
        try AgentRunner.with("rule", prefix: "hk-ag") { runner in
            try runner.namespace.addVethPair("v2", "v3")
            try runner.namespace.ip("addr", "add", "198.51.100.2/24", "brd", "+", "dev", "v2")
            if let commands = c.whileRunning {
                let start = try runner.run(agent, "start", c.parameters)
                try #require(start.status == 0, "\(agent) start before the fault: \(start.errorOutput)")
                for command in commands { try IPCommand.run(["-n", runner.namespace.name] + command) }
            }
            for step in c.steps {
                let probe = step.action == "probe"
                let result = try runner.run(agent, probe ? "monitor" : step.action, c.parameters, probe: probe)
                codes[step.action] = result.status
            }
            // Whatever happened, nothing may be left: stop at the end (its code is a step's, if listed).
            _ = try runner.run(agent, "stop", c.parameters)
        }
        return codes
    }

    @Test(arguments: cases)
    func faultsOfThisNodeAreNeverConfigurationErrors(_ c: Case) throws {
        let ours = try Self.codes(c.agent, c)
        let expected = Dictionary(c.steps.map { ($0.action, $0.code) }) { $1 }
        #expect(ours == expected, "ours")
        if !c.wrongEverywhere {
            #expect(!ours.values.contains(6), "a fault of this node returned OCF_ERR_CONFIGURED: \(ours)")
        }
        guard c.stockNotRun == nil else { return }
        let stock = try Self.codes("/usr/lib/ocf/resource.d/heartbeat/\(c.agent)", c)
        let stockExpected = expected.merging(c.stockDiffers?.codes ?? [:]) { $1 }
        #expect(stock == stockExpected, "stock \(c.agent): \(stock) (\(c.stockDiffers?.reason ?? "no declared difference"))")
    }

    @Test func everyAgentAndFaultClassIsCovered() {
        let agents = Set(Self.cases.map(\.agent))
        #expect(agents == ["IPaddr2", "IPaddr", "SendArp"])
        for agent in agents {
            #expect(Self.cases.contains { $0.agent == agent && $0.whileRunning != nil }, "\(agent): no fault while running")
            #expect(Self.cases.contains { $0.agent == agent && $0.fault.contains("missing") }, "\(agent): no missing nic")
        }
    }
}
