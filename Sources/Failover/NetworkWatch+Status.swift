import Heartbeat
import Runner

extension NetworkWatch {
    /// The lines of `status` about ping nodes, ipfail and the link watch (empty when none applies).
    func statusText(now: Int64) -> String {
        var out = ""
        for node in tracker?.nodes ?? [] {
            let declared = node.target.kind == .group ? " (ping_group \(node.target.addresses.joined(separator: " ")))" : ""
            out += "ping node \(node.target.name)\(declared): \(node.status.rawValue)"
            if let last = node.lastReply {
                out += ", last reply \(now - last) ms ago\(node.target.kind == .group ? " from \(node.lastAddress ?? "?")" : "")"
            } else {
                out += ", never answered"
            }
            out += "\n"
        }
        if let tracker {
            out += "ping nodes: \(tracker.reachable) of \(tracker.nodes.count) reachable, deadping \(tracker.deadpingMs) ms; "
            if let rule = ipfail {
                out += "ipfail on, \(rule.peer) reports \(rule.peerCount.map(String.init) ?? "nothing yet")"
                if let pending = rule.pending { out += ", giving up \(pending.set) in \(max(0, pending.due - now)) ms" }
                if let decision = rule.lastDecision { out += "; last: \(decision)" }
            } else {
                out += "ipfail off (tracked and shown only)"
            }
            out += "\n"
            out += "ping packets: sent \(counters.sent), send_errors \(counters.sendErrors), replies \(counters.replies), unexpected \(counters.unexpected), not_ours \(counters.foreign)\n"
        }
        for fault in linkWatch.faults(held: heldForStatus) {
            out += "link watch: group \(fault.key): \(fault.fault)\n"
        }
        if let down = mediaDown {
            out += "isolated: every heartbeat medium is down (\(down))"
            out += mediaSetDown == nil ? "\n" : "; a silent peer is not taken over until one is up again\n"
        }
        if let handover = lastHandover { out += "handover \(now - handover.at) ms ago: \(handover.text)\n" }
        return out
    }

    /// The members of `status --json` about them.
    func statusJSON(now: Int64) -> [(String, String)] {
        let nodes = (tracker?.nodes ?? []).map { node in
            JSONWriter.object([
                ("name", JSONWriter.string(node.target.name)), ("kind", JSONWriter.string(node.target.kind.rawValue)),
                ("addresses", JSONWriter.array(node.target.addresses.map(JSONWriter.string))),
                ("status", JSONWriter.string(node.status.rawValue)),
                ("last_reply_ms_ago", node.lastReply.map { String(now - $0) } ?? "null"),
                ("last_address", JSONWriter.optional(node.lastAddress)),
            ])
        }
        let ipfailMembers: String = ipfail.map { rule in
            JSONWriter.object([
                ("reachable", String(reachable)), ("peer_count", rule.peerCount.map(String.init) ?? "null"),
                ("pending_giveup", JSONWriter.optional(rule.pending.map(\.set.rawValue))),
                ("last_decision", JSONWriter.optional(rule.lastDecision)),
            ])
        } ?? "null"
        return [
            ("ping_nodes", JSONWriter.array(nodes)),
            ("ping_reachable", String(reachable)),
            ("ping_packets", JSONWriter.object([
                ("sent", String(counters.sent)), ("send_errors", String(counters.sendErrors)),
                ("replies", String(counters.replies)), ("unexpected", String(counters.unexpected)),
                ("not_ours", String(counters.foreign)),
            ])),
            ("ipfail", ipfailMembers),
            ("link_faults", JSONWriter.array(linkWatch.faults(held: heldForStatus).map { fault in
                JSONWriter.object([("group", JSONWriter.string(fault.key)), ("fault", JSONWriter.string(fault.fault))])
            })),
            ("last_handover", JSONWriter.optional(lastHandover?.text)),
            ("media_down", JSONWriter.optional(mediaDown)),
        ]
    }
}
