import CMnl

extension Link {
    /// Decodes an `RTM_NEWLINK` message (or `RTM_DELLINK`, which a monitor receives); `nil` if it is
    /// another type or lacks a name.
    init?(_ message: NetlinkMessage) {
        guard message.type == RTM_NEWLINK || message.type == RTM_DELLINK, let info = message.familyHeader(ifinfomsg.self) else { return nil }
        let attributes = message.attributes(offset: MemoryLayout<ifinfomsg>.size)
        guard let name = attributes.string(IFLA_IFNAME) else { return nil }
        self.init(
            index: info.ifi_index,
            name: name,
            flags: LinkFlags(rawValue: info.ifi_flags),
            type: LinkType(rawValue: info.ifi_type),
            hardwareAddress: attributes[UInt16(IFLA_ADDRESS)] ?? [],
            mtu: attributes.u32(IFLA_MTU) ?? 0,
            operationalState: attributes.u8(IFLA_OPERSTATE).map(OperationalState.init(rawValue:)) ?? .unknown
        )
    }
}
