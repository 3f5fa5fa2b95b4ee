/// An OCF resource-agent exit code.
///
/// A struct over the raw status rather than an enum, so that codes outside the standard set
/// (custom agent codes, shell signal codes) still have a value.
public struct OCFExitCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The process exit status.
    public let rawValue: Int32

    /// Creates a code from a raw exit status.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The action succeeded, or the resource is running. The corresponding OCF constant is `OCF_SUCCESS` (0).
    public static let success = OCFExitCode(rawValue: 0)
    /// An unspecified error. The corresponding OCF constant is `OCF_ERR_GENERIC` (1).
    public static let genericError = OCFExitCode(rawValue: 1)
    /// Invalid arguments for this host. The corresponding OCF constant is `OCF_ERR_ARGS` (2).
    public static let invalidArguments = OCFExitCode(rawValue: 2)
    /// The action is not implemented. The corresponding OCF constant is `OCF_ERR_UNIMPLEMENTED` (3).
    public static let unimplemented = OCFExitCode(rawValue: 3)
    /// Insufficient privileges. The corresponding OCF constant is `OCF_ERR_PERM` (4).
    public static let insufficientPrivileges = OCFExitCode(rawValue: 4)
    /// Required software is not installed here. The corresponding OCF constant is `OCF_ERR_INSTALLED` (5).
    public static let notInstalled = OCFExitCode(rawValue: 5)
    /// The configuration is invalid everywhere. The corresponding OCF constant is `OCF_ERR_CONFIGURED` (6).
    public static let notConfigured = OCFExitCode(rawValue: 6)
    /// The resource is cleanly stopped. The corresponding OCF constant is `OCF_NOT_RUNNING` (7).
    public static let notRunning = OCFExitCode(rawValue: 7)
    /// The resource runs in the promoted role. The corresponding OCF constant is `OCF_RUNNING_PROMOTED` (8).
    public static let runningPromoted = OCFExitCode(rawValue: 8)
    /// The resource failed in the promoted role. The corresponding OCF constant is `OCF_FAILED_PROMOTED` (9).
    public static let failedPromoted = OCFExitCode(rawValue: 9)
    /// The resource runs but is degraded. The corresponding OCF constant is `OCF_DEGRADED` (190).
    public static let degraded = OCFExitCode(rawValue: 190)
    /// The resource runs promoted but is degraded. The corresponding OCF constant is `OCF_DEGRADED_PROMOTED` (191).
    public static let degradedPromoted = OCFExitCode(rawValue: 191)

    /// All codes the OCF standard names, in numeric order.
    public static let standard: [OCFExitCode] = [
        .success, .genericError, .invalidArguments, .unimplemented, .insufficientPrivileges, .notInstalled,
        .notConfigured, .notRunning, .runningPromoted, .failedPromoted, .degraded, .degradedPromoted,
    ]

    /// The OCF constant name, e.g. `OCF_ERR_CONFIGURED`; `nil` for a non-standard code.
    public var ocfName: String? {
        switch rawValue {
        case 0: "OCF_SUCCESS"
        case 1: "OCF_ERR_GENERIC"
        case 2: "OCF_ERR_ARGS"
        case 3: "OCF_ERR_UNIMPLEMENTED"
        case 4: "OCF_ERR_PERM"
        case 5: "OCF_ERR_INSTALLED"
        case 6: "OCF_ERR_CONFIGURED"
        case 7: "OCF_NOT_RUNNING"
        case 8: "OCF_RUNNING_PROMOTED"
        case 9: "OCF_FAILED_PROMOTED"
        case 190: "OCF_DEGRADED"
        case 191: "OCF_DEGRADED_PROMOTED"
        default: nil
        }
    }

    /// The OCF name, or `UNKNOWN(n)` for a code outside the standard.
    public var description: String { ocfName ?? "UNKNOWN(\(rawValue))" }
}
