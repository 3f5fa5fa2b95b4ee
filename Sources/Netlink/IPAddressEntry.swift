/// An address configured on an interface, as the kernel reports it in `RTM_NEWADDR`: an IPv4
/// entry (`AddressEntry`) or an IPv6 one (`IPv6AddressEntry`).
public struct IPAddressEntry<Address: IPAddress>: Hashable, Sendable {
    /// The index of the interface that holds the address. The corresponding C field is `ifa_index`.
    public var interfaceIndex: Int32
    /// The local address. The corresponding attribute is `IFA_LOCAL`, or `IFA_ADDRESS` where the
    /// kernel sends only that (IPv6 except on point-to-point links, some older kernels' IPv4).
    public var address: Address
    /// The prefix length of its subnet. The corresponding C field is `ifa_prefixlen`.
    public var prefixLength: Int
    /// The broadcast address, if one is set (IPv4 only). The corresponding attribute is `IFA_BROADCAST`.
    public var broadcast: Address?
    /// The label, e.g. `eth0:vip`, if the kernel reports one (IPv4 only). The corresponding
    /// attribute is `IFA_LABEL`.
    public var label: String?
    /// The scope: universe for global addresses; for IPv6 link for `fe80::/10`, host for `::1`.
    /// The corresponding C field is `ifa_scope`.
    public var scope: Scope
    /// The flags; for IPv6, `tentative` while duplicate address detection runs, `dadFailed` after
    /// it found another holder. The corresponding attribute is `IFA_FLAGS`.
    public var flags: AddressFlags
    /// The preferred lifetime left. The corresponding C field is `ifa_cacheinfo.ifa_prefered`.
    public var preferredLifetime: Lifetime
    /// The valid lifetime left. The corresponding C field is `ifa_cacheinfo.ifa_valid`.
    public var validLifetime: Lifetime

    /// Creates an address entry.
    public init(
        interfaceIndex: Int32,
        address: Address,
        prefixLength: Int,
        broadcast: Address? = nil,
        label: String? = nil,
        scope: Scope = .universe,
        flags: AddressFlags = .permanent,
        preferredLifetime: Lifetime = .forever,
        validLifetime: Lifetime = .forever
    ) {
        self.interfaceIndex = interfaceIndex
        self.address = address
        self.prefixLength = prefixLength
        self.broadcast = broadcast
        self.label = label
        self.scope = scope
        self.flags = flags
        self.preferredLifetime = preferredLifetime
        self.validLifetime = validLifetime
    }
}

/// An IPv4 address configured on an interface.
public typealias AddressEntry = IPAddressEntry<IPv4Address>

/// An IPv6 address configured on an interface, tentative and dadfailed ones included.
public typealias IPv6AddressEntry = IPAddressEntry<IPv6Address>
