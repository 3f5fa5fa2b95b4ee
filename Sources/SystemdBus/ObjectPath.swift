/// A D-Bus object path, e.g. `/org/freedesktop/systemd1/unit/dbus_2eservice`.
public struct ObjectPath: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The path.
    public let rawValue: String

    /// Wraps an object path.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The path itself.
    public var description: String { rawValue }
}
