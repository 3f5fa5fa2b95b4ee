import OCF

/// One action to run against an agent, with everything Pacemaker's executor would pass.
public struct ActionRequest: Sendable {
    /// The agent.
    public var agent: AgentSpec
    /// The action.
    public var action: OCFAction
    /// Instance parameters, without the `OCF_RESKEY_` prefix, in the order given.
    public var parameters: [(name: String, value: String)]
    /// The resource instance name (`OCF_RESOURCE_INSTANCE`).
    public var instance: String
    /// The OCF root.
    public var ocfRoot: String
    /// The operation timeout in milliseconds; also passed as `CRM_meta_timeout`.
    public var timeoutMilliseconds: Int
    /// The operation interval in milliseconds (`CRM_meta_interval`); 0 for one-off actions and probes.
    public var intervalMilliseconds: Int
    /// `OCF_CHECK_LEVEL` for monitors, if set.
    public var checkLevel: Int?
    /// Further meta-attributes (`CRM_meta_<name>`).
    public var meta: [(name: String, value: String)]
    /// How long after SIGTERM a timed-out action's process group gets SIGKILL.
    public var killGraceMilliseconds: Int

    /// Creates a request with Pacemaker's defaults: a 20 s timeout, interval 0, a 2 s kill grace.
    public init(
        agent: AgentSpec, action: OCFAction, parameters: [(name: String, value: String)] = [],
        instance: String? = nil, ocfRoot: String = "/usr/lib/ocf", timeoutMilliseconds: Int = 20_000,
        intervalMilliseconds: Int = 0, checkLevel: Int? = nil, meta: [(name: String, value: String)] = [],
        killGraceMilliseconds: Int = 2000
    ) {
        self.agent = agent
        self.action = action
        self.parameters = parameters
        self.instance = instance ?? agent.type
        self.ocfRoot = ocfRoot
        self.timeoutMilliseconds = timeoutMilliseconds
        self.intervalMilliseconds = intervalMilliseconds
        self.checkLevel = checkLevel
        self.meta = meta
        self.killGraceMilliseconds = killGraceMilliseconds
    }

    /// The same request for another action (used for follow-up checks).
    public func with(action: OCFAction, intervalMilliseconds: Int = 0) -> ActionRequest {
        var copy = self
        copy.action = action
        copy.intervalMilliseconds = intervalMilliseconds
        return copy
    }

    /// The environment an LSB or heartbeat script runs with: the caller's, without `OCF_`
    /// variables; such scripts take no parameters.
    public func scriptEnvironment(inheriting base: [String: String]) -> [String: String] {
        var environment = base.filter { !$0.key.hasPrefix("OCF_") }
        if environment["PATH"] == nil { environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin" }
        return environment
    }

    /// The environment the agent runs with: the caller's environment without any `OCF_` or
    /// `OCF_RESKEY_` variable of its own, plus exactly the variables Pacemaker's executor sets.
    public func environment(inheriting base: [String: String]) -> [String: String] {
        var environment = base.filter { !$0.key.hasPrefix("OCF_") }
        environment["OCF_RA_VERSION_MAJOR"] = "1"
        environment["OCF_RA_VERSION_MINOR"] = "1"
        environment["OCF_ROOT"] = ocfRoot
        environment["OCF_EXIT_REASON_PREFIX"] = OCFError.reasonPrefix
        environment["OCF_RESOURCE_INSTANCE"] = instance
        environment["OCF_RESOURCE_TYPE"] = agent.type
        if let provider = agent.provider { environment["OCF_RESOURCE_PROVIDER"] = provider }
        for (name, value) in parameters { environment["OCF_RESKEY_\(name)"] = value }
        environment["OCF_RESKEY_CRM_meta_timeout"] = String(timeoutMilliseconds)
        environment["OCF_RESKEY_CRM_meta_interval"] = String(intervalMilliseconds)
        for (name, value) in meta {
            environment["OCF_RESKEY_CRM_meta_" + String(name.map { $0 == "-" ? "_" : $0 })] = value
        }
        if let checkLevel { environment["OCF_CHECK_LEVEL"] = String(checkLevel) }
        if environment["PATH"] == nil { environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin" }
        return environment
    }
}
