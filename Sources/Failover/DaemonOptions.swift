import Runner

/// How `heartbeat-lite run` was asked to run.
public struct DaemonOptions: Sendable {
    /// The directory holding ha.cf, haresources and authkeys.
    public var configDirectory: String
    /// The local node name.
    public var node: String
    /// Where the generation and UUID live (heartbeat: /var/lib/heartbeat).
    public var stateDirectory: String
    /// Where the control socket lives.
    public var runDirectory: String
    /// Where agents and scripts are found: OCF root, init.d, resource.d.
    public var locations: AgentLocations
    /// The OCF provider of the native agents IP shorthands map to.
    public var provider: String
    /// The timeout of each start and stop, in ms.
    public var resourceTimeoutMs: Int
    /// Whether log lines go to standard error too.
    public var logToStandardError: Bool
    /// The environment agents inherit.
    public var environment: [String: String]
    /// The transition hooks' directory (default: CONFIG-DIR/notify.d).
    public var hookDirectory: String
    /// How long each hook may run, in ms.
    public var hookTimeoutMs: Int

    /// Creates options.
    public init(
        configDirectory: String, node: String, stateDirectory: String, runDirectory: String,
        locations: AgentLocations, provider: String = "hakit", resourceTimeoutMs: Int = 120_000,
        logToStandardError: Bool = false, environment: [String: String], hookDirectory: String? = nil,
        hookTimeoutMs: Int = 30_000
    ) {
        self.hookDirectory = hookDirectory ?? "\(configDirectory)/notify.d"
        self.hookTimeoutMs = hookTimeoutMs
        self.configDirectory = configDirectory
        self.node = node
        self.stateDirectory = stateDirectory
        self.runDirectory = runDirectory
        self.locations = locations
        self.provider = provider
        self.resourceTimeoutMs = resourceTimeoutMs
        self.logToStandardError = logToStandardError
        self.environment = environment
    }

    /// The control socket's path.
    public var controlSocket: String { "\(runDirectory)/control.sock" }
    /// Where the process groups of running actions are recorded (`ProcessGroupLedger`).
    public var actionDirectory: String { "\(runDirectory)/actions" }
}
