/// An error an agent reports: an OCF exit code and the reason, written as `ocf-exit-reason:`.
///
/// Agents translate lower-level errors into this type themselves, because only the agent knows what
/// an errno means for its resource.
public struct OCFError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The exit code the action ends with.
    public var code: OCFExitCode
    /// A one-line reason for a person: what was wrong, naming the bad value.
    public var reason: String
    /// Whether something the configuration names is missing on this node only (an interface, a
    /// network namespace): the same configuration may work on another node. `AgentMain` maps
    /// it by action (see `absentHere`).
    public var isAbsentHere = false

    /// Creates an error with a code and a reason.
    public init(_ code: OCFExitCode, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// An unspecified failure (1).
    public static func generic(_ reason: String) -> OCFError { OCFError(.genericError, reason) }
    /// Invalid on this host (2).
    public static func invalidArguments(_ reason: String) -> OCFError { OCFError(.invalidArguments, reason) }
    /// Insufficient privileges (4).
    public static func insufficientPrivileges(_ reason: String) -> OCFError { OCFError(.insufficientPrivileges, reason) }
    /// Software missing on this host (5).
    public static func notInstalled(_ reason: String) -> OCFError { OCFError(.notInstalled, reason) }
    /// Invalid configuration, wrong on every node (6): Pacemaker then stops the resource
    /// everywhere and never restarts it, so never for a fault of this node.
    public static func notConfigured(_ reason: String) -> OCFError { OCFError(.notConfigured, reason) }
    /// Something the configuration names is missing on this node (an interface, a network
    /// namespace). Never 6, which would stop the resource on every node: a probe reports not
    /// running (7), stop succeeds (nothing can run here), validate-all reports OCF_ERR_ARGS (2,
    /// invalid on this host), and start and recurring monitors OCF_ERR_GENERIC (1), as
    /// resource-agents' IPaddr2 monitor (since 3.9.6) and SendArp's start do — Pacemaker then
    /// recovers the resource on another node.
    public static func absentHere(_ reason: String) -> OCFError {
        var error = OCFError(.genericError, reason)
        error.isAbsentHere = true
        return error
    }

    /// The start of the standard-error line that carries the reason, as `ocf_exit_reason` writes it.
    public static let reasonPrefix = "ocf-exit-reason:"

    /// `reason (CODE)`.
    public var description: String { "\(reason) (\(code))" }
}
