/// An IPv4 address configured on an interface, as the kernel reports it in `RTM_NEWADDR`.
public struct AddressEntry: Hashable, Sendable {
    /// The index of the interface that holds the address. The corresponding C field is `ifa_index`.
    public var interfaceIndex: Int32
    /// The local address. The corresponding attribute is `IFA_LOCAL`.
    public var address: IPv4Address
    /// The prefix length of its subnet. The corresponding C field is `ifa_prefixlen`.
    public var prefixLength: Int
    /// The broadcast address, if one is set. The corresponding attribute is `IFA_BROADCAST`.
    public var broadcast: IPv4Address?
    /// The label, e.g. `eth0:vip`, if the kernel reports one. The corresponding attribute is `IFA_LABEL`.
    public var label: String?
    /// The scope. The corresponding C field is `ifa_scope`.
    public var scope: Scope
    /// The flags. The corresponding attribute is `IFA_FLAGS`.
    public var flags: AddressFlags
    /// The preferred lifetime left. The corresponding C field is `ifa_cacheinfo.ifa_prefered`.
    public var preferredLifetime: Lifetime
    /// The valid lifetime left. The corresponding C field is `ifa_cacheinfo.ifa_valid`.
    public var validLifetime: Lifetime

    /// Creates an address entry.
    public init(
        interfaceIndex: Int32,
        address: IPv4Address,
        prefixLength: Int,
        broadcast: IPv4Address? = nil,
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
