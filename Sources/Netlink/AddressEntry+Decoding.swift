import CMnl

#if canImport(Glibc)
import Glibc
#endif

extension AddressEntry {
    /// Decodes an IPv4 `RTM_NEWADDR` message (or `RTM_DELADDR`, which a monitor receives); `nil`
    /// for other types, other families, or no address.
    init?(_ message: NetlinkMessage) {
        guard message.type == RTM_NEWADDR || message.type == RTM_DELADDR, let info = message.familyHeader(ifaddrmsg.self),
            info.ifa_family == AF_INET
        else { return nil }
        let attributes = message.attributes(offset: MemoryLayout<ifaddrmsg>.size)
        // IFA_LOCAL is the address itself; IFA_ADDRESS is the peer on point-to-point links, and
        // the only one present on some older kernels.
        guard let address = attributes.address(IFA_LOCAL) ?? attributes.address(IFA_ADDRESS) else { return nil }
        let cacheInfo = attributes.value(IFA_CACHEINFO, as: ifa_cacheinfo.self)
        self.init(
            interfaceIndex: Int32(bitPattern: info.ifa_index),
            address: address,
            prefixLength: Int(info.ifa_prefixlen),
            broadcast: attributes.address(IFA_BROADCAST),
            label: attributes.string(IFA_LABEL),
            scope: Scope(rawValue: info.ifa_scope),
            flags: AddressFlags(rawValue: attributes.u32(IFA_FLAGS) ?? UInt32(info.ifa_flags)),
            preferredLifetime: cacheInfo.map { Lifetime(rawValue: $0.ifa_prefered) } ?? .forever,
            validLifetime: cacheInfo.map { Lifetime(rawValue: $0.ifa_valid) } ?? .forever
        )
    }
}
