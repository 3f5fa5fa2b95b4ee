import CMnl

#if canImport(Glibc)
import Glibc
#endif

extension IPv6AddressEntry {
    /// Decodes an IPv6 `RTM_NEWADDR` message; `nil` for other types, other families, or no address.
    init?(_ message: NetlinkMessage) {
        guard message.type == RTM_NEWADDR, let info = message.familyHeader(ifaddrmsg.self),
            info.ifa_family == AF_INET6, info.ifa_prefixlen <= 128
        else { return nil }
        let attributes = message.attributes(offset: MemoryLayout<ifaddrmsg>.size)
        // For IPv6, IFA_ADDRESS is the address; IFA_LOCAL appears with it only on point-to-point
        // links, where IFA_ADDRESS is the peer.
        guard let address = attributes.ipv6Address(IFA_LOCAL) ?? attributes.ipv6Address(IFA_ADDRESS) else {
            return nil
        }
        let cacheInfo = attributes.value(IFA_CACHEINFO, as: ifa_cacheinfo.self)
        self.init(
            interfaceIndex: Int32(bitPattern: info.ifa_index),
            address: address,
            prefixLength: Int(info.ifa_prefixlen),
            scope: Scope(rawValue: info.ifa_scope),
            flags: AddressFlags(rawValue: attributes.u32(IFA_FLAGS) ?? UInt32(info.ifa_flags)),
            preferredLifetime: cacheInfo.map { Lifetime(rawValue: $0.ifa_prefered) } ?? .forever,
            validLifetime: cacheInfo.map { Lifetime(rawValue: $0.ifa_valid) } ?? .forever
        )
    }
}
