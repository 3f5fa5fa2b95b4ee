/// An error an agent reports: an OCF exit code and the reason, written as `ocf-exit-reason:`.
///
/// Agents translate lower-level errors into this type themselves, because only the agent knows what
/// an errno means for its resource.
public struct OCFError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The exit code the action ends with.
    public var code: OCFExitCode
    /// A one-line reason for a person: what was wrong, naming the bad value.
    public var reason: String

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
    /// Invalid configuration (6).
    public static func notConfigured(_ reason: String) -> OCFError { OCFError(.notConfigured, reason) }

    /// The start of the standard-error line that carries the reason, as `ocf_exit_reason` writes it.
    public static let reasonPrefix = "ocf-exit-reason:"

    /// `reason (CODE)`.
    public var description: String { "\(reason) (\(code))" }
}
