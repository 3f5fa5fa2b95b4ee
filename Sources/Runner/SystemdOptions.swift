/// Where the `systemd:` class reaches systemd.
public struct SystemdOptions: Sendable, Hashable {
    /// The D-Bus address of the bus systemd is on, e.g. `unix:path=/run/dbus/system_bus_socket`;
    /// `nil` for the system bus.
    public var busAddress: String?
    /// Where that systemd reads runtime unit files, and so where the `50-hakit.conf` drop-ins go.
    public var runtimeUnitDirectory: String

    /// The system bus and `/run/systemd/system`.
    public init(busAddress: String? = nil, runtimeUnitDirectory: String = "/run/systemd/system") {
        self.busAddress = busAddress
        self.runtimeUnitDirectory = runtimeUnitDirectory
    }
}
