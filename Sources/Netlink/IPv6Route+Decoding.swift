import CMnl

#if canImport(Glibc)
import Glibc
#endif

extension IPv6Route {
    /// Decodes an IPv6 `RTM_NEWROUTE` message; `nil` for other types or families.
    init?(_ message: NetlinkMessage) {
        guard message.type == RTM_NEWROUTE, let info = message.familyHeader(rtmsg.self),
            info.rtm_family == AF_INET6, info.rtm_dst_len <= 128
        else { return nil }
        let attributes = message.attributes(offset: MemoryLayout<rtmsg>.size)
        self.init(
            destination: attributes.ipv6Address(Int(RTA_DST.rawValue)) ?? .any,
            prefixLength: Int(info.rtm_dst_len),
            outputInterfaceIndex: attributes.u32(Int(RTA_OIF.rawValue)).map { Int32(bitPattern: $0) },
            gateway: attributes.ipv6Address(Int(RTA_GATEWAY.rawValue)),
            metric: attributes.u32(Int(RTA_PRIORITY.rawValue)) ?? 0,
            table: RouteTable(rawValue: attributes.u32(Int(RTA_TABLE.rawValue)) ?? UInt32(info.rtm_table)),
            type: RouteType(rawValue: info.rtm_type),
            protocol: RouteProtocol(rawValue: info.rtm_protocol)
        )
    }
}
