#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import HAKitTestSupport
import Testing

/// heartbeat-lite next to a real heartbeat 3.0.6 node (issue 15): each scenario runs with the real
/// node as node1 (the group's home) and as node2. At every stable point the address is on exactly
/// one node and both daemons say the same.
@Suite(.serialized) struct MixedClusterTests {
    @Test(arguments: MixedCluster.RealSide.allCases) func startTogether(real: MixedCluster.RealSide) throws {
        try MixedCluster.with("tg\(real)", real: real) { cluster in
            try cluster.ours.launch()
            try cluster.real.start()
            try cluster.ours.waitUntilAnswering()
            try cluster.requirePlaced(on: cluster.home, "started together")
        }
    }
}
