/// A network interface, as the kernel reports it in `RTM_NEWLINK`.
public struct Link: Hashable, Sendable {
    /// The interface index. The corresponding C field is `ifi_index`.
    public var index: Int32
    /// The interface name, e.g. `eth0`. The corresponding attribute is `IFLA_IFNAME`.
    public var name: String
    /// The interface flags. The corresponding C field is `ifi_flags`.
    public var flags: LinkFlags
    /// The hardware type. The corresponding C field is `ifi_type`.
    public var type: LinkType
    /// The hardware address, empty if the interface has none. The corresponding attribute is `IFLA_ADDRESS`.
    public var hardwareAddress: [UInt8]
    /// The maximum transmission unit. The corresponding attribute is `IFLA_MTU`.
    public var mtu: UInt32
    /// The operational state. The corresponding attribute is `IFLA_OPERSTATE`.
    public var operationalState: OperationalState

    /// Creates a link description.
    public init(
        index: Int32,
        name: String,
        flags: LinkFlags,
        type: LinkType = .ethernet,
        hardwareAddress: [UInt8] = [],
        mtu: UInt32 = 1500,
        operationalState: OperationalState = .unknown
    ) {
        self.index = index
        self.name = name
        self.flags = flags
        self.type = type
        self.hardwareAddress = hardwareAddress
        self.mtu = mtu
        self.operationalState = operationalState
    }

    /// Whether the interface is administratively up (`IFF_UP`).
    public var isUp: Bool { flags.contains(.up) }
    /// Whether the interface is the loopback interface (`IFF_LOOPBACK`).
    public var isLoopback: Bool { flags.contains(.loopback) }
    /// Whether the interface can broadcast (`IFF_BROADCAST`), and so whether its addresses get a broadcast address.
    public var canBroadcast: Bool { flags.contains(.broadcast) }
    /// Whether the driver reports carrier (`IFF_LOWER_UP`).
    public var isLowerUp: Bool { flags.contains(.lowerUp) }
}
