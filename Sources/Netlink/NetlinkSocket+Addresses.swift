extension NetlinkSocket {
    /// Every IPv4 address on every interface in the socket's namespace.
    public func addresses() throws -> [AddressEntry] {
        try dump(.dumpAddresses(), "listing IPv4 addresses").compactMap(AddressEntry.init)
    }

    /// Adds an IPv4 address to an interface, as `ip addr add`; fails with `EEXIST` if it is already there.
    ///
    /// - Parameters:
    ///   - address: the address to add.
    ///   - prefixLength: its subnet's prefix length, 1-32.
    ///   - broadcast: the broadcast address to set; `nil` sets none (`ip` without `brd`).
    ///   - label: the address label, `<interface>` or `<interface>:<suffix>`, at most 15 bytes.
    ///   - interfaceIndex: the interface to add it to.
    ///   - flags: e.g. `.noPrefixRoute`, or `.noDAD` (which IPv4 ignores).
    ///   - preferredLifetime: after this the address is deprecated, no longer chosen as a source.
    ///     IPv4 honours it only with a finite `validLifetime`: an address valid forever is permanent
    ///     and never ages (as with `ip addr add ... preferred_lft N`).
    ///   - validLifetime: after this the kernel removes the address; at least `preferredLifetime`.
    public func addAddress(
        _ address: IPv4Address,
        prefixLength: Int,
        broadcast: IPv4Address? = nil,
        label: String? = nil,
        interfaceIndex: Int32,
        flags: AddressFlags = [],
        preferredLifetime: Lifetime = .forever,
        validLifetime: Lifetime = .forever
    ) throws {
        precondition((0...32).contains(prefixLength), "IPv4 prefix length \(prefixLength) is not in 0...32")
        let request = Request.newAddress(
            address,
            prefixLength: prefixLength,
            broadcast: broadcast,
            label: label,
            interfaceIndex: interfaceIndex,
            flags: flags,
            preferredLifetime: preferredLifetime,
            validLifetime: validLifetime
        )
        _ = try exchange(request, "adding \(address)/\(prefixLength) to \(interfaceName(interfaceIndex))")
    }

    /// Removes an IPv4 address from an interface, as `ip addr del`; fails with `EADDRNOTAVAIL` if it is not there.
    public func deleteAddress(_ address: IPv4Address, prefixLength: Int, interfaceIndex: Int32) throws {
        precondition((0...32).contains(prefixLength), "IPv4 prefix length \(prefixLength) is not in 0...32")
        let request = Request.deleteAddress(address, prefixLength: prefixLength, interfaceIndex: interfaceIndex)
        _ = try exchange(request, "deleting \(address)/\(prefixLength) from \(interfaceName(interfaceIndex))")
    }
}
