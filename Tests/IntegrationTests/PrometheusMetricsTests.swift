#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HAKitSystem
import HAKitTestSupport
import Testing

/// `heartbeat-lite status --prometheus` (issue 16) on a real two-node cluster: what Prometheus'
/// own checker (`promtool check metrics`, Debian's prometheus package) accepts without a lint
/// problem, and values that follow the cluster: nodes, links, group owners, failovers, packets.
@Suite struct PrometheusMetricsTests {
    /// Runs promtool on `text`; its complaints, or nil when it has none.
    static func promtoolProblems(_ text: String, in directory: String) throws -> String? {
        let file = "\(directory)/metrics.prom"
        try FileSystem.writeAtomically(file, contents: text)
        // make test unpacks promtool into .build (HAKIT_PROMTOOL); else the one on PATH.
        let promtool = ProcessInfo.processInfo.environment["HAKIT_PROMTOOL"] ?? "promtool"
        let result = try TestSupport.run(["sh", "-c", "exec \"$1\" check metrics < \"$0\"", file, promtool])
        return result.status == 0 && result.output.isEmpty && result.errorOutput.isEmpty
            ? nil : "exit \(result.status): \(result.output)\(result.errorOutput)"
    }

    /// The value of the sample `name{labels}` exactly as written, or nil.
    static func value(_ text: String, _ sample: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix(sample + " ") }.map { String($0.dropFirst(sample.count + 1)) }
    }

    @Test func metricsFollowTheClusterAndPassPromtool() throws {
        let group = "203.0.113.10/24/hb0"
        try HeartbeatCluster.with("pm", prefix: "hko") { cluster in
            try cluster.start()
            // Placed, and node2 past "up" as node1 sees it: node2 reports active a moment after
            // node1 has taken its group.
            guard cluster.waitUntil({
                try cluster.placed(group, address: "203.0.113.10", on: "node1")
                    && cluster.node1.status().peer("node2")?.status == "active"
            }) != nil else {
                throw TestFailure("start-up\n\(cluster.diagnostics())")
            }
            let both = try cluster.node1.control("status", "--prometheus")
            #expect(both.status == 0, "\(both.errorOutput)")
            #expect(try Self.promtoolProblems(both.output, in: cluster.node1.directory) == nil)
            let expected = [
                #"ha_cluster_heartbeat_nodes{node="node1",type="member",local="true",status="active"}"#: "1",
                #"ha_cluster_heartbeat_nodes{node="node2",type="member",local="false",status="active"}"#: "1",
                #"ha_cluster_heartbeat_nodes{node="node2",type="member",local="false",status="dead"}"#: "0",
                #"ha_cluster_heartbeat_links{node="node2",link="hb0",kind="udp"}"#: "1",
                "ha_cluster_heartbeat_link_errors": "0",
                #"ha_cluster_heartbeat_groups{group="203.0.113.10/24/hb0",home="node1",owner="node1"}"#: "1",
                #"ha_cluster_heartbeat_group_failed{group="203.0.113.10/24/hb0"}"#: "0",
                #"ha_cluster_heartbeat_held_resources{node="node1",held="local"}"#: "1",
                #"ha_cluster_heartbeat_held_resources{node="node1",held="all"}"#: "0",
                "ha_cluster_heartbeat_in_transition": "0",
                "ha_cluster_heartbeat_failovers_total": "0",
            ]
            for (sample, value) in expected {
                #expect(Self.value(both.output, sample) == value, "\(sample) in\n\(both.output)")
            }
            #expect(Int(Self.value(both.output, #"ha_cluster_heartbeat_packets_total{fate="received"}"#) ?? "") ?? 0 > 0)

            // node1 crashes: node2 declares it dead and takes the group over (one failover).
            cluster.node1.killHard()
            try cluster.node1.namespace.ip("addr", "flush", "dev", "hb0", "scope", "global", "label", "hb0")
            guard cluster.waitUntil({
                let status = try cluster.node2.status()
                return status.settled && status.owner(of: group) == "node2" && status.peer("node1")?.status == "dead"
            }) != nil else { throw TestFailure("takeover\n\(cluster.diagnostics())") }
            let after = try cluster.node2.control("status", "--prometheus")
            #expect(after.status == 0, "\(after.errorOutput)")
            #expect(try Self.promtoolProblems(after.output, in: cluster.node2.directory) == nil)
            let taken = [
                #"ha_cluster_heartbeat_nodes{node="node1",type="member",local="false",status="dead"}"#: "1",
                #"ha_cluster_heartbeat_nodes{node="node1",type="member",local="false",status="active"}"#: "0",
                #"ha_cluster_heartbeat_links{node="node1",link="hb0",kind="udp"}"#: "0",
                "ha_cluster_heartbeat_link_errors": "1",
                #"ha_cluster_heartbeat_groups{group="203.0.113.10/24/hb0",home="node1",owner="node2"}"#: "1",
                #"ha_cluster_heartbeat_held_resources{node="node2",held="all"}"#: "1",
                "ha_cluster_heartbeat_failovers_total": "1",
            ]
            for (sample, value) in taken {
                #expect(Self.value(after.output, sample) == value, "\(sample) in\n\(after.output)")
            }
            #expect(Int(Self.value(after.output, "ha_cluster_heartbeat_transitions_total") ?? "") ?? 0 >= 2)

            // Both formats at once is a usage error; no daemon: exit 3, as `status`.
            #expect(try cluster.node2.control("status", "--prometheus", "--json").status == 64)
            cluster.node2.killHard()
            #expect(try cluster.node2.control("status", "--prometheus").status == 3)
        }
    }
}
