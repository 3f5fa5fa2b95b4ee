import CSystemdBus

/// A failed D-Bus call: the D-Bus error name and message, and what was being attempted.
///
/// Failures sd-bus reports only as an errno (no peer, connection refused) get the name sd-bus
/// itself gives them, `System.Error.<ERRNO>` or a standard `org.freedesktop.DBus.Error.*` name.
public struct BusError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A D-Bus error name; unknown names fit, the static members are those HAKit acts on.
    public struct Name: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The name as it travels on the bus.
        public let rawValue: String

        /// Wraps a D-Bus error name.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// systemd has no such unit loaded. The corresponding systemd constant is `BUS_ERROR_NO_SUCH_UNIT`.
        public static let noSuchUnit = Name(rawValue: "org.freedesktop.systemd1.NoSuchUnit")
        /// The unit could not be loaded. The corresponding systemd constant is `BUS_ERROR_LOAD_FAILED`.
        public static let loadFailed = Name(rawValue: "org.freedesktop.systemd1.LoadFailed")
        /// An invalid unit name, as Pacemaker names it (systemd itself answers `InvalidArgs`).
        public static let invalidName = Name(rawValue: "org.freedesktop.systemd1.InvalidName")
        /// The unit is masked. The corresponding systemd constant is `BUS_ERROR_UNIT_MASKED`.
        public static let unitMasked = Name(rawValue: "org.freedesktop.systemd1.UnitMasked")
        /// No reply within the call timeout. The corresponding sd-bus constant is `SD_BUS_ERROR_TIMEOUT`.
        public static let timeout = Name(rawValue: "org.freedesktop.DBus.Error.Timeout")
        /// Not possible here, e.g. libsystemd is not installed. The corresponding sd-bus constant is
        /// `SD_BUS_ERROR_NOT_SUPPORTED`.
        public static let notSupported = Name(rawValue: "org.freedesktop.DBus.Error.NotSupported")
        /// Nobody owns the destination name. The corresponding sd-bus constant is `SD_BUS_ERROR_SERVICE_UNKNOWN`.
        public static let serviceUnknown = Name(rawValue: "org.freedesktop.DBus.Error.ServiceUnknown")

        /// The name itself.
        public var description: String { rawValue }
    }

    /// The D-Bus error name, e.g. `org.freedesktop.systemd1.NoSuchUnit`.
    public let name: Name
    /// The peer's (or sd-bus's) human-readable message.
    public let message: String
    /// What was attempted, e.g. `StartUnit hakit-sleeper.service`.
    public let operation: String

    /// Creates an error.
    public init(name: Name, message: String, operation: String) {
        self.name = name
        self.message = message
        self.operation = operation
    }

    /// `operation: message (name)`.
    public var description: String { "\(operation): \(message) (\(name))" }
}

extension CSystemdBus_Library {
    /// libsystemd, loaded on first use.
    ///
    /// - Throws: `BusError` named `NotSupported` when libsystemd or one of its functions is missing.
    static func load() throws(BusError) -> CSystemdBus_Library {
        var reason = [CChar](repeating: 0, count: 256)
        guard let library = CSystemdBus_load(&reason, reason.count) else {
            let message = reason.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw BusError(name: .notSupported, message: message, operation: "loading libsystemd")
        }
        return library.pointee
    }

    /// The one path from an sd-bus return value to a thrown error: a negative result becomes a
    /// `BusError` from `error` when the peer set one, else from the errno. Frees `error` either way.
    func check(_ result: Int32, _ error: inout sd_bus_error, _ operation: @autoclosure () -> String) throws(BusError) {
        defer { sd_bus_error_free(&error) }
        guard result < 0 else { return }
        if error.name == nil { _ = sd_bus_error_set_errno(&error, -result) }
        throw BusError(
            name: BusError.Name(rawValue: error.name.map { String(cString: $0) } ?? "System.Error.\(-result)"),
            message: error.message.map { String(cString: $0) } ?? "error \(-result)",
            operation: operation())
    }

    /// `check` for calls that report only an errno.
    func check(_ result: Int32, _ operation: @autoclosure () -> String) throws(BusError) {
        var error = sd_bus_error()
        try check(result, &error, operation())
    }
}
