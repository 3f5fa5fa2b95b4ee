import Runner

/// `heartbeat-lite status --json` read back by a client (cl_status, `status --prometheus`): the
/// daemon's answer is outside input, so every field is checked and a missing one is an error
/// naming it, never a trap.
public struct StatusReport: Sendable, Equatable {
    public struct Link: Sendable, Equatable {
        public var medium: String
        public var kind: String
        public var up: Bool
        public var heardMsAgo: Int64?
    }
    public struct Node: Sendable, Equatable {
        public var name: String
        public var status: String
        public var generation: Int64
        public var heardMsAgo: Int64?
        public var links: [Link]
    }
    public struct Group: Sendable, Equatable {
        public var key: String
        public var home: String
        public var owner: String
        public var resources: [String]
        public var failure: String?
    }

    /// The local node.
    public var node: String
    public var status: String
    public var generation: Int64
    /// The negotiation phase: waiting, starting, stable, shuttingDown, stopped.
    public var phase: String
    public var inTransition: Bool
    /// The sets the node holds as heartbeat counts them (none, local, foreign, all); nil from a
    /// daemon that does not say.
    public var holds: String?
    public var autoFailback: String
    /// The peers (every node but the local one).
    public var nodes: [Node]
    /// ha.cf's node names in the order written (older daemons: the local node, then the peers).
    public var configuredNodes: [String]
    public var groups: [Group]
    /// The recent transitions, newest first.
    public var transitions: [(msAgo: Int64, text: String)]
    /// The packet counters, in the daemon's order.
    public var packets: [(String, Int64)]
    /// Transitions and failovers (mach_down takeovers) since the daemon started; nil from a
    /// daemon that does not count them.
    public var transitionsTotal: Int64?
    public var failoversTotal: Int64?

    public static func == (lhs: StatusReport, rhs: StatusReport) -> Bool {
        lhs.node == rhs.node && lhs.status == rhs.status && lhs.generation == rhs.generation && lhs.phase == rhs.phase
            && lhs.inTransition == rhs.inTransition && lhs.holds == rhs.holds && lhs.autoFailback == rhs.autoFailback && lhs.nodes == rhs.nodes && lhs.configuredNodes == rhs.configuredNodes
            && lhs.groups == rhs.groups && lhs.transitions.map(\.msAgo) == rhs.transitions.map(\.msAgo)
            && lhs.transitions.map(\.text) == rhs.transitions.map(\.text) && lhs.packets.map(\.0) == rhs.packets.map(\.0)
            && lhs.packets.map(\.1) == rhs.packets.map(\.1) && lhs.transitionsTotal == rhs.transitionsTotal
            && lhs.failoversTotal == rhs.failoversTotal
    }

    public struct DecodingError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Decodes the daemon's JSON status.
    public init(json text: String) throws(DecodingError) {
        let document: JSONValue
        do { document = try JSONReader.parse(text) } catch { throw DecodingError(description: "status: \(error)") }
        func field<T>(_ value: JSONValue?, _ name: String, _ read: (JSONValue) -> T?) throws(DecodingError) -> T {
            guard let value, let result = read(value) else { throw DecodingError(description: "status: field \(name) missing or of the wrong type") }
            return result
        }
        func optionalInt(_ value: JSONValue?) -> Int64? { value?.int }
        node = try field(document["node"], "node") { $0.string }
        status = try field(document["status"], "status") { $0.string }
        generation = try field(document["generation"], "generation") { $0.int }
        phase = try field(document["resources"], "resources") { $0.string }
        inTransition = try field(document["in_transition"], "in_transition") { $0.bool }
        holds = document["holds"]?.string
        autoFailback = try field(document["auto_failback"], "auto_failback") { $0.string }
        var nodes: [Node] = []
        for entry in try field(document["nodes"], "nodes", { $0.array }) {
            var links: [Link] = []
            for link in try field(entry["links"], "nodes[].links", { $0.array }) {
                links.append(Link(
                    medium: try field(link["medium"], "links[].medium") { $0.string },
                    kind: link["kind"]?.string ?? "udp",
                    up: try field(link["up"], "links[].up") { $0.bool },
                    heardMsAgo: optionalInt(link["last_heard_ms_ago"])))
            }
            nodes.append(Node(
                name: try field(entry["name"], "nodes[].name") { $0.string },
                status: try field(entry["status"], "nodes[].status") { $0.string },
                generation: try field(entry["generation"], "nodes[].generation") { $0.int },
                heardMsAgo: optionalInt(entry["last_heard_ms_ago"]), links: links))
        }
        self.nodes = nodes
        configuredNodes = document["ha_cf_nodes"]?.array?.compactMap(\.string) ?? [node] + nodes.map(\.name)
        var groups: [Group] = []
        for entry in try field(document["groups"], "groups", { $0.array }) {
            groups.append(Group(
                key: try field(entry["key"], "groups[].key") { $0.string },
                home: try field(entry["home"], "groups[].home") { $0.string },
                owner: try field(entry["owner"], "groups[].owner") { $0.string },
                resources: (entry["resources"]?.array ?? []).compactMap(\.string),
                failure: entry["failure"]?.string))
        }
        self.groups = groups
        transitions = (document["transitions"]?.array ?? []).compactMap { entry in
            guard let ago = entry["ms_ago"]?.int, let text = entry["text"]?.string else { return nil }
            return (ago, text)
        }
        transitionsTotal = document["transitions_total"]?.int
        failoversTotal = document["failovers_total"]?.int
        packets = (document["packets"]?.members ?? []).compactMap { name, value in value.int.map { (name, $0) } }
    }

    /// Whether the peer named `name` is alive (heard, not declared dead).
    func isAlive(_ name: String) -> Bool {
        nodes.first { $0.name == name }.map { $0.status != "dead" } ?? false
    }

    /// What this node holds, in heartbeat's words (`cl_status rscstatus`): `transition` while
    /// anything is under way, else `none`, `local`, `foreign` or `all`. heartbeat keeps a bit per
    /// side that is set once it has taken that side's groups, even when the side has none, and
    /// cleared when it gives that side away: the daemon's `holds`. From a daemon that does not say,
    /// a side with no groups counts as taken when heartbeat would usually have taken it: this
    /// node's own once the start-up is done, the peer's once the peer is dead.
    public var heldResources: String {
        guard phase == "stable", !inTransition else { return "transition" }
        if let holds { return holds }
        let own = groups.filter { $0.home == node }
        let foreign = groups.filter { $0.home != node }
        let peerDead = nodes.allSatisfy { $0.status == "dead" }
        let local = own.isEmpty ? true : own.contains { $0.owner == node }
        let other = foreign.isEmpty ? peerDead : foreign.contains { $0.owner == node }
        switch (local, other) {
        case (true, true): return "all"
        case (true, false): return "local"
        case (false, true): return "foreign"
        case (false, false): return "none"
        }
    }
}
