/// Where an IPv6 address belongs: the interface and prefix length to give it.
public struct IPv6InterfaceSelection: Hashable, Sendable {
    /// The interface to add the address to.
    public var interface: Link
    /// The prefix length: the given one, else that of the route chosen.
    public var prefixLength: Int
    /// The route that decided, or `nil` when an already-configured address did.
    public var route: IPv6Route?

    /// Creates a selection.
    public init(interface: Link, prefixLength: Int, route: IPv6Route?) {
        self.interface = interface
        self.prefixLength = prefixLength
        self.route = route
    }
}

/// Chooses the interface and prefix length for an IPv6 address from route, link and address
/// dumps, without I/O, by the rules `findInterface(for: IPv4Address, …)` applies to IPv4:
///
/// 0. A link-local address (`fe80::/10`) needs `nic`: every interface has a route for
///    `fe80::/64`, so the routing table cannot tell them apart (findif: "'nic' parameter is
///    mandatory for a link local address").
/// 1. Among the main table's directly connected routes (unicast, no gateway; IPv6 routes carry no
///    link scope) that contain the address, the lowest metric wins; ties go to the longer prefix,
///    then to the first listed. With `prefixLength`, a route must be at least that wide, and if
///    every matching route is narrower the prefix length is an error. `::1` is found this way too,
///    on `lo`'s `::1/128` route.
/// 2. Otherwise, if the address is already configured on an interface (added earlier with
///    `noprefixroute`), that interface and its prefix length.
/// 3. Otherwise the default route's interface, but only with `prefixLength`.
///
/// Routes through a gateway never choose the interface; resource-agents' findif takes the
/// longest matching prefix whatever its next hop (a declared difference).
///
/// - Parameters:
///   - address: the address to place.
///   - routes: IPv6 routes; only those of the main table count.
///   - links: every interface.
///   - addresses: every IPv6 address, for rule 2.
///   - nic: the interface to use, without any `:label`; only routes and addresses on it count.
///   - prefixLength: the prefix length to use, 1-128.
public func findInterface(
    for address: IPv6Address,
    routes: [IPv6Route],
    links: [Link],
    addresses: [IPv6AddressEntry] = [],
    nic: String? = nil,
    prefixLength: Int? = nil
) throws(InterfaceSelectionError) -> IPv6InterfaceSelection {
    if let prefixLength {
        precondition((1...128).contains(prefixLength), "prefix length \(prefixLength) is not in 1...128")
    }
    var required: Link?
    if let nic {
        guard let link = links.first(where: { $0.name == nic }) else { throw .noSuchInterface(nic) }
        required = link
    } else if address.isLinkLocal {
        throw .linkLocalNeedsInterface(address)
    }
    let choice = try routeCostChoice(
        for: address, routes: routes, links: links, addresses: addresses, nic: nic, required: required,
        prefixLength: prefixLength)
    return IPv6InterfaceSelection(interface: choice.interface, prefixLength: choice.prefixLength, route: choice.route)
}
