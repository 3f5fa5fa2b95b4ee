import CMnl

#if canImport(Glibc)
import Glibc
#endif

extension IPAddressEntry {
    /// Decodes an `RTM_NEWADDR` message of the address's family (or `RTM_DELADDR`, which a monitor
    /// receives); `nil` for other types, other families, a prefix longer than the address, or no address.
    init?(_ message: NetlinkMessage) {
        guard message.type == RTM_NEWADDR || message.type == RTM_DELADDR, let info = message.familyHeader(ifaddrmsg.self),
            Int32(info.ifa_family) == Address.family, Int(info.ifa_prefixlen) <= Address.bitWidth
        else { return nil }
        let attributes = message.attributes(offset: MemoryLayout<ifaddrmsg>.size)
        // IFA_LOCAL is the address itself; IFA_ADDRESS is the peer on point-to-point links, and
        // the only one present for IPv6 on other links and for IPv4 on some older kernels.
        guard let address = attributes.address(IFA_LOCAL, as: Address.self) ?? attributes.address(IFA_ADDRESS) else {
            return nil
        }
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
