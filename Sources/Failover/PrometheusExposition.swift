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

    /// One labelled value of a metric.
    typealias Sample = (labels: [(String, String)], value: String)

    /// A metric family: its name after `ha_cluster_heartbeat_`, type and help, and how to read its
    /// samples from a report. A family without samples is left out of the exposition.
    struct Family: Sendable {
        let name: String
        let type: String
        let help: String
        let samples: @Sendable (StatusReport) -> [Sample]

        init(
            _ name: String, _ type: String, _ help: String, _ samples: @escaping @Sendable (StatusReport) -> [Sample]
        ) {
            self.name = "ha_cluster_heartbeat_" + name
            self.type = type
            self.help = help
            self.samples = samples
        }

        func text(_ samples: [Sample]) -> String {
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

    /// 1 or 0.
    static func flag(_ value: Bool) -> String { value ? "1" : "0" }

    /// Every node, the local one first: name, status, generation, whether local.
    static func members(_ report: StatusReport) -> [(name: String, status: String, generation: Int64, local: Bool)] {
        [(report.node, report.status, report.generation, true)]
            + report.nodes.map { ($0.name, $0.status, $0.generation, false) }
    }

    /// Every link of every peer, with its peer.
    static func links(_ report: StatusReport) -> [(peer: String, link: StatusReport.Link)] {
        report.nodes.flatMap { peer in peer.links.map { (peer.name, $0) } }
    }

    /// The metric families, in the order they are written.
    static let families: [Family] = [
        Family(
            "nodes", "gauge",
            "Whether each node is in each heartbeat status (1) or not (0), as this node sees it."
        ) {
            members($0).flatMap { member in
                (nodeStatuses + (nodeStatuses.contains(member.status) ? [] : [member.status])).map { candidate in
                    (
                        [
                            ("node", member.name), ("type", "member"), ("local", member.local ? "true" : "false"),
                            ("status", candidate),
                        ],
                        flag(candidate == member.status)
                    )
                }
            }
        },
        Family(
            "node_generation", "gauge",
            "Each node's heartbeat generation (incremented at every start of its daemon)."
        ) {
            members($0).map { ([("node", $0.name)], String($0.generation)) }
        },
        Family(
            "node_last_heard_seconds", "gauge",
            "Seconds since the last heartbeat of each peer; absent when never heard."
        ) {
            $0.nodes.compactMap { peer in peer.heardMsAgo.map { ([("node", peer.name)], seconds($0)) } }
        },
        Family("links", "gauge", "The status of each heartbeat link of each peer: 1 up, 0 dead.") {
            links($0).map { ([("node", $0.peer), ("link", $0.link.medium), ("kind", $0.link.kind)], flag($0.link.up)) }
        },
        Family(
            "link_last_heard_seconds", "gauge",
            "Seconds since a heartbeat of the peer came over each link; absent when never."
        ) {
            links($0).compactMap { peer, link in
                link.heardMsAgo.map { ([("node", peer), ("link", link.medium)], seconds($0)) }
            }
        },
        Family("link_errors", "gauge", "The number of dead heartbeat links.") {
            [([], String(links($0).filter { !$0.link.up }.count))]
        },
        Family(
            "groups", "gauge",
            "Each haresources group with its home node and current owner (a node name or none); always 1."
        ) {
            $0.groups.map { ([("group", $0.key), ("home", $0.home), ("owner", $0.owner)], "1") }
        },
        Family("group_failed", "gauge", "Whether the last operation of each group failed (1) or not (0).") {
            $0.groups.map { ([("group", $0.key)], flag($0.failure != nil)) }
        },
        Family(
            "resources", "gauge",
            "Each resource of each group with the node running it (none when stopped); always 1."
        ) {
            $0.groups.flatMap { group in
                group.resources.map { ([("group", group.key), ("resource", $0), ("node", group.owner)], "1") }
            }
        },
        Family(
            "held_resources", "gauge",
            "What this node holds, as cl_status rscstatus says: 1 for the current value, 0 for the others."
        ) { report in
            let current = report.heldResources
            return heldValues.map { ([("node", report.node), ("held", $0)], flag($0 == current)) }
        },
        Family("in_transition", "gauge", "Whether a group operation or hand-over is under way (1) or not (0).") {
            [([], flag($0.inTransition || $0.phase != "stable"))]
        },
        Family(
            "last_transition_seconds", "gauge",
            "Seconds since the newest resource transition; absent when none happened."
        ) {
            $0.transitions.map(\.msAgo).min().map { [([], seconds($0))] } ?? []
        },
        Family(
            "transitions_total", "counter",
            "Resource transitions since the daemon started (hand-overs, takeovers, failbacks, group operations)."
        ) {
            $0.transitionsTotal.map { [([], String($0))] } ?? []
        },
        Family(
            "failovers_total", "counter",
            "Takeovers of a dead peer's groups (mach_down) since the daemon started."
        ) {
            $0.failoversTotal.map { [([], String($0))] } ?? []
        },
        Family(
            "packets_total", "counter",
            "Heartbeat packets by fate since the daemon started: sent, received, accepted, and each reason for a drop."
        ) {
            $0.packets.filter { $0.0 != "missing" }.map { ([("fate", $0.0)], String($0.1)) }
        },
        // `missing` is a gauge of its own; the other packet counters count packets by fate.
        Family("packets_missing", "gauge", "Packets of the peers not received yet and being asked for again.") {
            $0.packets.filter { $0.0 == "missing" }.map { ([], String($0.1)) }
        },
    ]

    /// The report in the exposition format: every family that has samples, in table order.
    public static func render(_ report: StatusReport) -> String {
        families.map { family in
            let samples = family.samples(report)
            return samples.isEmpty ? "" : family.text(samples)
        }.joined()
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
