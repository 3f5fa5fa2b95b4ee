/// heartbeat v1's `/etc/ha.d/haresources`: one resource group per logical line.
public struct HaResources: Hashable, Sendable {
    /// The groups in file order.
    public var groups: [ResourceGroup]

    /// Creates the list.
    public init(groups: [ResourceGroup]) { self.groups = groups }

    /// The group whose key (first resource, as written) is `key`.
    public func group(key: String) -> ResourceGroup? { groups.first { $0.key == key } }

    /// The groups whose preferred node is `node` (compared lower-cased), in file order.
    public func groups(preferring node: String) -> [ResourceGroup] {
        let node = node.lowercased()
        return groups.filter { $0.node == node }
    }
}

/// One haresources line: the preferred node and its resources in start order.
public struct ResourceGroup: Hashable, Sendable {
    /// The preferred node, lower-cased.
    public var node: String
    /// The resources in start order (left to right); never empty.
    public var resources: [HaResource]
    /// The 1-based line the group starts on.
    public var line: Int

    /// Creates a group; `resources` must not be empty.
    public init(node: String, resources: [HaResource], line: Int) {
        precondition(!resources.isEmpty, "a resource group needs at least one resource")
        self.node = node
        self.resources = resources
        self.line = line
    }

    /// heartbeat's name for the group: its first resource as written (e.g. `192.168.85.3`).
    public var key: String { resources[0].token }

    /// The resources in the order they are started (as written).
    public var startOrder: [HaResource] { resources }

    /// The resources in the order they are stopped (reverse of start).
    public var stopOrder: [HaResource] { resources.reversed() }
}

/// One resource of a group: a heartbeat resource script with its `::` arguments.
public struct HaResource: Hashable, Sendable, CustomStringConvertible {
    /// How heartbeat-lite runs this resource.
    public enum Kind: Hashable, Sendable {
        /// heartbeat's IPaddr script (the IP shorthand or `IPaddr::…`): the OCF IPaddr agent.
        case ipAddr(IPAddressSpec)
        /// heartbeat's IPaddr2 script (`IPaddr2::…`): the OCF IPaddr2 agent, with `lvs_support` on
        /// as heartbeat's v1 wrapper sets it.
        case ipAddr2(IPAddressSpec)
        /// heartbeat's IPv6addr script (`IPv6addr::2001:db8::10/64/eth0`): the OCF IPv6addr agent.
        case ipv6Addr(IPAddressSpec)
        /// Any other script, looked up in /etc/ha.d/resource.d then /etc/init.d and run as
        /// `<script> [args] start|stop|status`.
        case script
    }

    /// The resource as written in haresources, e.g. `IPaddr::192.168.85.3/27` or `httpd`.
    public var token: String
    /// The script name: `IPaddr` for the IP shorthand, else the part before the first `::`.
    public var script: String
    /// The arguments passed before the action: the `::`-separated parts, or the shorthand itself.
    public var arguments: [String]
    /// How it is run.
    public var kind: Kind

    /// Creates a resource from its parts.
    public init(token: String, script: String, arguments: [String], kind: Kind) {
        self.token = token
        self.script = script
        self.arguments = arguments
        self.kind = kind
    }

    /// The parsed address for IPaddr, IPaddr2 and IPv6addr resources.
    public var address: IPAddressSpec? {
        switch kind {
        case .ipAddr(let spec), .ipAddr2(let spec), .ipv6Addr(let spec): spec
        case .script: nil
        }
    }

    /// The OCF parameters for IPaddr/IPaddr2 in a fixed order (`ip`, `cidr_netmask`, `nic`, `iflabel`,
    /// `broadcast`, `lvs_support`); empty for scripts.
    public var ocfParameters: [(name: String, value: String)] {
        guard let spec = address else { return [] }
        var result: [(name: String, value: String)] = [(kind == .ipv6Addr(spec) ? "ipv6addr" : "ip", spec.ip)]
        if let bits = spec.cidrNetmask { result.append(("cidr_netmask", String(bits))) }
        if let nic = spec.nic { result.append(("nic", nic)) }
        if let label = spec.iflabel { result.append(("iflabel", label)) }
        if let broadcast = spec.broadcast { result.append(("broadcast", broadcast)) }
        // heartbeat's IPaddr2 wrapper sets lvs_support; IPv6 addresses refuse it (resource-agents too).
        if case .ipAddr2 = kind, !spec.isIPv6 { result.append(("lvs_support", "true")) }
        return result
    }

    /// The token as written.
    public var description: String { token }
}
