/// An IPv6 address configured on an interface, as the kernel reports it in `RTM_NEWADDR`.
public struct IPv6AddressEntry: Hashable, Sendable {
    /// The index of the interface that holds the address. The corresponding C field is `ifa_index`.
    public var interfaceIndex: Int32
    /// The address. The corresponding attribute is `IFA_ADDRESS` (`IFA_LOCAL` on point-to-point links).
    public var address: IPv6Address
    /// The prefix length of its subnet. The corresponding C field is `ifa_prefixlen`.
    public var prefixLength: Int
    /// The scope: universe for global addresses, link for `fe80::/10`, host for `::1`.
    /// The corresponding C field is `ifa_scope`.
    public var scope: Scope
    /// The flags: `tentative` while duplicate address detection runs, `dadFailed` after it found
    /// another holder. The corresponding attribute is `IFA_FLAGS`.
    public var flags: AddressFlags
    /// The preferred lifetime left. The corresponding C field is `ifa_cacheinfo.ifa_prefered`.
    public var preferredLifetime: Lifetime
    /// The valid lifetime left. The corresponding C field is `ifa_cacheinfo.ifa_valid`.
    public var validLifetime: Lifetime

    /// Creates an address entry.
    public init(
        interfaceIndex: Int32,
        address: IPv6Address,
        prefixLength: Int,
        scope: Scope = .universe,
        flags: AddressFlags = .permanent,
        preferredLifetime: Lifetime = .forever,
        validLifetime: Lifetime = .forever
    ) {
        self.interfaceIndex = interfaceIndex
        self.address = address
        self.prefixLength = prefixLength
        self.scope = scope
        self.flags = flags
        self.preferredLifetime = preferredLifetime
        self.validLifetime = validLifetime
    }
}
