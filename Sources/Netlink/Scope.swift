import CMnl

/// How far an address or route reaches, as in `ifa_scope` and `rtm_scope`.
public struct Scope: RawRepresentable, Hashable, Sendable {
    /// The `RT_SCOPE_*` value.
    public let rawValue: UInt8

    /// Creates a scope from its `RT_SCOPE_*` value.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Valid everywhere. The corresponding C constant is `RT_SCOPE_UNIVERSE`.
    public static let universe = Scope(rawValue: UInt8(RT_SCOPE_UNIVERSE.rawValue))
    /// Valid inside this site. The corresponding C constant is `RT_SCOPE_SITE`.
    public static let site = Scope(rawValue: UInt8(RT_SCOPE_SITE.rawValue))
    /// Valid on the attached link only: directly connected. The corresponding C constant is `RT_SCOPE_LINK`.
    public static let link = Scope(rawValue: UInt8(RT_SCOPE_LINK.rawValue))
    /// Valid inside this host. The corresponding C constant is `RT_SCOPE_HOST`.
    public static let host = Scope(rawValue: UInt8(RT_SCOPE_HOST.rawValue))
    /// Nowhere. The corresponding C constant is `RT_SCOPE_NOWHERE`.
    public static let nowhere = Scope(rawValue: UInt8(RT_SCOPE_NOWHERE.rawValue))
}
