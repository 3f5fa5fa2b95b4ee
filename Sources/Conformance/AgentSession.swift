import HAKitSystem
import OCF
import Runner

/// An agent that could not be started at all (missing, not executable).
struct AgentUnavailable: Error, CustomStringConvertible {
    /// The action that was attempted.
    var action: OCFAction
    /// Why it could not run.
    var error: any Error

    /// `cannot run start: …`.
    var description: String { "cannot run \(action): \(error)" }
}

/// Runs the actions of one resource through Runner's `Executor`: the same instance and
/// parameters each time, each action with the timeout its meta-data advertises (Pacemaker's
/// 20 s where it advertises none), and every run kept for the timing check.
struct AgentSession {
    /// Pacemaker's default operation timeout.
    static let defaultTimeoutMilliseconds = 20_000

    /// Runs the agent.
    let executor: Executor
    /// The request every run starts from.
    let template: ActionRequest
    /// What the agent advertises, once its meta-data was read.
    var metadata: AgentMetadata?
    /// Every run so far, in order.
    private(set) var runs: [ActionResult] = []

    /// Creates a session for a resource.
    init(executor: Executor, template: ActionRequest) {
        self.executor = executor
        self.template = template
    }

    /// The timeout an action runs with: the advertised one, else Pacemaker's default.
    func timeoutMilliseconds(for action: OCFAction) -> Int {
        metadata?.timeoutMilliseconds(for: action.rawValue) ?? Self.defaultTimeoutMilliseconds
    }

    /// Whether the agent advertises an action (false until meta-data was read).
    func advertises(_ action: OCFAction) -> Bool { metadata?.advertises(action.rawValue) ?? false }

    /// Runs one action.
    ///
    /// - Parameters:
    ///   - interval: `CRM_meta_interval` in ms; 0 (a probe, for monitor) by default.
    ///   - parameters: instance parameters instead of the session's own.
    ///   - meta: extra meta-attributes (`notify_type`, `migrate_target`, …).
    ///   - agent: the agent run through a wrapper instead of directly.
    mutating func run(
        _ action: OCFAction, interval: Int = 0, parameters: [(name: String, value: String)]? = nil,
        meta: [(name: String, value: String)] = [], agent: AgentSpec? = nil
    ) throws(AgentUnavailable) -> ActionResult {
        var request = template.with(action: action, intervalMilliseconds: interval)
        request.timeoutMilliseconds = timeoutMilliseconds(for: action)
        if let parameters { request.parameters = parameters }
        request.meta = meta
        if let agent { request.agent = agent }
        let result: ActionResult
        do {
            result = try executor.run(request)
        } catch {
            throw AgentUnavailable(action: action, error: error)
        }
        runs.append(result)
        return result
    }
}
