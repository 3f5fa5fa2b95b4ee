/// A unit's `LoadState`: whether systemd found and parsed its configuration. Unknown values fit.
public struct LoadState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The value as systemd reports it.
    public let rawValue: String

    /// Wraps a `LoadState` value.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Configuration loaded. The corresponding systemd value is `loaded`.
    public static let loaded = LoadState(rawValue: "loaded")
    /// No unit file or generator defines it. The corresponding systemd value is `not-found`.
    public static let notFound = LoadState(rawValue: "not-found")
    /// The unit file has a setting systemd cannot use. The corresponding systemd value is `bad-setting`.
    public static let badSetting = LoadState(rawValue: "bad-setting")
    /// Loading failed otherwise. The corresponding systemd value is `error`.
    public static let error = LoadState(rawValue: "error")
    /// Masked: linked to /dev/null. The corresponding systemd value is `masked`.
    public static let masked = LoadState(rawValue: "masked")

    /// The value itself.
    public var description: String { rawValue }
}

/// A unit's `ActiveState`: the generalisation of its type-specific `SubState`. Unknown values fit.
public struct ActiveState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The value as systemd reports it.
    public let rawValue: String

    /// Wraps an `ActiveState` value.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Started and running. The corresponding systemd value is `active`.
    public static let active = ActiveState(rawValue: "active")
    /// Active and reloading its configuration. The corresponding systemd value is `reloading`.
    public static let reloading = ActiveState(rawValue: "reloading")
    /// Stopped. The corresponding systemd value is `inactive`.
    public static let inactive = ActiveState(rawValue: "inactive")
    /// Stopped after a failure. The corresponding systemd value is `failed`.
    public static let failed = ActiveState(rawValue: "failed")
    /// On its way up. The corresponding systemd value is `activating`.
    public static let activating = ActiveState(rawValue: "activating")
    /// On its way down. The corresponding systemd value is `deactivating`.
    public static let deactivating = ActiveState(rawValue: "deactivating")
    /// Being cleaned up (`systemctl clean`). The corresponding systemd value is `maintenance`.
    public static let maintenance = ActiveState(rawValue: "maintenance")

    /// The value itself.
    public var description: String { rawValue }
}

/// What systemd reports about one unit.
public struct UnitState: Hashable, Sendable, CustomStringConvertible {
    /// Whether its configuration was found and loaded.
    public var loadState: LoadState
    /// Its activation state.
    public var activeState: ActiveState
    /// Its type-specific state, e.g. `running`, `dead`, `exited`.
    public var subState: String

    /// Creates a state.
    public init(loadState: LoadState, activeState: ActiveState, subState: String) {
        self.loadState = loadState
        self.activeState = activeState
        self.subState = subState
    }

    /// `loaded active running`, as `systemctl list-units` shows it.
    public var description: String { "\(loadState) \(activeState) \(subState)" }
}
