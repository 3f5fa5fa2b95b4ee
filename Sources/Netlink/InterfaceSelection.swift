/// Where an IPv4 address belongs: the interface, prefix length and broadcast address to give it,
/// as findif works them out.
public struct InterfaceSelection: Hashable, Sendable {
    /// The interface to add the address to.
    public var interface: Link
    /// The prefix length: the given netmask, else that of the route chosen.
    public var prefixLength: Int
    /// The broadcast address: the highest address of the subnet, or `nil` for /31, /32 and
    /// interfaces that cannot broadcast (loopback, point-to-point).
    public var broadcast: IPv4Address?
    /// The route that decided, or `nil` when a loopback or already-configured address did.
    public var route: Route?

    /// Creates a selection.
    public init(interface: Link, prefixLength: Int, broadcast: IPv4Address?, route: Route?) {
        self.interface = interface
        self.prefixLength = prefixLength
        self.broadcast = broadcast
        self.route = route
    }
}

/// Chooses the interface, prefix length and broadcast address for an IPv4 address from route,
/// link and address dumps, without I/O.
///
/// The rules, in order:
/// 1. An address in 127.0.0.0/8 goes to the loopback interface, /8 unless `netmask` says otherwise,
///    with no broadcast (it lives in the local table, not the main one).
/// 2. Among the main table's directly connected routes (unicast, scope link, no gateway) that
///    contain the address, the lowest metric wins; ties go to the longer prefix, then to the
///    first route listed (upstream findif.sh; 4.12's "longest prefix only" picked the wrong NIC,
///    resource-agents PR #488, issues #1976/#2001). With `netmask`, a route must be at least that
///    wide, and if every matching route is narrower the netmask is an error.
/// 3. Otherwise, if the address is already configured on an interface (say, added earlier with
///    `noprefixroute`, so no route names it), that interface and its prefix length.
/// 4. Otherwise the default route's interface, but only with `netmask`: the default route says
///    nothing about the subnet (C findif: "Cannot use default route w/o netmask").
///
/// The broadcast address is computed from the address and prefix length rather than copied from
/// another address, which was wrong for any other netmask (resource-agents issue #656).
///
/// - Parameters:
///   - address: the address to place.
///   - routes: IPv4 routes; only those of the main table count.
///   - links: every interface.
///   - addresses: every IPv4 address, for rule 3.
///   - nic: the interface to use, without any `:label`; only routes and addresses on it count.
///   - netmask: the prefix length to use, 1-32, as `parseCIDRNetmask` returns it.
public func findInterface(
    for address: IPv4Address,
    routes: [Route],
    links: [Link],
    addresses: [AddressEntry] = [],
    nic: String? = nil,
    netmask: Int? = nil
) throws(InterfaceSelectionError) -> InterfaceSelection {
    if let netmask { precondition((1...32).contains(netmask), "netmask \(netmask) is not in 1...32") }
    var required: Link?
    if let nic {
        guard let link = links.first(where: { $0.name == nic }) else { throw .noSuchInterface(nic) }
        required = link
    }
    func allowed(_ index: Int32?) -> Bool { required == nil || index == required?.index }
    func selection(_ link: Link, _ prefixLength: Int, _ route: Route?) -> InterfaceSelection {
        let broadcast = link.canBroadcast ? address.broadcast(prefixLength: prefixLength) : nil
        return InterfaceSelection(interface: link, prefixLength: prefixLength, broadcast: broadcast, route: route)
    }

    // Rule 1: loopback.
    if address.isLoopback {
        guard let loopback = links.first(where: \.isLoopback), allowed(loopback.index) else {
            throw .noRoute(address, nic: nic)
        }
        if let netmask, netmask < 8 {
            let route = Route(
                destination: IPv4Address(127, 0, 0, 0),
                prefixLength: 8,
                outputInterfaceIndex: loopback.index,
                table: .local,
                type: .local,
                scope: .host
            )
            throw .netmaskWider(netmask, than: route, on: loopback.name)
        }
        return selection(loopback, netmask ?? 8, nil)
    }

    // Rules 2-4.
    let choice = try routeCostChoice(
        for: address, routes: routes, links: links, addresses: addresses, nic: nic, required: required,
        prefixLength: netmask)
    return selection(choice.interface, choice.prefixLength, choice.route)
}

/// The rules IPv4 and IPv6 share (IPv4's 2-4, IPv6's 1-3): the main table's directly connected
/// routes that contain the address, the lowest metric first; else the interface the address is
/// already configured on; else the default route's interface, but only with `prefixLength`.
/// `required` is the link `nic` names: only routes and addresses on it count.
func routeCostChoice<Address: IPAddress>(
    for address: Address,
    routes: [IPRoute<Address>],
    links: [Link],
    addresses: [IPAddressEntry<Address>],
    nic: String?,
    required: Link?,
    prefixLength: Int?
) throws(InterfaceSelectionError) -> (interface: Link, prefixLength: Int, route: IPRoute<Address>?) {
    func allowed(_ index: Int32?) -> Bool { required == nil || index == required?.index }
    func link(_ index: Int32?) throws(InterfaceSelectionError) -> Link {
        // The candidates below all name an interface; a missing one was removed after the dump.
        guard let link = links.first(where: { $0.index == index }) else { throw .noSuchInterface("\(index ?? 0)") }
        return link
    }

    // Directly connected routes.
    let mainRoutes = routes.filter { $0.table == .main && allowed($0.outputInterfaceIndex) }
    let connected = mainRoutes.filter { !$0.isDefault && $0.isDirectlyConnected && $0.contains(address) }
    let wideEnough = connected.filter { $0.prefixLength <= prefixLength ?? Address.bitWidth }
    if let route = preferred(wideEnough) {
        return (try link(route.outputInterfaceIndex), prefixLength ?? route.prefixLength, route)
    }
    if let prefixLength, let route = preferred(connected) {
        throw .netmaskWider(prefixLength, than: route, on: try link(route.outputInterfaceIndex).name)
    }

    // The address is already configured.
    if let entry = addresses.first(where: { $0.address == address && allowed($0.interfaceIndex) }) {
        return (try link(entry.interfaceIndex), prefixLength ?? entry.prefixLength, nil)
    }

    // The default route, with a prefix length.
    let defaults = mainRoutes.filter { $0.isDefault && $0.type == .unicast && $0.outputInterfaceIndex != nil }
    if let route = preferred(defaults) {
        guard let prefixLength else { throw .defaultRouteOnly(address) }
        return (try link(route.outputInterfaceIndex), prefixLength, route)
    }
    throw .noRoute(address, nic: nic)
}

/// The lowest metric, then the longest prefix, then the first listed.
func preferred<Address>(_ routes: [IPRoute<Address>]) -> IPRoute<Address>? {
    routes.enumerated().min { lhs, rhs in
        if lhs.element.metric != rhs.element.metric { return lhs.element.metric < rhs.element.metric }
        if lhs.element.prefixLength != rhs.element.prefixLength {
            return lhs.element.prefixLength > rhs.element.prefixLength
        }
        return lhs.offset < rhs.offset
    }?.element
}
