/// `heartbeat-lite status --prometheus`: the status in Prometheus' text exposition format (0.0.4),
/// named in the style of ClusterLabs' ha_cluster_exporter: prefix `ha_cluster`, subsystem
/// `heartbeat`, snake_case, one line per possible state with 1 or 0 where the exporter does so
/// (`ha_cluster_pacemaker_nodes`), `_total` counters. For node_exporter's textfile collector
/// or any scraper that runs a command.
public enum PrometheusExposition {
    /// The node statuses heartbeat knows; one line each per node.
    static let nodeStatuses = ["init", "up", "active", "dead"]
    /// The values of `cl_status rscstatus`; one line each.
    static let heldValues = ["none", "local", "foreign", "all", "transition"]

    /// A label value escaped as the format asks (backslash, double quote, newline).
    static func escape(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// HELP text escaped (backslash and newline only).
    static func escapeHelp(_ text: String) -> String {
        text.replacingAll("\\", with: "\\\\").replacingAll("\n", with: "\\n")
    }

    struct Family {
        let name: String
        let type: String
        let help: String
        var samples: [(labels: [(String, String)], value: String)] = []

        mutating func add(_ labels: [(String, String)], _ value: String) { samples.append((labels, value)) }
        mutating func add(_ labels: [(String, String)], _ value: Bool) { add(labels, value ? "1" : "0") }

        var text: String {
            var out = "# HELP \(name) \(PrometheusExposition.escapeHelp(help))\n# TYPE \(name) \(type)\n"
            for sample in samples {
                let labels = sample.labels.isEmpty
                    ? "" : "{" + sample.labels.map { "\($0.0)=\"\(PrometheusExposition.escape($0.1))\"" }.joined(separator: ",") + "}"
                out += "\(name)\(labels) \(sample.value)\n"
            }
            return out
        }
    }

    static func seconds(_ milliseconds: Int64) -> String {
        let whole = milliseconds / 1000, fraction = milliseconds % 1000
        let digits = String(fraction)
        return "\(whole).\(String(repeating: "0", count: 3 - digits.count))\(digits)"
    }

    /// The metric name of a packet counter: `missing` is a gauge of its own, the rest count packets by fate.
    public static func render(_ report: StatusReport) -> String {
        var nodes = Family(
            name: "ha_cluster_heartbeat_nodes", type: "gauge",
            help: "Whether each node is in each heartbeat status (1) or not (0), as this node sees it.")
        var generation = Family(
            name: "ha_cluster_heartbeat_node_generation", type: "gauge",
            help: "Each node's heartbeat generation (incremented at every start of its daemon).")
        var lastHeard = Family(
            name: "ha_cluster_heartbeat_node_last_heard_seconds", type: "gauge",
            help: "Seconds since the last heartbeat of each peer; absent when never heard.")
        var links = Family(
            name: "ha_cluster_heartbeat_links", type: "gauge",
            help: "The status of each heartbeat link of each peer: 1 up, 0 dead.")
        var linkHeard = Family(
            name: "ha_cluster_heartbeat_link_last_heard_seconds", type: "gauge",
            help: "Seconds since a heartbeat of the peer came over each link; absent when never.")
        var linkErrors = Family(
            name: "ha_cluster_heartbeat_link_errors", type: "gauge", help: "The number of dead heartbeat links.")
        let status = [(report.node, report.status, report.generation, true)]
            + report.nodes.map { ($0.name, $0.status, $0.generation, false) }
        for (name, state, number, local) in status {
            for candidate in nodeStatuses + (nodeStatuses.contains(state) ? [] : [state]) {
                nodes.add([("node", name), ("type", "member"), ("local", local ? "true" : "false"), ("status", candidate)], candidate == state)
            }
            generation.add([("node", name)], String(number))
        }
        var dead = 0
        for peer in report.nodes {
            if let ago = peer.heardMsAgo { lastHeard.add([("node", peer.name)], seconds(ago)) }
            for link in peer.links {
                links.add([("node", peer.name), ("link", link.medium), ("kind", link.kind)], link.up)
                if let ago = link.heardMsAgo { linkHeard.add([("node", peer.name), ("link", link.medium)], seconds(ago)) }
                if !link.up { dead += 1 }
            }
        }
        linkErrors.add([], String(dead))

        var groups = Family(
            name: "ha_cluster_heartbeat_groups", type: "gauge",
            help: "Each haresources group with its home node and current owner (a node name or none); always 1.")
        var failed = Family(
            name: "ha_cluster_heartbeat_group_failed", type: "gauge",
            help: "Whether the last operation of each group failed (1) or not (0).")
        var resources = Family(
            name: "ha_cluster_heartbeat_resources", type: "gauge",
            help: "Each resource of each group with the node running it (none when stopped); always 1.")
        for group in report.groups {
            groups.add([("group", group.key), ("home", group.home), ("owner", group.owner)], "1")
            failed.add([("group", group.key)], group.failure != nil)
            for resource in group.resources {
                resources.add([("group", group.key), ("resource", resource), ("node", group.owner)], "1")
            }
        }
        var held = Family(
            name: "ha_cluster_heartbeat_held_resources", type: "gauge",
            help: "What this node holds, as cl_status rscstatus says: 1 for the current value, 0 for the others.")
        let current = report.heldResources
        for value in heldValues { held.add([("node", report.node), ("held", value)], value == current) }
        var transition = Family(
            name: "ha_cluster_heartbeat_in_transition", type: "gauge",
            help: "Whether a group operation or hand-over is under way (1) or not (0).")
        transition.add([], report.inTransition || report.phase != "stable")
        var lastTransition = Family(
            name: "ha_cluster_heartbeat_last_transition_seconds", type: "gauge",
            help: "Seconds since the newest resource transition; absent when none happened.")
        if let newest = report.transitions.map(\.msAgo).min() { lastTransition.add([], seconds(newest)) }

        var transitionsTotal = Family(
            name: "ha_cluster_heartbeat_transitions_total", type: "counter",
            help: "Resource transitions since the daemon started (hand-overs, takeovers, failbacks, group operations).")
        if let count = report.transitionsTotal { transitionsTotal.add([], String(count)) }
        var failovers = Family(
            name: "ha_cluster_heartbeat_failovers_total", type: "counter",
            help: "Takeovers of a dead peer's groups (mach_down) since the daemon started.")
        if let count = report.failoversTotal { failovers.add([], String(count)) }

        var packets = Family(
            name: "ha_cluster_heartbeat_packets_total", type: "counter",
            help: "Heartbeat packets by fate since the daemon started: sent, received, accepted, and each reason for a drop.")
        var missing = Family(
            name: "ha_cluster_heartbeat_packets_missing", type: "gauge",
            help: "Packets of the peers not received yet and being asked for again.")
        for (name, value) in report.packets {
            if name == "missing" { missing.add([], String(value)) } else { packets.add([("fate", name)], String(value)) }
        }
        var families = [
            nodes, generation, lastHeard, links, linkHeard, linkErrors, groups, failed, resources, held, transition, lastTransition, transitionsTotal, failovers, packets,
        ]
        if !missing.samples.isEmpty { families.append(missing) }
        return families.filter { !$0.samples.isEmpty }.map(\.text).joined()
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
