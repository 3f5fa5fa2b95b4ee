import HAKitSystem
import Heartbeat
import Runner

/// What `heartbeat-lite status` shows: nodes, links, groups and their owner, the last transitions
/// and packet counters; as text or as one JSON document.
struct DaemonStatus {
    struct Link { var medium: String; var kind: String; var up: Bool; var heardMsAgo: Int64 }
    struct Node { var name: String; var status: String; var generation: UInt64; var heardMsAgo: Int64?; var links: [Link] }
    struct Group {
        var key: String; var home: String; var owner: String; var resources: [String]; var failure: String?
        /// Why this node does not start the group again until `cleanup`, if it does not.
        var blocked: String?
        var monitors: [Monitor]
    }
    /// One resource's health: its last monitor and fail count.
    struct Monitor { var resource: String; var lastResult: String?; var lastMsAgo: Int64?; var failCount: Int; var notMonitored: String? }

    var node: String
    var status: String
    var generation: UInt64
    var phase: String
    var inTransition: Bool
    /// heartbeat's `i_hold_resources`: the sets this node holds, a set without groups counting
    /// once taken as a whole (what it says in `rsc_hold`).
    var holds: String
    var autoFailback: String
    /// The loop thread's scheduling (read when the snapshot is taken, on that thread).
    var policy: SchedulingPolicy
    var priority: Int32
    var memoryLocked: Bool
    /// ha.cf's watchdog, if any: its state and writes.
    var watchdog: String?
    var nodes: [Node]
    /// ha.cf's `node` names in the order written (cl_status lists them in heartbeat's order from it).
    var configuredNodes: [String]
    var groups: [Group]
    var transitions: [(agoMs: Int64, text: String)]
    /// Transitions since start (the list keeps the last 32) and mach_down takeovers (failovers).
    var transitionCount: Int
    var failoverCount: Int
    var counters: [(String, Int)]
    /// Ping nodes, ipfail and the link watch, as text lines and JSON members.
    var network: (text: String, json: [(String, String)])

    /// A snapshot at `nowUs` (µs on the monotonic clock, the membership's time).
    init(daemon: FailoverDaemon, nowUs: Int64) {
        let now = nowUs / 1000
        let negotiation = daemon.negotiation
        let cf = daemon.configuration.haCf
        node = cf.localNode
        status = daemon.membership.localStatus.rawValue
        generation = daemon.identity.generation
        phase = negotiation.phase.rawValue
        inTransition = negotiation.inTransition
        holds = negotiation.holds.rawValue
        autoFailback = cf.autoFailback.rawValue
        let scheduling = Scheduling.current()
        policy = scheduling.policy
        priority = scheduling.priority
        memoryLocked = daemon.memoryLocked
        watchdog = daemon.watchdog?.summary
        configuredNodes = cf.nodes
        nodes = daemon.membership.peers.sorted { $0.key < $1.key }.map { name, peer in
            let links = cf.media.reduce(into: [Medium]()) { list, next in
                if !list.contains(where: { $0.interface == next.interface }) { list.append(next) }
            }.map { link in
                let medium = link.interface
                return Link(
                    medium: medium, kind: link.kind,
                    up: peer.links[medium] != nil && !peer.deadLinks.contains(medium),
                    heardMsAgo: peer.links[medium].map { (nowUs - $0) / 1000 } ?? -1)
            }
            return Node(name: name, status: peer.status.rawValue, generation: peer.generation, heardMsAgo: peer.lastHeard.map { (nowUs - $0) / 1000 }, links: links)
        }
        groups = daemon.configuration.resources.groups.map { group in
            let owner = negotiation.held.contains(group.key) ? cf.localNode : negotiation.peerHolds(group.key) ? (negotiation.peer ?? "") : "none"
            let states = daemon.health.machine.states[group.key] ?? []
            let monitors = zip(group.resources, states).map { resource, state in
                Monitor(
                    resource: resource.token, lastResult: state.lastResult, lastMsAgo: state.lastAt.map { now - $0 },
                    failCount: state.failCount, notMonitored: state.unmonitored)
            }
            return Group(
                key: group.key, home: group.node, owner: owner, resources: group.resources.map(\.token),
                failure: negotiation.failed[group.key], blocked: negotiation.blocked[group.key], monitors: monitors)
        }
        transitions = negotiation.transitions.reversed().map { (now - $0.at, $0.text) }
        network = (daemon.watch.statusText(now: now), daemon.watch.statusJSON(now: now))
        transitionCount = negotiation.transitionCount
        failoverCount = negotiation.failoverCount
        // `missing`: packets of the peers not received yet, being asked for again (a gauge);
        // `recovered`: missing packets that came after all; `serial_*`: what the tty framing dropped.
        counters = daemon.counters.fields + [
            ("missing", daemon.membership.peers.values.reduce(0) { $0 + $1.missing.count }),
            ("recovered", daemon.membership.recoveredPackets),
            ("serial_overlong", daemon.serialFramingDrops.overlong),
            ("serial_skipped_lines", daemon.serialFramingDrops.skippedLines),
        ]
    }

    var text: String {
        var out = "node \(node): \(status) (generation \(generation)), resources \(phase)\(inTransition ? ", in transition" : ""), auto_failback \(autoFailback)\n"
        out += "scheduling \(policy)\(policy.isRealtime ? " priority \(priority)" : ""), memory \(memoryLocked ? "locked" : "not locked")\n"
        if let watchdog { out += "\(watchdog)\n" }
        for peer in nodes {
            out += "node \(peer.name): \(peer.status)"
            if let ago = peer.heardMsAgo { out += ", last heard \(ago) ms ago" } else { out += ", never heard" }
            out += "\n"
            for link in peer.links {
                out += "  link \(peer.name):\(link.medium) (\(link.kind)) \(link.up ? "up" : "dead")\(link.heardMsAgo >= 0 ? " (last heard \(link.heardMsAgo) ms ago)" : "")\n"
            }
        }
        for group in groups {
            out += "group \(group.key) (home \(group.home)): owner \(group.owner)"
            if let failure = group.failure { out += ", FAILED: \(failure)" }
            if group.blocked != nil { out += " (not started here again until `heartbeat-lite cleanup \(group.key)`)" }
            out += "\n  resources: \(group.resources.joined(separator: " "))\n"
            for monitor in group.monitors {
                out += "  monitor \(monitor.resource): "
                if let reason = monitor.notMonitored {
                    out += "not monitored (\(reason))"
                } else if let result = monitor.lastResult, let ago = monitor.lastMsAgo {
                    out += "\(result) (\(ago) ms ago)"
                } else {
                    out += "not run yet"
                }
                out += ", fail count \(monitor.failCount)\n"
            }
        }
        out += network.text
        if !transitions.isEmpty {
            out += "last transitions:\n"
            for transition in transitions.prefix(10) { out += "  \(transition.agoMs) ms ago: \(transition.text)\n" }
        }
        out += "packets: " + counters.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + "\n"
        return out
    }

    var json: String {
        JSONWriter.object([
            ("node", JSONWriter.string(node)),
            ("status", JSONWriter.string(status)),
            ("generation", String(generation)),
            ("resources", JSONWriter.string(phase)),
            ("in_transition", String(inTransition)),
            ("holds", JSONWriter.string(holds)),
            ("auto_failback", JSONWriter.string(autoFailback)),
            ("scheduling", JSONWriter.object([
                ("policy", JSONWriter.string(policy.description)), ("priority", String(priority)),
                ("memory_locked", String(memoryLocked)),
            ])),
            ("watchdog", JSONWriter.optional(watchdog)),
            ("nodes", JSONWriter.array(nodes.map { peer in
                JSONWriter.object([
                    ("name", JSONWriter.string(peer.name)),
                    ("status", JSONWriter.string(peer.status)),
                    ("generation", String(peer.generation)),
                    ("last_heard_ms_ago", peer.heardMsAgo.map(String.init) ?? "null"),
                    ("links", JSONWriter.array(peer.links.map { link in
                        JSONWriter.object([
                            ("medium", JSONWriter.string(link.medium)), ("kind", JSONWriter.string(link.kind)),
                            ("up", String(link.up)),
                            ("last_heard_ms_ago", link.heardMsAgo >= 0 ? String(link.heardMsAgo) : "null"),
                        ])
                    })),
                ])
            })),
            ("ha_cf_nodes", JSONWriter.array(configuredNodes.map(JSONWriter.string))),
            ("groups", JSONWriter.array(groups.map { group in
                JSONWriter.object([
                    ("key", JSONWriter.string(group.key)), ("home", JSONWriter.string(group.home)),
                    ("owner", JSONWriter.string(group.owner)),
                    ("resources", JSONWriter.array(group.resources.map(JSONWriter.string))),
                    ("failure", JSONWriter.optional(group.failure)),
                    ("blocked", JSONWriter.optional(group.blocked)),
                    ("monitors", JSONWriter.array(group.monitors.map { monitor in
                        JSONWriter.object([
                            ("resource", JSONWriter.string(monitor.resource)),
                            ("last_result", JSONWriter.optional(monitor.lastResult)),
                            ("last_ms_ago", monitor.lastMsAgo.map(String.init) ?? "null"),
                            ("fail_count", String(monitor.failCount)),
                            ("monitored", String(monitor.notMonitored == nil)),
                            ("not_monitored", JSONWriter.optional(monitor.notMonitored)),
                        ])
                    })),
                ])
            })),
            ("transitions", JSONWriter.array(transitions.map { transition in
                JSONWriter.object([("ms_ago", String(transition.agoMs)), ("text", JSONWriter.string(transition.text))])
            })),
            ("transitions_total", String(transitionCount)),
            ("failovers_total", String(failoverCount)),
            ("packets", JSONWriter.object(counters.map { ($0.0, String($0.1)) })),
        ] + network.json)
    }
}
