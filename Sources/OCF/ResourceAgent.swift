/// The state a monitor finds. "Not running" is a result, not an error: failures are thrown.
public enum ResourceState: Sendable, Hashable {
    /// Running normally (0).
    case running
    /// Cleanly stopped (7).
    case notRunning
    /// Running in the promoted role (8).
    case runningPromoted
    /// Failed in the promoted role (9).
    case failedPromoted
    /// Running, degraded (190).
    case degraded
    /// Running promoted, degraded (191).
    case degradedPromoted

    /// The exit code that reports this state.
    public var exitCode: OCFExitCode {
        switch self {
        case .running: .success
        case .notRunning: .notRunning
        case .runningPromoted: .runningPromoted
        case .failedPromoted: .failedPromoted
        case .degraded: .degraded
        case .degradedPromoted: .degradedPromoted
        }
    }
}

/// What an action runs with: the action, the environment, the decoded parameters and the logger.
public struct AgentContext: Sendable {
    /// The action being run.
    public let action: OCFAction
    /// The OCF environment.
    public let environment: OCFEnvironment
    /// The decoded instance parameters.
    public let parameters: Parameters
    /// The logger for this action.
    public let log: OCFLog
    /// The resource instance name (`default` outside a cluster manager).
    public let instance: String

    /// Creates a context.
    public init(action: OCFAction, environment: OCFEnvironment, parameters: Parameters, log: OCFLog, instance: String) {
        self.action = action
        self.environment = environment
        self.parameters = parameters
        self.log = log
        self.instance = instance
    }

    /// Whether this is a probe: a monitor with interval 0 (`ocf_is_probe`).
    public var isProbe: Bool {
        (action == .monitor || action == .status) && environment.intervalMilliseconds == 0
    }
}

/// A resource agent: a declaration plus the behaviour of its actions.
///
/// `AgentMain` does the rest: decoding and checking parameters, meta-data, usage, dispatch, and
/// mapping thrown errors to exit codes at one boundary.
public protocol ResourceAgent {
    /// The agent's name, parameters and actions.
    static var descriptor: AgentDescriptor { get }

    /// Builds the agent's typed configuration from the decoded parameters. Throws `OCFError`
    /// (usually `.notConfigured`) for values that are well-typed but wrong, naming the value.
    init(context: AgentContext) throws

    /// Checks that the configuration can work on this host (software present, interface exists).
    /// Called for `validate-all` and before `start`, `reload`, `promote` and `migrate_from`.
    func validate() throws

    /// Brings the resource up; succeeds at once when it already runs.
    func start() throws

    /// Takes the resource down; succeeds at once when it is already stopped.
    func stop() throws

    /// Reports the resource's state.
    func monitor() throws -> ResourceState

    /// Runs another advertised action (reload, notify, promote, migrate_to …).
    func perform(_ action: OCFAction) throws -> OCFExitCode

    /// The parameters given the heartbeat v1 way: as arguments before the action, as haresources
    /// calls its resource scripts (`IPaddr 192.168.85.3/27 start`). `arguments` are those between
    /// the program name and the action. Returns `nil` when the agent takes no such arguments (the
    /// default): then `argv[1]` is the action and further arguments are ignored, as OCF says.
    /// Throws `OCFError` for arguments in the v1 form that cannot be read.
    static func legacyParameters(_ arguments: [String]) throws -> [String: String]?
}

extension ResourceAgent {
    /// By default, nothing beyond the parameter checks.
    public func validate() throws {}

    /// By default, further actions are not implemented.
    public func perform(_ action: OCFAction) throws -> OCFExitCode { .unimplemented }

    /// By default, no heartbeat v1 arguments: the agent is called the OCF way only.
    public static func legacyParameters(_ arguments: [String]) throws -> [String: String]? { nil }
}
