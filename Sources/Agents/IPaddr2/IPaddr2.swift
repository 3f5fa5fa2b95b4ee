import HAKitSystem
import Netlink
import OCF

/// A floating IPv4 or IPv6 address managed through netlink, compatible with resource-agents'
/// IPaddr2: the same parameters, exit codes and results, without `ip`, `arping`, `send_arp` or
/// `send_ua` children.
public struct IPaddr2: ResourceAgent {
    public static let descriptor = AgentDescriptor(
        name: "IPaddr2", version: "1.0",
        short: "Manages a floating IPv4 or IPv6 address (Linux, netlink)",
        long: """
            Adds and removes a floating IPv4 or IPv6 address on an interface through netlink and \
            announces it natively: gratuitous ARPs for IPv4, unsolicited neighbour advertisements \
            (ICMPv6 type 136, override flag, to ff02::1) for IPv6. Without nic and cidr_netmask, the \
            interface and prefix are taken from the directly connected route with the lowest metric \
            that contains the address (ties go to the longer prefix); an IPv6 link-local address \
            (fe80::/10) needs nic. The IPv4 broadcast address is computed from the prefix unless \
            given. An IPv6 start waits until duplicate address detection is over (at most 10 s) and \
            fails, removing the address, when another node on the link holds it; nodad=true skips \
            the wait. For IPv6, arp_count, arp_interval, arp_bg and arp_count_refresh time the \
            neighbour advertisements (one per round). Parameters match resource-agents' IPaddr2.
            """,
        parameters: [
            ParameterSpec(
                "ip", required: true, unique: true, short: "IPv4 or IPv6 address",
                long: """
                    The floating address: dotted quad (203.0.113.10) or IPv6 (2001:db8::10, any form \
                    inet_pton reads; handled in its canonical RFC 5952 form).
                    """),
            ParameterSpec(
                "nic", short: "Network interface",
                long: """
                    The interface to add the address to, e.g. eth0; eth0:label also sets the label. \
                    Without it, the interface comes from the routing table (lowest metric among the \
                    directly connected routes containing the address). Must exist when given.
                    """),
            ParameterSpec(
                "cidr_netmask", alias: "netmask", short: "CIDR netmask",
                long: """
                    The prefix length (24; for IPv6 1-128, e.g. 64) or, for IPv4, a dotted netmask \
                    (255.255.255.0); by default the chosen route's.
                    """),
            ParameterSpec(
                "broadcast", short: "Broadcast address (IPv4)",
                long: """
                    The broadcast address, or + (host bits set) or - (host bits cleared). By default \
                    it is computed: the highest address of the subnet; none for /31, /32 and \
                    interfaces without broadcast. Refused for IPv6, which has no broadcast.
                    """),
            ParameterSpec(
                "iflabel", short: "Interface label",
                long: """
                    A label for an IPv4 address, shown as <nic>:<iflabel> (at most 15 characters in \
                    all). IPv6 addresses have no labels: a warning says so and the address is added without.
                    """),
            NetworkParameters.lvsSupport,
            ParameterSpec(
                "lvs_ipv6_addrlabel", .boolean, default: "false", short: "Add an IPv6 address label (LVS-DR)",
                long: """
                    For LVS direct routing on IPv6: start adds an address label (RFC 6724) for the \
                    address/128, so that traffic this host starts does not pick the floating address \
                    as its source; stop removes it. Refused with an IPv4 ip, as by resource-agents.
                    """),
            ParameterSpec(
                "lvs_ipv6_addrlabel_value", .integer, default: "99", short: "IPv6 address label value",
                long: "The label lvs_ipv6_addrlabel adds: one unused in the policy table (ip addrlabel list)."),
            ParameterSpec(
                "mac", short: "Cluster IP MAC address (not supported)",
                long: "Only used for cluster IP (CLUSTERIP) mode, which is not supported.",
                refusal: "cluster IP (CLUSTERIP) mode was removed from the Linux kernel and is not supported"),
            ParameterSpec(
                "clusterip_hash", short: "Cluster IP hashing function (not supported)",
                long: "Only used for cluster IP (CLUSTERIP) mode, which is not supported.",
                refusal: "cluster IP (CLUSTERIP) mode was removed from the Linux kernel and is not supported"),
            ParameterSpec(
                "unique_clone_address", .boolean, short: "Unique address for cloned instances (not supported)",
                long: "Only used for cloned addresses, which are not supported.",
                refusal: "cloned IPaddr2 resources are not supported; create one resource per address"),
            NetworkParameters.arpInterval("arp_interval", default: "200"),
            NetworkParameters.arpCount("arp_count", default: "5"),
            ParameterSpec(
                "arp_count_refresh", .integer, default: "0", short: "Gratuitous ARP rounds sent per monitor",
                long: "How many rounds of gratuitous ARPs each successful monitor sends, in the background."),
            NetworkParameters.arpBackground("arp_bg", default: "true"),
            ParameterSpec(
                "arp_sender", short: "ARP sender (accepted; ARPs are sent natively)",
                long: """
                    Accepted for compatibility (send_arp, iputils_arping, libnet_arping, ipoibarping); \
                    this agent always sends its frames itself on a packet socket.
                    """),
            ParameterSpec(
                "send_arp_opts", short: "Options for the ARP sender (accepted, ignored)",
                long: "Accepted for compatibility and ignored: no external sender is run."),
            ParameterSpec(
                "flush_routes", .boolean, default: "false", short: "Flush the routing cache on stop",
                long: "Accepted for compatibility; Linux has had no IPv4 routing cache to flush since 3.6."),
            ParameterSpec(
                "run_arping", .boolean, default: "false", short: "Check for an address conflict before adding",
                long: """
                    Probe for another host already using the address (RFC 5227 ARP probes, two probes \
                    within one second) before adding it; start fails when one answers.
                    """),
            ParameterSpec(
                "nodad", .boolean, default: "false", short: "Use the nodad flag",
                long: """
                    IPv6: add the address with the nodad flag: no duplicate address detection, usable \
                    at once, and start does not wait. No effect for IPv4.
                    """),
            ParameterSpec(
                "noprefixroute", .boolean, default: "false", short: "Use the noprefixroute flag",
                long: "Add the address without creating the prefix route."),
            ParameterSpec(
                "preferred_lft", default: "forever", short: "Preferred lifetime (IPv6)",
                long: """
                    forever or a number of seconds: after it the IPv6 address is deprecated, no longer \
                    chosen as a source address (0: never). The kernel ignores it for permanent IPv4 addresses.
                    """),
            ParameterSpec(
                "network_namespace", short: "Network namespace to use",
                long: "Manage the address inside this network namespace (/run/netns/<name>, as ip netns creates)."),
        ],
        actions: [
            ActionSpec(.start, timeout: 20), ActionSpec(.stop, timeout: 20),
            ActionSpec(.status, timeout: 20, interval: 10, depth: 0),
            ActionSpec(.monitor, timeout: 20, interval: 10, depth: 0),
            ActionSpec(.metaData, timeout: 5), ActionSpec(.validateAll, timeout: 20),
        ])

    static let arpSenders: Set<String> = ["", "send_arp", "iputils_arping", "libnet_arping", "ipoibarping"]

    /// The address family decides everything below the parameters.
    enum Family {
        case ipv4(FloatingAddressSpec)
        case ipv6(IPaddr2IPv6)
    }

    let context: AgentContext
    let family: Family
    /// validate's placement, reused by start.
    let placed = PlacementMemo()
    let labelSuffix: String?

    public init(context: AgentContext) throws {
        self.context = context
        let parameters = context.parameters
        if let namespace = parameters.string("network_namespace"), !namespace.isEmpty {
            do {
                try Namespaces.enterNetworkNamespace(named: namespace)
            } catch {
                // The namespace is this node's (ip netns add): missing here is no configuration error.
                throw OCFError.absentHere("network_namespace=\(namespace) cannot be entered on this node: \(error)")
            }
        }
        if let clones = context.environment.meta("clone_max").flatMap({ Int($0) }), clones > 1 {
            throw OCFError.notConfigured("cloned IPaddr2 (cluster IP) is not supported: clone-max=\(clones)")
        }
        // nic=eth0:label is the base interface plus a label, as the reference accepts it.
        var nic = parameters.string("nic")
        var label = parameters.string("iflabel")
        if let given = nic, let colon = given.firstIndex(of: ":") {
            nic = String(given[..<colon])
            label = label ?? String(given[given.index(after: colon)...])
        }
        try parameters.requireNonNegative("arp_interval", "arp_count", "arp_count_refresh")
        labelSuffix = label
        let ip = parameters.string("ip") ?? ""
        if ip.contains(":") {
            family = .ipv6(try IPaddr2IPv6(context: context, ip: ip, nic: nic, label: label))
        } else {
            // resource-agents: "IPv4 does not support lvs_ipv6_addrlabel".
            if parameters.boolean("lvs_ipv6_addrlabel") {
                throw OCFError.notConfigured("lvs_ipv6_addrlabel=true is for IPv6 addresses; ip=\(ip) is IPv4")
            }
            family = .ipv4(
                try FloatingAddressSpec(
                    ip: ip, nic: nic, netmask: parameters.string("cidr_netmask"),
                    broadcast: parameters.string("broadcast")))
            if let nic, let label { _ = try FloatingAddress.label(interface: nic, suffix: label) }
        }
        let sender = parameters.string("arp_sender") ?? ""
        guard Self.arpSenders.contains(sender) else {
            throw OCFError.notConfigured("arp_sender=\(sender) is not one of send_arp, iputils_arping, libnet_arping, ipoibarping")
        }
        let lifetime = parameters.string("preferred_lft") ?? "forever"
        guard lifetime == "forever" || UInt32(lifetime) != nil else {
            throw OCFError.notConfigured("preferred_lft=\(lifetime) is neither forever nor a number of seconds")
        }
    }

    /// The label for the chosen interface, checked against the kernel's limit.
    func label(on interface: Link, _ spec: FloatingAddressSpec) throws -> String? {
        try labelSuffix.map { try FloatingAddress.label(interface: interface.name, suffix: $0, nicGiven: spec.nic != nil) }
    }

    func pidFile(_ address: some CustomStringConvertible) -> String {
        BackgroundARP.pidFile(stateDirectory: context.environment.stateDirectory, address: address)
    }

    /// The ARPs sent on start (`arp_count`) or per monitor (`arp_count_refresh`, always in the background).
    func announcement(rounds: String, background: Bool) -> Announcement {
        Announcement(
            rounds: context.parameters.defaultedInteger(rounds),
            intervalMilliseconds: context.parameters.defaultedInteger("arp_interval"),
            background: background, environment: context.environment)
    }

    public func validate() throws {
        switch family {
        case .ipv4(let spec): _ = try label(on: try placed.placed(spec).placement.interface, spec)
        case .ipv6(let ipv6): try ipv6.validate()
        }
    }

    public func start() throws {
        let spec: FloatingAddressSpec
        switch family {
        case .ipv4(let ipv4): spec = ipv4
        case .ipv6(let ipv6): return try ipv6.start(announcement: announcement)
        }
        let (address, placement) = try placed.placed(spec)
        let interface = placement.interface
        let label = try label(on: interface, spec)
        if !placement.existing.isEmpty {
            context.log.info("\(spec.address) is already on \(interface.name)")
            return
        }
        let parameters = context.parameters
        if parameters.boolean("lvs_support") { try address.removeLoopbackCopy() }
        if parameters.boolean("run_arping") && !interface.isLoopback {
            if let owner = try GratuitousARP(interface: interface, address: spec.address).conflictingHost() {
                throw OCFError.generic(
                    "IPv4 address collision \(spec.address) on \(interface.name): in use by \(owner.map { hex($0) }.joined(separator: ":"))")
            }
        }
        var flags: AddressFlags = []
        if parameters.boolean("nodad") { flags.insert(.noDAD) }
        if parameters.boolean("noprefixroute") { flags.insert(.noPrefixRoute) }
        try address.add(placement, label: label, flags: flags, log: context.log) {
            try address.announce(on: interface, announcement(rounds: "arp_count", background: parameters.boolean("arp_bg")))
        }
    }

    public func stop() throws {
        let spec: FloatingAddressSpec
        switch family {
        case .ipv4(let ipv4): spec = ipv4
        case .ipv6(let ipv6):
            if BackgroundARP.stop(pidFile: pidFile(ipv6.spec.address)) {
                context.log.info("stopped the neighbour advertisement sender for \(ipv6.spec.address)")
            }
            return try ipv6.stop()
        }
        if BackgroundARP.stop(pidFile: pidFile(spec.address)) { context.log.info("stopped the ARP sender for \(spec.address)") }
        let address = try FloatingAddress(spec: spec)
        guard try address.takeDown(log: context.log) != .cannotBePlaced else { return }
        if context.parameters.boolean("lvs_support") { try address.keepLoopbackCopy(log: context.log) }
    }

    public func monitor() throws -> ResourceState {
        let spec: FloatingAddressSpec
        switch family {
        case .ipv4(let ipv4): spec = ipv4
        case .ipv6(let ipv6): return try ipv6.monitor(announcement: announcement)
        }
        let address = try FloatingAddress(spec: spec)
        guard let interface = try address.servingInterface(isProbe: context.isProbe, log: context.log) else {
            return .notRunning
        }
        try address.announce(on: interface, announcement(rounds: "arp_count_refresh", background: true))
        return .running
    }
}

func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xf)]])
}
