import CMnl

/// What a route does with matching packets, as in `rtm_type`.
public struct RouteType: RawRepresentable, Hashable, Sendable {
    /// The `RTN_*` value.
    public let rawValue: UInt8

    /// Creates a type from its `RTN_*` value.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// A gateway or direct route. The corresponding C constant is `RTN_UNICAST`.
    public static let unicast = RouteType(rawValue: UInt8(RTN_UNICAST))
    /// A local address of this host. The corresponding C constant is `RTN_LOCAL`.
    public static let local = RouteType(rawValue: UInt8(RTN_LOCAL))
    /// A broadcast address, sent as broadcast. The corresponding C constant is `RTN_BROADCAST`.
    public static let broadcast = RouteType(rawValue: UInt8(RTN_BROADCAST))
    /// A multicast route. The corresponding C constant is `RTN_MULTICAST`.
    public static let multicast = RouteType(rawValue: UInt8(RTN_MULTICAST))
    /// Packets are dropped silently. The corresponding C constant is `RTN_BLACKHOLE`.
    public static let blackhole = RouteType(rawValue: UInt8(RTN_BLACKHOLE))
    /// The destination is unreachable. The corresponding C constant is `RTN_UNREACHABLE`.
    public static let unreachable = RouteType(rawValue: UInt8(RTN_UNREACHABLE))
    /// The destination is administratively prohibited. The corresponding C constant is `RTN_PROHIBIT`.
    public static let prohibit = RouteType(rawValue: UInt8(RTN_PROHIBIT))
}
