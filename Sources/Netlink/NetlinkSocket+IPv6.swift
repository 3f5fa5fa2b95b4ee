#if canImport(Glibc)
import Glibc
#endif

extension NetlinkSocket {
    /// Every IPv6 address on every interface in the socket's namespace, tentative and
    /// dadfailed ones included (their `flags` say so).
    public func ipv6Addresses() throws -> [IPv6AddressEntry] {
        try dump(.dumpAddresses(family: AF_INET6), "listing IPv6 addresses").compactMap(IPv6AddressEntry.init)
    }

    /// The IPv6 routes of one routing table (the main table by default), or of all tables with `.all`.
    public func ipv6Routes(table: RouteTable = .main) throws -> [IPv6Route] {
        let routes = try dump(.dumpRoutes(family: AF_INET6), "listing IPv6 routes").compactMap(IPv6Route.init)
        return table == .all ? routes : routes.filter { $0.table == table }
    }

    /// Adds an IPv6 address to an interface, as `ip -6 addr add`; fails with `EEXIST` if it is already there.
    ///
    /// - Parameters:
    ///   - address: the address to add.
    ///   - prefixLength: its subnet's prefix length, 1-128.
    ///   - interfaceIndex: the interface to add it to.
    ///   - flags: `.noDAD` (no duplicate address detection: usable at once, never tentative),
    ///     `.noPrefixRoute` (no route for the subnet).
    ///   - preferredLifetime: after this the address is deprecated, no longer chosen as a source;
    ///     unlike IPv4, IPv6 honours it when the address is valid forever (`preferred_lft 0`
    ///     gives a deprecated address at once).
    ///   - validLifetime: after this the kernel removes the address; at least `preferredLifetime`.
    public func addAddress(
        _ address: IPv6Address,
        prefixLength: Int,
        interfaceIndex: Int32,
        flags: AddressFlags = [],
        preferredLifetime: Lifetime = .forever,
        validLifetime: Lifetime = .forever
    ) throws {
        precondition((0...128).contains(prefixLength), "IPv6 prefix length \(prefixLength) is not in 0...128")
        let request = Request.newAddress(
            address, prefixLength: prefixLength, interfaceIndex: interfaceIndex, flags: flags,
            preferredLifetime: preferredLifetime, validLifetime: validLifetime)
        _ = try exchange(request, "adding \(address)/\(prefixLength) to \(interfaceName(interfaceIndex))")
    }

    /// Removes an IPv6 address from an interface, as `ip -6 addr del`; fails with `EADDRNOTAVAIL`
    /// if it is not there.
    public func deleteAddress(_ address: IPv6Address, prefixLength: Int, interfaceIndex: Int32) throws {
        precondition((0...128).contains(prefixLength), "IPv6 prefix length \(prefixLength) is not in 0...128")
        let request = Request.deleteAddress(address, prefixLength: prefixLength, interfaceIndex: interfaceIndex)
        _ = try exchange(request, "deleting \(address)/\(prefixLength) from \(interfaceName(interfaceIndex))")
    }
}

extension NetlinkSocket {
    /// Adds an entry to the namespace's IPv6 address label table (RFC 6724 §2.1), as `ip addrlabel
    /// add prefix P/L label N`: source address selection then prefers sources whose label matches
    /// the destination's. Fails with `EEXIST` when the prefix already has an entry.
    public func addAddressLabel(prefix: IPv6Address, prefixLength: Int = 128, label: UInt32) throws {
        precondition((0...128).contains(prefixLength), "IPv6 prefix length \(prefixLength) is not in 0...128")
        _ = try exchange(
            .addressLabel(add: true, prefix: prefix, prefixLength: prefixLength, label: label),
            "adding the address label \(label) for \(prefix)/\(prefixLength)")
    }

    /// Removes an address label entry, as `ip addrlabel del`; fails with `ESRCH` when there is none.
    public func deleteAddressLabel(prefix: IPv6Address, prefixLength: Int = 128, label: UInt32) throws {
        precondition((0...128).contains(prefixLength), "IPv6 prefix length \(prefixLength) is not in 0...128")
        _ = try exchange(
            .addressLabel(add: false, prefix: prefix, prefixLength: prefixLength, label: label),
            "deleting the address label \(label) for \(prefix)/\(prefixLength)")
    }
}
