import CMnl

/// Who installed a route, as in `rtm_protocol`; `ip route ... proto X` filters on it.
public struct RouteProtocol: RawRepresentable, Hashable, Sendable {
    /// The `RTPROT_*` value.
    public let rawValue: UInt8

    /// Creates a protocol from its `RTPROT_*` value.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The kernel, for an address's prefix route. The corresponding C constant is `RTPROT_KERNEL`.
    public static let kernel = RouteProtocol(rawValue: UInt8(RTPROT_KERNEL))
    /// An administrator at boot, and `ip route add` by default. The corresponding C constant is `RTPROT_BOOT`.
    public static let boot = RouteProtocol(rawValue: UInt8(RTPROT_BOOT))
    /// An administrator, by intent permanent. The corresponding C constant is `RTPROT_STATIC`.
    public static let `static` = RouteProtocol(rawValue: UInt8(RTPROT_STATIC))
    /// A DHCP client. The corresponding C constant is `RTPROT_DHCP`.
    public static let dhcp = RouteProtocol(rawValue: UInt8(RTPROT_DHCP))
}
