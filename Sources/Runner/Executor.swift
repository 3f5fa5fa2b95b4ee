import HAKitSystem
import OCF

/// Runs agents as Pacemaker's executor does: a child in its own process group with the OCF
/// environment, output captured, and on timeout SIGTERM to the group, then SIGKILL.
public struct Executor: Sendable {
    /// The environment the agents inherit (before the OCF variables are set).
    public var baseEnvironment: [String: String]

    /// Creates an executor whose agents inherit `baseEnvironment`.
    public init(baseEnvironment: [String: String]) { self.baseEnvironment = baseEnvironment }

    /// Runs one action and waits for it.
    ///
    /// - Throws: `SystemError` when the agent cannot be started at all (missing, not executable).
    public func run(_ request: ActionRequest) throws -> ActionResult {
        let outcome = try ProcessRun.run(
            path: request.agent.path, arguments: [request.agent.path, request.action.rawValue],
            environment: request.environment(inheriting: baseEnvironment),
            timeoutMilliseconds: request.timeoutMilliseconds, killGraceMilliseconds: request.killGraceMilliseconds)
        var code = OCFExitCode.genericError
        var signal: Int32?
        switch outcome.termination {
        case .exited(let status)?: if !outcome.timedOut { code = OCFExitCode(rawValue: status) }
        case .signaled(let number)?: signal = number
        case nil: break
        }
        return ActionResult(
            request: request, code: code, timedOut: outcome.timedOut, signal: outcome.timedOut ? nil : signal,
            survivors: outcome.survivors, elapsedMilliseconds: outcome.elapsedMilliseconds,
            output: String(decoding: outcome.output, as: UTF8.self),
            errorOutput: String(decoding: outcome.errorOutput, as: UTF8.self))
    }
}
