import CMnl

/// The flags of a network interface, as in `ifinfomsg.ifi_flags`.
public struct LinkFlags: OptionSet, Hashable, Sendable {
    /// The raw flag bits.
    public let rawValue: UInt32

    /// Creates flags from raw bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The interface is administratively up. The corresponding C constant is `IFF_UP`.
    public static let up = LinkFlags(rawValue: IFF_UP.rawValue)
    /// The interface can broadcast. The corresponding C constant is `IFF_BROADCAST`.
    public static let broadcast = LinkFlags(rawValue: IFF_BROADCAST.rawValue)
    /// The interface is a loopback interface. The corresponding C constant is `IFF_LOOPBACK`.
    public static let loopback = LinkFlags(rawValue: IFF_LOOPBACK.rawValue)
    /// The interface is a point-to-point link. The corresponding C constant is `IFF_POINTOPOINT`.
    public static let pointToPoint = LinkFlags(rawValue: IFF_POINTOPOINT.rawValue)
    /// The interface is operationally up. The corresponding C constant is `IFF_RUNNING`.
    public static let running = LinkFlags(rawValue: IFF_RUNNING.rawValue)
    /// The interface does not use ARP. The corresponding C constant is `IFF_NOARP`.
    public static let noARP = LinkFlags(rawValue: IFF_NOARP.rawValue)
    /// The interface supports multicast. The corresponding C constant is `IFF_MULTICAST`.
    public static let multicast = LinkFlags(rawValue: IFF_MULTICAST.rawValue)
    /// The driver signals carrier (layer 1 up). The corresponding C constant is `IFF_LOWER_UP`.
    public static let lowerUp = LinkFlags(rawValue: IFF_LOWER_UP.rawValue)
    /// The interface is dormant, waiting for an external event. The corresponding C constant is `IFF_DORMANT`.
    public static let dormant = LinkFlags(rawValue: IFF_DORMANT.rawValue)
}
