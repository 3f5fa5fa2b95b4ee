/// systemd's manager, `org.freedesktop.systemd1`, reached over one bus connection: units loaded
/// and looked up by name, their state read, jobs queued and waited for, configuration reloaded.
public struct SystemdManager {
    static let destination = "org.freedesktop.systemd1"
    static let path = "/org/freedesktop/systemd1"
    static let interface = "org.freedesktop.systemd1.Manager"
    /// The interface every unit has: `LoadState`, `ActiveState`, `Description`, …
    public static let unitInterface = "org.freedesktop.systemd1.Unit"
    /// The interface of service units: `Result`, `Restart`, `MainPID`, …
    public static let serviceInterface = "org.freedesktop.systemd1.Service"

    /// The connection the calls go over.
    public let connection: BusConnection
    /// How long one method call may wait for its reply, in milliseconds.
    public var callTimeoutMilliseconds: Int

    /// Uses a connection; calls wait at most `callTimeoutMilliseconds` (sd-bus's default is 25 s).
    public init(connection: BusConnection, callTimeoutMilliseconds: Int = 25_000) {
        self.connection = connection
        self.callTimeoutMilliseconds = callTimeoutMilliseconds
    }

    private var timeoutMicroseconds: UInt64 { UInt64(max(1, callTimeoutMilliseconds)) * 1000 }

    private func callManager(_ member: String, _ arguments: String...) throws(BusError) -> BusMessage {
        try connection.call(
            destination: Self.destination, path: Self.path, interface: Self.interface, member: member,
            arguments: arguments, timeoutMicroseconds: timeoutMicroseconds)
    }

    /// The unit's object path, loading its configuration when it is not loaded yet. A unit
    /// nothing defines still gets a path; its `LoadState` is then `not-found`.
    /// The corresponding D-Bus method is `LoadUnit`.
    public func loadUnit(_ name: String) throws(BusError) -> ObjectPath {
        ObjectPath(rawValue: try callManager("LoadUnit", name).readString("o"))
    }

    /// The object path of a unit that is loaded; `NoSuchUnit` otherwise.
    /// The corresponding D-Bus method is `GetUnit`.
    public func getUnit(_ name: String) throws(BusError) -> ObjectPath {
        ObjectPath(rawValue: try callManager("GetUnit", name).readString("o"))
    }

    /// A string-typed property of a unit, e.g. `Description`, or `Restart` of the service interface.
    public func property(
        _ name: String, interface: String = unitInterface, of unit: ObjectPath
    ) throws(BusError) -> String {
        try connection.stringProperty(
            destination: Self.destination, path: unit.rawValue, interface: interface, name: name)
    }

    /// `LoadState`, `ActiveState` and `SubState` of a unit.
    public func state(of unit: ObjectPath) throws(BusError) -> UnitState {
        UnitState(
            loadState: LoadState(rawValue: try property("LoadState", of: unit)),
            activeState: ActiveState(rawValue: try property("ActiveState", of: unit)),
            subState: try property("SubState", of: unit))
    }

    /// Reloads all unit configuration, as `systemctl daemon-reload`; returns once systemd has
    /// finished. The corresponding D-Bus method is `Reload`.
    public func reload() throws(BusError) {
        _ = try callManager("Reload")
    }

    /// Clears a unit's failed state, as `systemctl reset-failed UNIT`. The corresponding D-Bus
    /// method is `ResetFailedUnit`.
    public func resetFailed(_ unit: String) throws(BusError) {
        _ = try callManager("ResetFailedUnit", unit)
    }

    /// Queues a job for a unit and returns its object path without waiting for it.
    /// The corresponding D-Bus methods are `StartUnit`, `StopUnit` and `RestartUnit`.
    public func queue(_ method: UnitMethod, unit: String, mode: JobMode = .replace) throws(BusError) -> ObjectPath {
        ObjectPath(rawValue: try callManager(method.rawValue, unit, mode.rawValue).readString("o"))
    }

    /// Queues a job and waits for its `JobRemoved` signal until the monotonic clock reaches
    /// `deadlineMilliseconds` (`MonotonicClock.milliseconds()`); returns the job's result, or
    /// `nil` when the deadline came first (the job is left queued).
    public func run(
        _ method: UnitMethod, unit: String, mode: JobMode = .replace, deadlineMilliseconds: Int64
    ) throws(BusError) -> JobResult? {
        let watcher = try JobWatcher(connection: connection)
        let job = try queue(method, unit: unit, mode: mode)
        return try watcher.wait(for: job, deadlineMilliseconds: deadlineMilliseconds)
    }
}
