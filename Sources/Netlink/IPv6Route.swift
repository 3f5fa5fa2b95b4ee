/// An IPv6 route, as the kernel reports it in `RTM_NEWROUTE`.
public struct IPv6Route: Hashable, Sendable {
    /// The destination network; `::` for the default route. The corresponding attribute is `RTA_DST`.
    public var destination: IPv6Address
    /// The destination's prefix length; 0 for the default route. The corresponding C field is `rtm_dst_len`.
    public var prefixLength: Int
    /// The output interface's index; `nil` for multipath, blackhole and similar routes.
    /// The corresponding attribute is `RTA_OIF`.
    public var outputInterfaceIndex: Int32?
    /// The next hop, `nil` for a directly connected route. The corresponding attribute is `RTA_GATEWAY`.
    public var gateway: IPv6Address?
    /// The metric (priority); lower wins. The kernel's prefix routes have 256.
    /// The corresponding attribute is `RTA_PRIORITY`.
    public var metric: UInt32
    /// The routing table. The corresponding attribute is `RTA_TABLE`.
    public var table: RouteTable
    /// The route type. The corresponding C field is `rtm_type`.
    public var type: RouteType
    /// Who installed the route. The corresponding C field is `rtm_protocol`.
    public var `protocol`: RouteProtocol

    /// Creates a route; the defaults describe the kernel's prefix route in the main table.
    public init(
        destination: IPv6Address,
        prefixLength: Int,
        outputInterfaceIndex: Int32?,
        gateway: IPv6Address? = nil,
        metric: UInt32 = 256,
        table: RouteTable = .main,
        type: RouteType = .unicast,
        protocol: RouteProtocol = .kernel
    ) {
        self.destination = destination
        self.prefixLength = prefixLength
        self.outputInterfaceIndex = outputInterfaceIndex
        self.gateway = gateway
        self.metric = metric
        self.table = table
        self.type = type
        self.protocol = `protocol`
    }

    /// Whether `address` lies in this route's destination network.
    public func contains(_ address: IPv6Address) -> Bool {
        address.isIn(destination, prefixLength: prefixLength)
    }

    /// Whether this is a default route (prefix length 0).
    public var isDefault: Bool { prefixLength == 0 }

    /// Whether the destination is on the link itself: a unicast route without a gateway. IPv6
    /// routes all have universe scope, so unlike IPv4 the scope says nothing here.
    public var isDirectlyConnected: Bool {
        type == .unicast && gateway == nil && outputInterfaceIndex != nil
    }
}
