import HAKitSystem
import Netlink
import OCF

/// IPaddr2 with an IPv6 `ip`, as resource-agents' IPaddr2 manages one: `cidr_netmask` is the
/// prefix length, `nic` is optional (but required for `fe80::/10`), `nodad`, `noprefixroute`
/// and `preferred_lft` reach the kernel, start waits for duplicate address detection, and the
/// address is announced with unsolicited neighbour advertisements instead of ARP.
struct IPaddr2IPv6 {
    let context: AgentContext
    let spec: FloatingIPv6AddressSpec
    let flags: AddressFlags
    let preferredLifetime: Lifetime
    /// The RFC 6724 label for the address with `lvs_ipv6_addrlabel`, so that the host does not
    /// pick it as the source of its own traffic (LVS direct routing health checks).
    let addressLabel: UInt32?

    /// Reads the IPv6 side of the parameters. What IPv6 cannot do is refused with the reason:
    /// `lvs_support` (6, as resource-agents: "The IPv6 does not support lvs_support") and
    /// `broadcast` (6; resource-agents fails start with 1, "Broadcast can be set only for IPv4
    /// addresses").
    init(context: AgentContext, ip: String, nic: String?, label: String?) throws {
        self.context = context
        let parameters = context.parameters
        spec = try FloatingIPv6AddressSpec(ip: ip, nic: nic, netmask: parameters.string("cidr_netmask"))
        if parameters.boolean("lvs_support") {
            throw OCFError.notConfigured("lvs_support=true is for IPv4; IPv6 does not support lvs_support (ip=\(ip))")
        }
        if let broadcast = parameters.string("broadcast"), !broadcast.isEmpty {
            throw OCFError.notConfigured(
                "broadcast=\(broadcast): a broadcast address can be set only for IPv4 addresses")
        }
        if parameters.boolean("lvs_ipv6_addrlabel") {
            // 0xffffffff is the kernel's "no label" (IPV6_ADDR_LABEL_DEFAULT), refused by it.
            let value = parameters.defaultedInteger("lvs_ipv6_addrlabel_value")
            guard let label = UInt32(exactly: value), label != UInt32.max else {
                throw OCFError.notConfigured(
                    "Invalid lvs_ipv6_addrlabel_value [\(value)], should be an integer of 0-4294967294")
            }
            addressLabel = label
        } else {
            addressLabel = nil
        }
        var flags: AddressFlags = []
        if parameters.boolean("nodad") { flags.insert(.noDAD) }
        if parameters.boolean("noprefixroute") { flags.insert(.noPrefixRoute) }
        self.flags = flags
        let lifetime = parameters.string("preferred_lft") ?? "forever"
        if lifetime == "forever" {
            preferredLifetime = .forever
        } else if let seconds = UInt32(lifetime), seconds != UInt32.max {
            preferredLifetime = .seconds(seconds)
        } else {
            throw OCFError.notConfigured("preferred_lft=\(lifetime) is neither forever nor a number of seconds")
        }
        // IPv6 addresses have no labels (the kernel ignores IFA_LABEL for them, as it does for
        // resource-agents' `ip -6 addr add … label`): said, not silently dropped.
        if let label { context.log.warning("iflabel \(label) has no effect on the IPv6 address \(spec.address)") }
    }

    func validate() throws {
        _ = try FloatingIPv6Address(spec: spec).place()
    }

    func start(announcement: (String, Bool) -> Announcement) throws {
        let address = try FloatingIPv6Address(spec: spec)
        // The label goes in first, as resource-agents adds it, so that the address is never a
        // candidate source without it; a failed start takes it away again.
        let labelled = addressLabel.map { address.addLabel($0, log: context.log) } ?? false
        do {
            try address.bringUp(flags: flags, preferredLifetime: preferredLifetime, log: context.log) {
                try announcement("arp_count", context.parameters.boolean("arp_bg")).send(for: spec.address, on: $0)
            }
        } catch {
            if labelled, let addressLabel { address.deleteLabel(addressLabel, log: context.log) }
            throw error
        }
    }

    func stop() throws {
        let address = try FloatingIPv6Address(spec: spec)
        try address.takeDown(log: context.log)
        if let addressLabel { address.deleteLabel(addressLabel, log: context.log) }
    }

    func monitor(announcement: (String, Bool) -> Announcement) throws -> ResourceState {
        let address = try FloatingIPv6Address(spec: spec)
        guard let interface = try address.servingInterface(isProbe: context.isProbe, log: context.log) else {
            return .notRunning
        }
        if !interface.isLoopback,
            let entry = try address.entry(onInterface: interface.index), !entry.flags.contains(.tentative)
        {
            try announcement("arp_count_refresh", true).send(for: spec.address, on: interface)
        }
        return .running
    }
}
