import CMnl

/// A routing table id, as in `rtm_table` and the `RTA_TABLE` attribute.
public struct RouteTable: RawRepresentable, Hashable, Sendable {
    /// The table id.
    public let rawValue: UInt32

    /// Creates a table from its id.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The main table, where `ip route` works by default. The corresponding C constant is `RT_TABLE_MAIN` (254).
    public static let main = RouteTable(rawValue: RT_TABLE_MAIN.rawValue)
    /// The local table of local and broadcast routes. The corresponding C constant is `RT_TABLE_LOCAL` (255).
    public static let local = RouteTable(rawValue: RT_TABLE_LOCAL.rawValue)
    /// The default table, empty unless configured. The corresponding C constant is `RT_TABLE_DEFAULT` (253).
    public static let `default` = RouteTable(rawValue: RT_TABLE_DEFAULT.rawValue)
    /// In a query, every table; no route is in it. The corresponding C constant is `RT_TABLE_UNSPEC` (0).
    public static let all = RouteTable(rawValue: RT_TABLE_UNSPEC.rawValue)
}
