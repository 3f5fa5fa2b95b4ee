import CMnl

/// The hardware type of a network interface, as in `ifinfomsg.ifi_type`.
public struct LinkType: RawRepresentable, Hashable, Sendable {
    /// The `ARPHRD_*` value.
    public let rawValue: UInt16

    /// Creates a type from its `ARPHRD_*` value.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Ethernet, and veth, bridges and bonds. The corresponding C constant is `ARPHRD_ETHER`.
    public static let ethernet = LinkType(rawValue: UInt16(ARPHRD_ETHER))
    /// InfiniBand (IPoIB). The corresponding C constant is `ARPHRD_INFINIBAND`.
    public static let infiniband = LinkType(rawValue: UInt16(ARPHRD_INFINIBAND))
    /// The loopback interface. The corresponding C constant is `ARPHRD_LOOPBACK`.
    public static let loopback = LinkType(rawValue: UInt16(ARPHRD_LOOPBACK))
    /// No hardware header, such as a tun device. The corresponding C constant is `ARPHRD_NONE`.
    public static let none = LinkType(rawValue: UInt16(ARPHRD_NONE))
}
