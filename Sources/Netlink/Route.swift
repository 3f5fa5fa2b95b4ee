/// An IPv4 route, as the kernel reports it in `RTM_NEWROUTE`.
public struct Route: Hashable, Sendable {
    /// The destination network; `0.0.0.0` for the default route. The corresponding attribute is `RTA_DST`.
    public var destination: IPv4Address
    /// The destination's prefix length; 0 for the default route. The corresponding C field is `rtm_dst_len`.
    public var prefixLength: Int
    /// The output interface's index; `nil` for multipath, blackhole and similar routes.
    /// The corresponding attribute is `RTA_OIF`.
    public var outputInterfaceIndex: Int32?
    /// The next hop, `nil` for a directly connected route. The corresponding attribute is `RTA_GATEWAY`.
    public var gateway: IPv4Address?
    /// The metric (priority); lower wins, 0 if unset. The corresponding attribute is `RTA_PRIORITY`.
    public var metric: UInt32
    /// The routing table. The corresponding attribute is `RTA_TABLE`.
    public var table: RouteTable
    /// The route type. The corresponding C field is `rtm_type`.
    public var type: RouteType
    /// The scope. The corresponding C field is `rtm_scope`.
    public var scope: Scope
    /// Who installed the route. The corresponding C field is `rtm_protocol`.
    public var `protocol`: RouteProtocol
    /// The source address preferred for packets on this route. The corresponding attribute is `RTA_PREFSRC`.
    public var preferredSource: IPv4Address?

    /// Creates a route; the defaults describe a connected route in the main table, like the kernel's prefix route.
    public init(
        destination: IPv4Address,
        prefixLength: Int,
        outputInterfaceIndex: Int32?,
        gateway: IPv4Address? = nil,
        metric: UInt32 = 0,
        table: RouteTable = .main,
        type: RouteType = .unicast,
        scope: Scope = .link,
        protocol: RouteProtocol = .kernel,
        preferredSource: IPv4Address? = nil
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
    public func contains(_ address: IPv4Address) -> Bool {
        address.isIn(destination, prefixLength: prefixLength)
    }

    /// Whether this is a default route (prefix length 0).
    public var isDefault: Bool { prefixLength == 0 }

    /// Whether the destination is on the link itself: a unicast route of link scope without a gateway.
    public var isDirectlyConnected: Bool {
        type == .unicast && scope == .link && gateway == nil && outputInterfaceIndex != nil
    }
}
