/// A route, as the kernel reports it in `RTM_NEWROUTE`: an IPv4 route (`Route`) or an IPv6 one
/// (`IPv6Route`).
public struct IPRoute<Address: IPAddress>: Hashable, Sendable {
    /// The destination network; `0.0.0.0` or `::` for the default route. The corresponding attribute is `RTA_DST`.
    public var destination: Address
    /// The destination's prefix length; 0 for the default route. The corresponding C field is `rtm_dst_len`.
    public var prefixLength: Int
    /// The output interface's index; `nil` for multipath, blackhole and similar routes.
    /// The corresponding attribute is `RTA_OIF`.
    public var outputInterfaceIndex: Int32?
    /// The next hop, `nil` for a directly connected route. The corresponding attribute is `RTA_GATEWAY`.
    public var gateway: Address?
    /// The metric (priority); lower wins, 0 if unset. The kernel's IPv6 prefix routes have 256.
    /// The corresponding attribute is `RTA_PRIORITY`.
    public var metric: UInt32
    /// The routing table. The corresponding attribute is `RTA_TABLE`.
    public var table: RouteTable
    /// The route type. The corresponding C field is `rtm_type`.
    public var type: RouteType
    /// The scope; universe for every IPv6 route. The corresponding C field is `rtm_scope`.
    public var scope: Scope
    /// Who installed the route. The corresponding C field is `rtm_protocol`.
    public var `protocol`: RouteProtocol
    /// The source address preferred for packets on this route. The corresponding attribute is `RTA_PREFSRC`.
    public var preferredSource: Address?

    /// Creates a route; the defaults describe a connected route in the main table, like the
    /// kernel's prefix route (metric 0 and link scope for IPv4, metric 256 for IPv6).
    public init(
        destination: Address,
        prefixLength: Int,
        outputInterfaceIndex: Int32?,
        gateway: Address? = nil,
        metric: UInt32 = Address.prefixRouteMetric,
        table: RouteTable = .main,
        type: RouteType = .unicast,
        scope: Scope = Address.connectedRouteScope ?? .universe,
        protocol: RouteProtocol = .kernel,
        preferredSource: Address? = nil
    ) {
        self.destination = destination
        self.prefixLength = prefixLength
        self.outputInterfaceIndex = outputInterfaceIndex
        self.gateway = gateway
        self.metric = metric
        self.table = table
        self.type = type
        self.scope = scope
        self.protocol = `protocol`
        self.preferredSource = preferredSource
    }

    /// Whether `address` lies in this route's destination network.
    public func contains(_ address: Address) -> Bool {
        address.isIn(destination, prefixLength: prefixLength)
    }

    /// Whether this is a default route (prefix length 0).
    public var isDefault: Bool { prefixLength == 0 }

    /// Whether the destination is on the link itself: a unicast route without a gateway, of link
    /// scope for IPv4 (IPv6 routes all have universe scope, so there the scope says nothing).
    public var isDirectlyConnected: Bool {
        type == .unicast && (Address.connectedRouteScope.map { scope == $0 } ?? true) && gateway == nil
            && outputInterfaceIndex != nil
    }
}

/// An IPv4 route.
public typealias Route = IPRoute<IPv4Address>

/// An IPv6 route.
public typealias IPv6Route = IPRoute<IPv6Address>
