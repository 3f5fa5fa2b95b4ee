import HAKitSystem
import Netlink
import OCF

/// A floating IPv4 address managed through netlink, compatible with resource-agents' IPaddr2:
/// the same parameters, exit codes and results, without `ip`, `arping` or `send_arp` children.
public struct IPaddr2: ResourceAgent {
    public static let descriptor = AgentDescriptor(
        name: "IPaddr2", version: "1.0",
        short: "Manages a floating IPv4 address (Linux, netlink)",
        long: """
            Adds and removes a floating IPv4 address on an interface through netlink and announces \
            it with gratuitous ARPs sent natively. Without nic and cidr_netmask, the interface and \
            prefix are taken from the directly connected route with the lowest metric that contains \
            the address (ties go to the longer prefix). The broadcast address is computed from the \
            prefix unless given. Parameters match resource-agents' IPaddr2 for IPv4.
            """,
        parameters: [
            NetworkParameters.ip,
            ParameterSpec(
                "nic", short: "Network interface",
                long: """
                    The interface to add the address to, e.g. eth0; eth0:label also sets the label. \
                    Without it, the interface comes from the routing table (lowest metric among the \
                    directly connected routes containing the address). Must exist when given.
                    """),
            NetworkParameters.cidrNetmask, NetworkParameters.broadcast,
            ParameterSpec(
                "iflabel", short: "Interface label",
                long: "A label for the address, shown as <nic>:<iflabel> (at most 15 characters in all)."),
            NetworkParameters.lvsSupport,
            ParameterSpec(
                "lvs_ipv6_addrlabel", .boolean, default: "false", short: "IPv6 address label (no effect for IPv4)",
                long: "Accepted for compatibility; only used with IPv6 addresses, which this agent does not manage."),
            ParameterSpec(
                "lvs_ipv6_addrlabel_value", .integer, default: "99", short: "IPv6 address label value (no effect for IPv4)",
                long: "Accepted for compatibility; only used with IPv6 addresses."),
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
                long: "Add the address with the nodad flag (no duplicate address detection)."),
            ParameterSpec(
                "noprefixroute", .boolean, default: "false", short: "Use the noprefixroute flag",
                long: "Add the address without creating the prefix route."),
            ParameterSpec(
                "preferred_lft", default: "forever", short: "Preferred lifetime (IPv6; accepted)",
                long: "forever or a number of seconds; the kernel ignores it for permanent IPv4 addresses."),
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

    let context: AgentContext
    let spec: FloatingAddressSpec
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
        spec = try FloatingAddressSpec(
            ip: parameters.string("ip") ?? "", nic: nic, netmask: parameters.string("cidr_netmask"),
            broadcast: parameters.string("broadcast"))
        labelSuffix = label
        if let nic, let label { _ = try FloatingAddress.label(interface: nic, suffix: label) }
        try parameters.requireNonNegative("arp_interval", "arp_count", "arp_count_refresh")
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
    func label(on interface: Link) throws -> String? {
        try labelSuffix.map { try FloatingAddress.label(interface: interface.name, suffix: $0, nicGiven: spec.nic != nil) }
    }

    var pidFile: String { BackgroundARP.pidFile(stateDirectory: context.environment.stateDirectory, address: spec.address) }

    /// The ARPs sent on start (`arp_count`) or per monitor (`arp_count_refresh`, always in the background).
    func announcement(rounds: String, background: Bool) -> Announcement {
        Announcement(
            rounds: context.parameters.defaultedInteger(rounds),
            intervalMilliseconds: context.parameters.defaultedInteger("arp_interval"),
            background: background, environment: context.environment)
    }

    public func validate() throws {
        _ = try label(on: try placed.placed(spec).placement.interface)
    }

    public func start() throws {
        let (address, placement) = try placed.placed(spec)
        let interface = placement.interface
        let label = try label(on: interface)
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
        if BackgroundARP.stop(pidFile: pidFile) { context.log.info("stopped the ARP sender for \(spec.address)") }
        let address = try FloatingAddress(spec: spec)
        guard try address.takeDown(log: context.log) != .cannotBePlaced else { return }
        if context.parameters.boolean("lvs_support") { try address.keepLoopbackCopy(log: context.log) }
    }

    public func monitor() throws -> ResourceState {
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
