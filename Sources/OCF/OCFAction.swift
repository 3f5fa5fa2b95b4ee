/// An action name an agent is called with (`argv[1]`).
///
/// A struct over the wire name, so that a third-party agent's own actions still have a value.
public struct OCFAction: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The wire name, e.g. `validate-all`.
    public let rawValue: String

    /// Creates an action from its wire name.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Brings the resource up; already running is success.
    public static let start = OCFAction(rawValue: "start")
    /// Takes the resource down; already stopped is success.
    public static let stop = OCFAction(rawValue: "stop")
    /// Reports the state: running (0), cleanly stopped (7) or failed.
    public static let monitor = OCFAction(rawValue: "monitor")
    /// The legacy synonym of monitor, still used by LSB scripts.
    public static let status = OCFAction(rawValue: "status")
    /// Prints the agent's meta-data XML.
    public static let metaData = OCFAction(rawValue: "meta-data")
    /// Checks the configuration without touching the resource.
    public static let validateAll = OCFAction(rawValue: "validate-all")
    /// Makes the service re-read its configuration.
    public static let reload = OCFAction(rawValue: "reload")
    /// Applies changed reloadable parameters (OCF 1.1).
    public static let reloadAgent = OCFAction(rawValue: "reload-agent")
    /// Promotes the resource to the promoted role.
    public static let promote = OCFAction(rawValue: "promote")
    /// Demotes the resource to the unpromoted role.
    public static let demote = OCFAction(rawValue: "demote")
    /// Receives a notification of a peer's action.
    public static let notify = OCFAction(rawValue: "notify")
    /// Migrates the resource away (live migration, source side).
    public static let migrateTo = OCFAction(rawValue: "migrate_to")
    /// Completes a live migration on the target side.
    public static let migrateFrom = OCFAction(rawValue: "migrate_from")
    /// Local recovery (unused by Pacemaker).
    public static let recover = OCFAction(rawValue: "recover")
    /// Prints usage text.
    public static let usage = OCFAction(rawValue: "usage")
    /// Prints usage text (synonym of usage).
    public static let help = OCFAction(rawValue: "help")
    /// Lists the supported actions.
    public static let methods = OCFAction(rawValue: "methods")

    /// The actions the OCF API defines.
    public static let known: [OCFAction] = [
        .start, .stop, .monitor, .status, .metaData, .validateAll, .reload, .reloadAgent, .promote, .demote,
        .notify, .migrateTo, .migrateFrom, .recover, .usage, .help, .methods,
    ]

    /// The actions every agent must implement (and ocf-tester expects).
    public static let mandatory: [OCFAction] = [.start, .stop, .monitor, .metaData, .validateAll]

    /// The action names `ra-api-1.dtd` allows in meta-data.
    public static let dtdNames: Set<String> = [
        "start", "stop", "recover", "monitor", "restart", "migrate_to", "migrate_from", "promote", "demote",
        "notify", "status", "reload", "meta-data", "usage", "methods", "validate-all",
    ]

    /// The wire name.
    public var description: String { rawValue }

    /// The exit codes the OCF API allows this action to return (monitor also allows the role and
    /// degraded codes; custom codes are never valid).
    public var validExitCodes: Set<OCFExitCode> {
        let errors: Set<OCFExitCode> = [
            .genericError, .invalidArguments, .unimplemented, .insufficientPrivileges, .notInstalled, .notConfigured,
        ]
        switch self {
        case .metaData, .usage, .help, .methods: return [.success]
        case .monitor, .status:
            return errors.union([.success, .notRunning, .runningPromoted, .failedPromoted, .degraded, .degradedPromoted])
        case .validateAll:
            return [.success, .invalidArguments, .insufficientPrivileges, .notInstalled, .notConfigured]
        default: return errors.union([.success])
        }
    }
}
