import Runner

/// What the ocf-tester style suite runs against, and how.
public struct ConformanceOptions: Sendable {
    /// The agent under test.
    public var agent: AgentSpec
    /// The resource instance name (`-n`, `OCF_RESOURCE_INSTANCE`).
    public var instance: String
    /// Instance parameters (`-o name=value`), in the order given.
    public var parameters: [(name: String, value: String)]
    /// The OCF root passed to the agent as `OCF_ROOT`.
    public var ocfRoot: String
    /// The environment agents inherit (the executor drops any `OCF_` variable of it).
    public var environment: [String: String]
    /// Report every agent run and what it wrote to standard error.
    public var verbose: Bool
    /// The user meta-data must also work as (ocf-tester uses `nobody`).
    public var unprivilegedUser: String
    /// The DTD meta-data is validated against.
    public var dtdPath: String

    /// Creates options with ocf-tester's defaults: user `nobody`, resource-agents' `ra-api-1.dtd`.
    public init(
        agent: AgentSpec, instance: String? = nil, parameters: [(name: String, value: String)] = [],
        ocfRoot: String = "/usr/lib/ocf", environment: [String: String], verbose: Bool = false,
        unprivilegedUser: String = "nobody", dtdPath: String = "/usr/share/resource-agents/ra-api-1.dtd"
    ) {
        self.agent = agent
        self.instance = instance ?? agent.type
        self.parameters = parameters
        self.ocfRoot = ocfRoot
        self.environment = environment
        self.verbose = verbose
        self.unprivilegedUser = unprivilegedUser
        self.dtdPath = dtdPath
    }
}
