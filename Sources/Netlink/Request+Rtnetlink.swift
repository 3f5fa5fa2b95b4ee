import CMnl

#if canImport(Glibc)
import Glibc
#endif

/// The rtnetlink requests NetlinkSocket sends, built as plain data.
extension Request {
    /// `RTM_GETLINK` dump: every interface.
    static func dumpLinks() -> Request {
        Request(type: UInt16(RTM_GETLINK), flags: UInt16(NLM_F_DUMP), header: headerBytes(ifinfomsg()), attributes: [])
    }

    /// `RTM_GETLINK` for one interface, by index or (with index 0) by name.
    static func getLink(index: Int32, name: String? = nil) -> Request {
        var message = ifinfomsg()
        message.ifi_index = index
        return Request(
            type: UInt16(RTM_GETLINK),
            flags: UInt16(NLM_F_ACK),
            header: headerBytes(message),
            attributes: name.map { [.string(IFLA_IFNAME, $0)] } ?? []
        )
    }

    /// `RTM_NEWLINK` setting `IFF_UP` and nothing else (`ifi_change` masks the other flags), as `ip link set up`.
    static func setLinkUp(index: Int32) -> Request {
        var message = ifinfomsg()
        message.ifi_index = index
        message.ifi_flags = IFF_UP.rawValue
        message.ifi_change = IFF_UP.rawValue
        return Request(
            type: UInt16(RTM_NEWLINK),
            flags: UInt16(NLM_F_ACK),
            header: headerBytes(message),
            attributes: []
        )
    }

    /// `RTM_GETADDR` dump of the addresses of one family (`AF_INET` by default, or `AF_INET6`).
    static func dumpAddresses(family: Int32 = AF_INET) -> Request {
        var message = ifaddrmsg()
        message.ifa_family = UInt8(family)
        return Request(
            type: UInt16(RTM_GETADDR),
            flags: UInt16(NLM_F_DUMP),
            header: headerBytes(message),
            attributes: []
        )
    }

    /// `RTM_GETROUTE` dump of the routes of one family (`AF_INET` by default, or `AF_INET6`), every
    /// table (the kernel filters by table only in strict mode).
    static func dumpRoutes(family: Int32 = AF_INET) -> Request {
        var message = rtmsg()
        message.rtm_family = UInt8(family)
        return Request(
            type: UInt16(RTM_GETROUTE),
            flags: UInt16(NLM_F_DUMP),
            header: headerBytes(message),
            attributes: []
        )
    }

    /// `RTM_NEWADDR` with `NLM_F_CREATE | NLM_F_EXCL`, so an existing address fails with `EEXIST`
    /// rather than being replaced; the attributes follow `ip addr add`.
    static func newAddress(
        _ address: IPv4Address,
        prefixLength: Int,
        broadcast: IPv4Address?,
        label: String?,
        interfaceIndex: Int32,
        flags: AddressFlags,
        preferredLifetime: Lifetime,
        validLifetime: Lifetime
    ) -> Request {
        // `ip` gives 127/8 addresses host scope; anything else is global.
        newAddress(
            family: AF_INET, local: address.bytes, prefixLength: prefixLength, broadcast: broadcast?.bytes,
            label: label, interfaceIndex: interfaceIndex,
            scope: address.isLoopback ? .host : .universe, flags: flags,
            preferredLifetime: preferredLifetime, validLifetime: validLifetime)
    }

    /// `RTM_NEWADDR` for an IPv6 address, as `ip -6 addr add A/P [nodad] [noprefixroute]
    /// [preferred_lft N]` sends it. The kernel sets the scope from the address itself.
    static func newAddress(
        _ address: IPv6Address,
        prefixLength: Int,
        interfaceIndex: Int32,
        flags: AddressFlags,
        preferredLifetime: Lifetime,
        validLifetime: Lifetime
    ) -> Request {
        newAddress(
            family: AF_INET6, local: address.bytes, prefixLength: prefixLength, broadcast: nil, label: nil,
            interfaceIndex: interfaceIndex, scope: .universe, flags: flags,
            preferredLifetime: preferredLifetime, validLifetime: validLifetime)
    }

    private static func newAddress(
        family: Int32,
        local: [UInt8],
        prefixLength: Int,
        broadcast: [UInt8]?,
        label: String?,
        interfaceIndex: Int32,
        scope: Scope,
        flags: AddressFlags,
        preferredLifetime: Lifetime,
        validLifetime: Lifetime
    ) -> Request {
        var message = ifaddrmsg()
        message.ifa_family = UInt8(family)
        message.ifa_prefixlen = UInt8(prefixLength)
        message.ifa_index = UInt32(bitPattern: interfaceIndex)
        message.ifa_scope = scope.rawValue
        // ifa_flags has 8 bits; IFA_F_NOPREFIXROUTE and later flags only fit in IFA_FLAGS (as `ip` does it).
        if flags.rawValue <= 0xff { message.ifa_flags = UInt8(flags.rawValue) }

        // The attribute order is the one iproute2 6.1 sends for `ip addr add A/P brd B label L`.
        var attributes: [Attribute] = [.bytes(IFA_LOCAL, local)]
        if let broadcast { attributes.append(.bytes(IFA_BROADCAST, broadcast)) }
        if let label { attributes.append(.string(IFA_LABEL, label)) }
        if flags.rawValue > 0xff { attributes.append(.u32(IFA_FLAGS, flags.rawValue)) }
        attributes.append(.bytes(IFA_ADDRESS, local))
        if preferredLifetime != .forever || validLifetime != .forever {
            var cacheInfo = ifa_cacheinfo()
            cacheInfo.ifa_prefered = preferredLifetime.rawValue
            cacheInfo.ifa_valid = validLifetime.rawValue
            attributes.append(.value(IFA_CACHEINFO, cacheInfo))
        }
        return Request(
            type: UInt16(RTM_NEWADDR),
            flags: UInt16(NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL),
            header: headerBytes(message),
            attributes: attributes
        )
    }

    /// `RTM_DELADDR` for one address; the kernel matches local address, prefix length and subnet.
    static func deleteAddress(_ address: IPv4Address, prefixLength: Int, interfaceIndex: Int32) -> Request {
        deleteAddress(family: AF_INET, address.bytes, prefixLength: prefixLength, interfaceIndex: interfaceIndex)
    }

    /// `RTM_DELADDR` for one IPv6 address.
    static func deleteAddress(_ address: IPv6Address, prefixLength: Int, interfaceIndex: Int32) -> Request {
        deleteAddress(family: AF_INET6, address.bytes, prefixLength: prefixLength, interfaceIndex: interfaceIndex)
    }

    private static func deleteAddress(
        family: Int32, _ local: [UInt8], prefixLength: Int, interfaceIndex: Int32
    ) -> Request {
        var message = ifaddrmsg()
        message.ifa_family = UInt8(family)
        message.ifa_prefixlen = UInt8(prefixLength)
        message.ifa_index = UInt32(bitPattern: interfaceIndex)
        return Request(
            type: UInt16(RTM_DELADDR),
            flags: UInt16(NLM_F_ACK),
            header: headerBytes(message),
            attributes: [.bytes(IFA_LOCAL, local), .bytes(IFA_ADDRESS, local)]
        )
    }
}

extension Request {
    /// `RTM_NEWADDRLABEL` (with `NLM_F_CREATE | NLM_F_EXCL`) or `RTM_DELADDRLABEL` for an entry of
    /// the RFC 6724 policy table, as `ip addrlabel add|del prefix P/L label N` sends it: an
    /// `ifaddrlblmsg` (family, reserved, prefix length, flags, interface index, sequence; 12
    /// bytes), then `IFAL_ADDRESS` and `IFAL_LABEL`.
    static func addressLabel(
        add: Bool, prefix: IPv6Address, prefixLength: Int, label: UInt32, interfaceIndex: Int32 = 0
    ) -> Request {
        let index = withUnsafeBytes(of: UInt32(bitPattern: interfaceIndex)) { Array($0) }
        let header: [UInt8] = [UInt8(AF_INET6), 0, UInt8(prefixLength), 0] + index + [0, 0, 0, 0]
        return Request(
            type: UInt16(add ? RTM_NEWADDRLABEL : RTM_DELADDRLABEL),
            flags: UInt16(add ? NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL : NLM_F_ACK),
            header: header,
            attributes: [.bytes(Self.addressLabelAddress, prefix.bytes), .u32(Self.addressLabelLabel, label)]
        )
    }

    /// `IFAL_ADDRESS` and `IFAL_LABEL` (linux/if_addrlabel.h).
    static let addressLabelAddress = 1
    static let addressLabelLabel = 2
}
