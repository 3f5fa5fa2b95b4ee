import CMnl

#if canImport(Glibc)
import Glibc
#endif

extension IPRoute {
    /// Decodes an `RTM_NEWROUTE` message of the address's family; `nil` for other types or
    /// families, or a destination prefix longer than the address.
    init?(_ message: NetlinkMessage) {
        guard message.type == RTM_NEWROUTE, let info = message.familyHeader(rtmsg.self),
            Int32(info.rtm_family) == Address.family, Int(info.rtm_dst_len) <= Address.bitWidth
        else { return nil }
        let attributes = message.attributes(offset: MemoryLayout<rtmsg>.size)
        self.init(
            destination: attributes.address(Int(RTA_DST.rawValue)) ?? .any,
            prefixLength: Int(info.rtm_dst_len),
            outputInterfaceIndex: attributes.u32(Int(RTA_OIF.rawValue)).map { Int32(bitPattern: $0) },
            gateway: attributes.address(Int(RTA_GATEWAY.rawValue)),
            metric: attributes.u32(Int(RTA_PRIORITY.rawValue)) ?? 0,
            // rtm_table has 8 bits; ids above 255 are only in RTA_TABLE.
            table: RouteTable(rawValue: attributes.u32(Int(RTA_TABLE.rawValue)) ?? UInt32(info.rtm_table)),
            type: RouteType(rawValue: info.rtm_type),
            scope: Scope(rawValue: info.rtm_scope),
            protocol: RouteProtocol(rawValue: info.rtm_protocol),
            preferredSource: attributes.address(Int(RTA_PREFSRC.rawValue))
        )
    }
}
