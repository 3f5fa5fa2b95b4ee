/// How a new job treats jobs already queued for the unit. The corresponding D-Bus argument is
/// `mode` of `StartUnit`, `StopUnit` and `RestartUnit`.
public struct JobMode: RawRepresentable, Hashable, Sendable {
    /// The mode as systemd takes it.
    public let rawValue: String

    /// Wraps a job mode.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Replace conflicting queued jobs. The corresponding systemd value is `replace`.
    public static let replace = JobMode(rawValue: "replace")
    /// Fail when the job conflicts with queued ones. The corresponding systemd value is `fail`.
    public static let fail = JobMode(rawValue: "fail")
}

/// The manager method that queues a job for a unit.
public enum UnitMethod: String, Sendable, Hashable {
    /// `StartUnit(name, mode)`.
    case start = "StartUnit"
    /// `StopUnit(name, mode)`.
    case stop = "StopUnit"
    /// `RestartUnit(name, mode)`.
    case restart = "RestartUnit"
}

/// How a job ended, from the `result` argument of the manager's `JobRemoved` signal. Unknown
/// values fit.
public struct JobResult: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The result as systemd reports it.
    public let rawValue: String

    /// Wraps a job result.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The job did what it was asked. The corresponding systemd value is `done`.
    public static let done = JobResult(rawValue: "done")
    /// The job's own timeout (`JobTimeoutSec=`) expired; the unit keeps its state. The corresponding
    /// systemd value is `timeout`.
    public static let timeout = JobResult(rawValue: "timeout")
    /// The unit failed. The corresponding systemd value is `failed`.
    public static let failed = JobResult(rawValue: "failed")
    /// A job it depended on failed. The corresponding systemd value is `dependency`.
    public static let dependency = JobResult(rawValue: "dependency")
    /// Cancelled, e.g. replaced by a conflicting job. The corresponding systemd value is `canceled`.
    public static let canceled = JobResult(rawValue: "canceled")
    /// A condition made systemd skip the unit. The corresponding systemd value is `skipped`.
    public static let skipped = JobResult(rawValue: "skipped")

    /// The value itself.
    public var description: String { rawValue }
}
