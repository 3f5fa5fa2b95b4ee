import HAKitSystem
import HAKitTestSupport
import Testing

/// ipfail's exchange between heartbeat-lite and a real heartbeat 3.0.6 running ipfail (respawned
/// from the same ha.cf line): whichever node stops reaching the ping node gives the group to the
/// other, and gets it back (auto_failback on) once it reaches it again.
///
/// The ping node is "the router as each node sees it": 203.0.113.254 on `lo` in each node's
/// namespace. Removing it on one node makes it unreachable from that node only.
@Suite(.serialized) struct MixedIpfailTests {
    typealias Side = MixedCluster.RealSide
    static let pingNode = "203.0.113.254"
    static let extra = "ping \(pingNode)\ndeadping 1\nrespawn hacluster /usr/libexec/heartbeat/ipfail"

    func addRouter(_ namespace: TestNamespace) throws {
        try namespace.ip("addr", "add", "\(Self.pingNode)/32", "dev", "lo")
    }

    /// `real` names where heartbeat 3.0.6 runs; the group's home is node1, and node1 loses the
    /// ping node, so both directions of the exchange are crossed: our count asked of their
    /// ipfail (real on node2), theirs asked of our rule (real on node1).
    @Test(arguments: Side.allCases) func theNodeThatLosesThePingNodeGivesTheGroupAway(real: Side) throws {
        try MixedCluster.with("ipf\(real)", real: real, prefix: "hkp-mx", extra: Self.extra) { cluster in
            for namespace in [cluster.ours.namespace, cluster.real.namespace] { try addRouter(namespace) }
            try cluster.startTogether()
            try cluster.requirePlaced(on: "node1", "start-up")
            let ipfailRuns = waitUntil { (try? cluster.real.inside(["pgrep", "-x", "ipfail"], timeoutMilliseconds: 10_000))?.status == 0 }
            try #require(ipfailRuns, "heartbeat 3.0.6 runs ipfail\n\(cluster.diagnostics())")
            // Our count reached the real ipfail, which compared it with its own.
            let compared = waitUntil { cluster.real.log.contains("Ping node count is balanced") }
            try #require(compared, "the real ipfail compares heartbeat-lite's count\n\(cluster.diagnostics())")

            let node1 = real == .node1 ? cluster.real.namespace : cluster.ours.namespace
            try node1.ip("addr", "del", "\(Self.pingNode)/32", "dev", "lo")
            try cluster.requirePlaced(on: "node2", "after node1 lost the ping node")
            let status = try cluster.ours.status()
            #expect(status.pingNodes?.map(\.status) == [real == .node1 ? "ping" : "dead"])
            // The real ipfail sends its count only when it asks: when its own ping node changed.
            if real == .node1 {
                #expect(status.ipfail?.peerCount == 0)
                #expect(cluster.real.log.contains("Giving up because we were told that we have less ping nodes."), "\(cluster.real.diagnostics)")
            } else {
                #expect(cluster.ours.log.contains("ipfail: node2 says it reaches more ping nodes"), "\(cluster.ours.log.suffix(4000))")
                #expect(cluster.real.log.contains("Telling other node that we have more visible ping nodes."), "\(cluster.real.diagnostics)")
            }

            try node1.ip("addr", "add", "\(Self.pingNode)/32", "dev", "lo")
            try cluster.requirePlaced(on: "node1", "after node1 reached the ping node again")
        }
    }

    private func waitUntil(timeoutMilliseconds: Int = 15_000, _ condition: () -> Bool) -> Bool {
        let end = MonotonicClock.milliseconds() + Int64(timeoutMilliseconds)
        while MonotonicClock.milliseconds() < end {
            if condition() { return true }
            MonotonicClock.sleep(milliseconds: 50)
        }
        return false
    }
}
