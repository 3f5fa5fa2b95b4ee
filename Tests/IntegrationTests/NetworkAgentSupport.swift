import HAKitSystem
import HAKitTestSupport
import Testing

/// Running network agents — ours through the multi-call binary, or the stock shell agents —
/// inside a test namespace with a private state directory.
struct AgentRunner {
    let namespace: TestNamespace
    let stateDirectory: String
    /// Where `agentLink` puts links named after the agents (0755, for ocf-tester's `nobody`).
    let linkDirectory: String

    /// Runs `agent action` with `OCF_RESKEY_*` parameters; `agent` is one of our agent names, or a
    /// path for a stock agent.
    func run(_ agent: String, _ action: String, _ parameters: [String: String], probe: Bool = false) throws
        -> TestSupport.CommandResult
    {
        var environment = [
            "OCF_ROOT": "/usr/lib/ocf", "OCF_RA_VERSION_MAJOR": "1", "OCF_RA_VERSION_MINOR": "1",
            "OCF_RESOURCE_INSTANCE": "r1", "HA_RSCTMP": stateDirectory, "OCF_RESKEY_CRM_meta_timeout": "20000",
            "OCF_RESKEY_CRM_meta_interval": probe ? "0" : "10000",
        ]
        for (name, value) in parameters { environment["OCF_RESKEY_\(name)"] = value }
        let command = agent.hasPrefix("/") ? [agent, action] : [TestSupport.binary("hakit-agent"), agent, action]
        return try namespace.exec(command, environment: environment)
    }

    /// Runs an agent the heartbeat v1 way, as haresources does: `TYPE ARGUMENT… ACTION`, through a
    /// link named after the agent and with no OCF variables; extra `OCF_RESKEY_*` only if given.
    func legacy(_ agent: String, _ arguments: [String], _ action: String, _ parameters: [String: String] = [:]) throws
        -> TestSupport.CommandResult
    {
        var environment = ["HA_RSCTMP": stateDirectory]
        for (name, value) in parameters { environment["OCF_RESKEY_\(name)"] = value }
        return try namespace.exec([try agentLink(agent)] + arguments + [action], environment: environment)
    }

    /// A link named `agent` to the multi-call binary, in a directory `nobody` can read (ocf-tester
    /// runs meta-data as nobody); made once per runner.
    func agentLink(_ agent: String) throws -> String {
        let link = "\(linkDirectory)/\(agent)"
        if !FileSystem.exists(link) { try TestSupport.linkAgent(at: link) }
        return link
    }

    /// Runs Debian's `ocf-tester -n r1 -o NAME=VALUE… AGENT` inside the namespace and expects it to pass.
    func expectPassesOcfTester(
        _ agent: String, _ parameters: [String: String], sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let options = parameters.sorted { $0.key < $1.key }.flatMap { ["-o", "\($0.key)=\($0.value)"] }
        let result = try namespace.exec(
            ["ocf-tester", "-n", "r1"] + options + [try agentLink(agent)], environment: ["HA_RSCTMP": stateDirectory],
            timeoutMilliseconds: 120_000)
        #expect(result.status == 0, "\(result.output)\(result.errorOutput)", sourceLocation: sourceLocation)
        #expect(result.output.contains("\(agent) passed all tests"), sourceLocation: sourceLocation)
    }

    /// Expects validate-all and start to refuse `parameters` with `code` and an exit reason that
    /// contains `reason`, nothing to be added, stop to succeed and a probe to return `probeCode`
    /// (the IP agents' probe says 7 where the address cannot be placed here; malformed values stay 6).
    /// validate-all returns `validateCode` when given (2 where start's 1 is for something missing
    /// on this node).
    func expectRefused(
        _ agent: String, _ parameters: [String: String], code: Int32, validateCode: Int32? = nil, probeCode: Int32,
        reason: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        for action in ["validate-all", "start"] {
            let result = try run(agent, action, parameters)
            let expected = action == "validate-all" ? validateCode ?? code : code
            #expect(result.status == expected, "\(action): \(result.errorOutput)", sourceLocation: sourceLocation)
            #expect(result.errorOutput.contains("ocf-exit-reason:"), "\(action)", sourceLocation: sourceLocation)
            #expect(result.errorOutput.contains(reason), "\(action): \(result.errorOutput)", sourceLocation: sourceLocation)
        }
        #expect(try namespace.addressLines().count == 2, "nothing was added (lo and v0 only)", sourceLocation: sourceLocation)
        #expect(try run(agent, "stop", parameters).status == 0, "stop of an unusable configuration succeeds", sourceLocation: sourceLocation)
        #expect(try run(agent, "monitor", parameters, probe: true).status == probeCode, sourceLocation: sourceLocation)
    }

    /// Waits up to two seconds for a process to end; returns whether it did.
    static func waitForExit(_ pid: Int32) -> Bool {
        let deadline = MonotonicClock.milliseconds() + 2000
        while ProcessTable.isRunning(pid) && MonotonicClock.milliseconds() < deadline { MonotonicClock.sleep(milliseconds: 10) }
        return !ProcessTable.isRunning(pid)
    }

    /// The hardware address of an interface in the namespace, as tcpdump prints it.
    func hardwareAddress(_ interface: String) throws -> String {
        let words = try namespace.ip("-o", "link", "show", interface).split(separator: " ")
        return String(words.drop { $0 != "link/ether" && $0 != "link/loopback" }.dropFirst().first ?? "")
    }

    /// The `tcpdump -nn -e` lines (without the time stamp) of one gratuitous ARP round for `address`
    /// from `mac`: a broadcast request, then a broadcast reply.
    static func gratuitousRound(_ address: String, from mac: String) -> [String] {
        let header = "\(mac) > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 60: "
        return [
            header + "Request who-has \(address) tell \(address), length 46",
            header + "Reply \(address) is-at \(mac), length 46",
        ]
    }

    /// A capture's lines without their time stamps.
    static func frames(_ capture: PacketCapture) -> [String] {
        capture.lines().map { String($0.drop { $0 != " " }.dropFirst()) }
    }

    /// Runs `body` in a fresh namespace `hakit-<tag>-<pid>` with a veth pair v0/v1 (v0 has
    /// 203.0.113.2/24, v1 is the "wire" a capture listens on) and a private state directory.
    static func with(_ tag: String, prefix: String = "hakit-ip", _ body: (AgentRunner) throws -> Void) throws {
        try TestNamespace.with(prefix: prefix, tag) { namespace in
            try namespace.addVethPair("v0", "v1")
            try namespace.ip("addr", "add", "203.0.113.2/24", "brd", "+", "dev", "v0")
            let state = try TestSupport.temporaryDirectory("rsc-\(tag)")
            defer { TestSupport.removeTree(state) }
            let links = try TestSupport.temporaryDirectory("agents-\(tag)", mode: 0o755)
            defer { TestSupport.removeTree(links) }
            try body(AgentRunner(namespace: namespace, stateDirectory: state, linkDirectory: links))
        }
    }

    /// The `ip -o -4 addr` line for an address, if it is configured.
    func addressLine(_ address: String) throws -> String? {
        try namespace.addressLines().first { $0.contains(" inet \(address)/") }
    }
}
