import HAKitSystem
import Heartbeat
import Runner

/// The configuration `heartbeat-lite run` starts from, checked as far as it can be without I/O:
/// ha.cf, haresources and authkeys parsed once, and every haresources group planned into runner
/// requests. `heartbeat-lite check` runs exactly this, so whatever `run` refuses for its
/// configuration, `check` refuses with the same lines (FILE:LINE: message).
///
/// What is left to `run` needs the system: the state directory, the control socket, and the media
/// (an interface that exists, a peer name that resolves).
public struct DaemonConfiguration: Sendable {
    /// The three files, parsed and checked.
    public let configuration: HeartbeatConfiguration
    /// The groups as the runner will run them.
    let runner: GroupRunner

    /// Reads and checks the configuration in `configDirectory` for the local node `node`.
    ///
    /// - Parameters:
    ///   - locations: where agents and scripts are looked up.
    ///   - provider: the OCF provider of the native agents IP shorthands map to.
    ///   - environment: the environment agents inherit.
    ///   - timeoutMs: the timeout of each start and stop.
    ///   - ledger: where running actions record their process groups (the daemon's; none for `check`).
    /// - Throws: every problem found, each naming its file and line.
    public init(
        configDirectory: String, node: String, locations: AgentLocations, provider: String = "hakit",
        environment: [String: String] = [:], timeoutMs: Int = 120_000, ledger: ProcessGroupLedger? = nil
    ) throws(ConfigErrors) {
        configuration = try HeartbeatConfiguration.load(directory: configDirectory, localNode: node)
        runner = try GroupRunner(
            configuration: configuration, locations: locations, provider: provider, environment: environment,
            timeoutMs: timeoutMs, ledger: ledger)
    }

    /// The configuration `run` would start from with these options.
    public init(options: DaemonOptions) throws(ConfigErrors) {
        try self.init(
            configDirectory: options.configDirectory, node: options.node, locations: options.locations,
            provider: options.provider, environment: options.environment, timeoutMs: options.resourceTimeoutMs,
            ledger: ProcessGroupLedger(directory: options.actionDirectory))
    }
}
