import HAKitSystem
import HAKitTestSupport

/// Running network agents — ours through the multi-call binary, or the stock shell agents —
/// inside a test namespace with a private state directory.
struct AgentRunner {
    let namespace: TestNamespace
    let stateDirectory: String

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

    /// Runs `body` in a fresh namespace `hakit-<tag>-<pid>` with a veth pair v0/v1 (v0 has
    /// 203.0.113.2/24, v1 is the "wire" a capture listens on) and a private state directory.
    static func with(_ tag: String, _ body: (AgentRunner) throws -> Void) throws {
        try TestNamespace.with(prefix: "hakit-ip", tag) { namespace in
            try namespace.addVethPair("v0", "v1")
            try namespace.ip("addr", "add", "203.0.113.2/24", "brd", "+", "dev", "v0")
            let state = try TestSupport.temporaryDirectory("rsc-\(tag)")
            defer { TestSupport.removeTree(state) }
            try body(AgentRunner(namespace: namespace, stateDirectory: state))
        }
    }

    /// The `ip -o -4 addr` line for an address, if it is configured.
    func addressLine(_ address: String) throws -> String? {
        try namespace.addressLines().first { $0.contains(" inet \(address)/") }
    }
}
