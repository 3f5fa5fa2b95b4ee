/// keepalived's `track_interface` for heartbeat-lite's groups: a held group whose address sits on
/// an interface that lost its carrier or was set down serves nobody here, so it is handed to the
/// peer, when there is a peer to take it.
///
/// Pure: the caller hands in what netlink reports (links and IPv4 addresses, by interface index)
/// and, at each evaluation, what the negotiation knows; the watch returns what to do. The
/// handover is the standby handshake, so the group is never on both nodes. With no peer alive (or
/// one that reaches fewer ping nodes) there is nobody better to serve: that is logged once and the
/// group stays. A group acquired while its link was already down (the peer stood by, or died) is
/// not handed back: the peer gave it up, and two nodes whose links are both down would otherwise
/// pass it to and fro; a later fault of that link, once it was up again, counts.
public struct LinkWatch: Sendable {
    /// What the daemon is to do.
    public enum Effect: Hashable, Sendable {
        /// Hand this set (named from this node's side) to the peer: `standby SET`.
        case handOver(HoldSet, reason: String)
        /// Log a line.
        case log(ResourceNegotiation.Severity, String)
    }

    /// An interface as netlink last reported it.
    public struct Interface: Hashable, Sendable {
        /// The name, e.g. `eth0`.
        public var name: String
        /// Administratively up (`IFF_UP`).
        public var adminUp: Bool
        /// The driver reports carrier (`IFF_LOWER_UP`).
        public var carrier: Bool
        /// The IPv4 addresses on it, host byte order.
        public var addresses: Set<UInt32> = []

        /// Whether it can carry traffic.
        public var isUp: Bool { adminUp && carrier }
        /// Why it cannot, in words.
        public var fault: String { !adminUp ? "administratively down" : "no carrier" }
    }

    /// What the negotiation knows when the watch evaluates.
    public struct Situation: Hashable, Sendable {
        /// The groups held here.
        public var held: Set<String>
        /// The groups whose home is this node.
        public var local: Set<String>
        /// The peer is alive.
        public var peerAlive: Bool
        /// Some heartbeat medium is on an interface that is up (or is a tty): the peer can be
        /// asked to take over. When the failed link is the only medium too, there is nobody to tell.
        public var mediumUp: Bool
        /// The peer reaches fewer ping nodes than this node (ipfail's counts; false without them).
        public var peerWorseOff: Bool
        /// Resources settled: a standby can be asked for now.
        public var stable: Bool

        /// Creates a situation.
        public init(held: Set<String>, local: Set<String>, peerAlive: Bool, mediumUp: Bool = true, peerWorseOff: Bool, stable: Bool) {
            self.held = held
            self.local = local
            self.peerAlive = peerAlive
            self.mediumUp = mediumUp
            self.peerWorseOff = peerWorseOff
            self.stable = stable
        }
    }

    /// Each group's IPv4 addresses (host byte order), in haresources order.
    public let groupAddresses: [(key: String, addresses: Set<UInt32>)]
    /// The interfaces by index.
    public private(set) var interfaces: [Int32: Interface] = [:]
    /// The last handover and its reason, for `status`.
    public private(set) var lastHandover: String?
    /// The faults already reported (group → text), so a lasting one is logged once.
    private var reported: [String: String] = [:]
    /// The groups held at the last evaluation.
    private var previouslyHeld: Set<String> = []
    /// Groups acquired while their link was down: kept until that fault ends.
    public private(set) var acquiredFaulty: Set<String> = []

    /// Watches `groups`' IP addresses.
    public init(groups: [ResourceGroup]) {
        groupAddresses = groups.map { group in
            (group.key, Set(group.resources.compactMap { $0.address.flatMap { IPv4Text.octets($0.ip) }.map(Self.value) }))
        }
    }

    /// Whether the interface named `name` is known to be down (an unknown name, such as a tty, is not).
    public func isDown(_ name: String) -> Bool { interfaces.values.contains { $0.name == name && !$0.isUp } }

    /// The faults of the interfaces named `names` when every one of them is known and down, in
    /// words (`eth0 administratively down, hb0 no carrier`); nil when one is up or unknown (a tty).
    /// `administratively`: count only interfaces set down, not those that lost their carrier.
    public func allDown(_ names: [String], administratively: Bool = false) -> String? {
        guard !names.isEmpty else { return nil }
        var words: [String] = []
        for name in names {
            guard let interface = interfaces.values.first(where: { $0.name == name }), !interface.isUp,
                !administratively || !interface.adminUp
            else { return nil }
            words.append("\(name) \(interface.fault)")
        }
        return words.joined(separator: ", ")
    }

    /// Whether any group has an address to watch.
    public var isUseful: Bool { groupAddresses.contains { !$0.addresses.isEmpty } }

    /// A link appeared or changed (`RTM_NEWLINK`).
    public mutating func link(index: Int32, name: String, adminUp: Bool, carrier: Bool) {
        let addresses = interfaces[index]?.addresses ?? []
        interfaces[index] = Interface(name: name, adminUp: adminUp, carrier: carrier, addresses: addresses)
    }

    /// A link went away (`RTM_DELLINK`).
    public mutating func linkRemoved(index: Int32) { interfaces[index] = nil }

    /// An address was added (`RTM_NEWADDR`) or removed (`RTM_DELADDR`).
    public mutating func address(_ address: UInt32, index: Int32, present: Bool) {
        guard var interface = interfaces[index] else {
            if present { interfaces[index] = Interface(name: "if\(index)", adminUp: true, carrier: true, addresses: [address]) }
            return
        }
        if present { interface.addresses.insert(address) } else { interface.addresses.remove(address) }
        interfaces[index] = interface
    }

    /// The held groups that sit on a failed interface, each with the fault in words.
    public func faults(held: Set<String>) -> [(key: String, fault: String)] {
        groupAddresses.compactMap { group in
            guard held.contains(group.key) else { return nil }
            let failed = interfaces.values.filter { !$0.isUp && !$0.addresses.isDisjoint(with: group.addresses) }
                .sorted { $0.name < $1.name }
            guard !failed.isEmpty else { return nil }
            let words = failed.map { interface in
                let carried = interface.addresses.intersection(group.addresses).sorted().map(IPv4Text.dotted)
                return "\(interface.name) (carrying \(carried.joined(separator: ", "))) is \(interface.fault)"
            }
            return (group.key, words.joined(separator: "; "))
        }
    }

    /// Decides: hand the failed groups over, or say why they stay.
    public mutating func evaluate(_ situation: Situation) -> [Effect] {
        let allFaults = faults(held: situation.held)
        let newlyHeld = situation.held.subtracting(previouslyHeld)
        previouslyHeld = situation.held
        acquiredFaulty = acquiredFaulty.filter { key in allFaults.contains { $0.key == key } }
        reported = reported.filter { key, _ in allFaults.contains { $0.key == key } }
        var effects: [Effect] = []
        func once(_ key: String, _ text: String, _ severity: ResourceNegotiation.Severity) {
            guard reported[key] != text else { return }
            reported[key] = text
            effects.append(.log(severity, text))
        }
        for fault in allFaults where newlyHeld.contains(fault.key) { acquiredFaulty.insert(fault.key) }
        for fault in allFaults where acquiredFaulty.contains(fault.key) {
            once(fault.key, "link watch: group \(fault.key) was acquired while \(fault.fault): keeping it (it is not handed back until that link has been up again)", .warning)
        }
        let faults = allFaults.filter { !acquiredFaulty.contains($0.key) }
        guard !faults.isEmpty else { return effects }
        let summary = faults.map { "group \($0.key): \($0.fault)" }.joined(separator: "; ")
        guard situation.peerAlive else {
            for fault in faults {
                once(fault.key, "link watch: group \(fault.key): \(fault.fault), but no peer is alive to take it: keeping it here", .error)
            }
            return effects
        }
        guard situation.mediumUp else {
            for fault in faults {
                once(fault.key, "link watch: group \(fault.key): \(fault.fault), and every heartbeat medium is down, so the peer cannot be asked to take it: keeping it here", .error)
            }
            return effects
        }
        guard !situation.peerWorseOff else {
            for fault in faults {
                once(fault.key, "link watch: group \(fault.key): \(fault.fault), but the peer reaches fewer ping nodes: keeping it here", .warning)
            }
            return effects
        }
        guard situation.stable else { return effects }
        let set = HoldSet(
            local: faults.contains { situation.local.contains($0.key) },
            foreign: faults.contains { !situation.local.contains($0.key) })
        let reason = "link watch: \(summary)"
        lastHandover = reason
        for fault in faults { reported[fault.key] = reason }
        return [.log(.warning, "\(reason): handing \(set) to the peer"), .handOver(set, reason: reason)]
    }

    static func value(_ octets: [UInt8]) -> UInt32 { octets.reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
}
