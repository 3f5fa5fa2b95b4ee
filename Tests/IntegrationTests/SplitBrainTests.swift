#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import HAKitTestSupport
import Testing

/// Both heartbeat links cut while the service network stays up, as a split brain really happens
/// without STONITH: each node takes the other's group, so each address is on both nodes at once.
/// On heal each group must be on its home node only within two keepalives, and both nodes must say
/// the split brain healed; a cut shorter than the dead time must move nothing.
@Suite(.serialized) struct SplitBrainTests {
    static let haresources = "node1 203.0.113.10/24/svc0\nnode2 203.0.113.20/24/svc0\n"
    static let groups = [("203.0.113.10/24/svc0", "203.0.113.10", "node1"), ("203.0.113.20/24/svc0", "203.0.113.20", "node2")]
    static let keepaliveMs = 100

    /// Milliseconds since local midnight now, as the daemon's log stamps them.
    static func wallMilliseconds() -> Int64 {
        var now = timeval()
        gettimeofday(&now, nil)
        var seconds = now.tv_sec
        var parts = tm()
        localtime_r(&seconds, &parts)
        return (Int64(parts.tm_hour) * 3600 + Int64(parts.tm_min) * 60 + Int64(parts.tm_sec)) * 1000 + Int64(now.tv_usec / 1000)
    }

    /// The log stamp (`YYYY/MM/DD_HH:MM:SS.mmm`) of the first line containing `text` after
    /// `offset`, in ms since local midnight.
    static func stamp(of text: String, in log: String, after offset: Int) -> Int64? {
        for line in log.dropFirst(offset).split(separator: "\n") where line.contains(text) {
            guard let underscore = line.firstIndex(of: "_") else { continue }
            let clock = line[line.index(after: underscore)...].prefix(12)  // HH:MM:SS.mmm
            let numbers = clock.split(whereSeparator: { $0 == ":" || $0 == "." }).compactMap { Int64($0) }
            guard numbers.count == 4 else { continue }
            return ((numbers[0] * 60 + numbers[1]) * 60 + numbers[2]) * 1000 + numbers[3]
        }
        return nil
    }

    func requireHome(_ cluster: HeartbeatCluster, _ step: String, timeoutMilliseconds: Int = 20_000) throws {
        let placed = cluster.waitUntil(timeoutMilliseconds: timeoutMilliseconds) {
            try Self.groups.allSatisfy { try cluster.placed($0.0, address: $0.1, on: $0.2) }
        }
        try #require(placed != nil, "\(step): each group expected on its home node only\n\(cluster.diagnostics())")
    }

    @Test(arguments: ["on", "off"]) func splitBrainHealsToTheHomeNodes(autoFailback: String) throws {
        try HeartbeatCluster.with("sb\(autoFailback)", autoFailback: autoFailback, haresources: Self.haresources, serviceLink: true) { cluster in
            try cluster.start()
            try requireHome(cluster, "start-up")

            // A cut shorter than the dead time (1 s) moves nothing.
            var offsets = cluster.nodes.map(\.log.count)
            try cluster.node1.namespace.ip("link", "set", "dev", "hb0", "down")
            MonotonicClock.sleep(milliseconds: 400)
            try cluster.node1.namespace.ip("link", "set", "dev", "hb0", "up")
            MonotonicClock.sleep(milliseconds: 2000)
            for (node, offset) in zip(cluster.nodes, offsets) {
                let log = String(node.log.dropFirst(offset))
                for line in ["is dead", "mach_down", "split brain", "acquiring"] {
                    #expect(!log.contains(line), "\(node.name) after a 400 ms cut: \(line)\n\(log)")
                }
            }
            try requireHome(cluster, "after a cut shorter than deadtime", timeoutMilliseconds: 0)

            // The link cut silently (a failed switch) for longer than the dead time: both take over,
            // each address on both.
            offsets = cluster.nodes.map(\.log.count)
            try cluster.partition()
            let doubled = cluster.waitUntil(timeoutMilliseconds: 10_000) {
                try Self.groups.allSatisfy { try cluster.holders(of: $0.1) == ["node1", "node2"] }
            }
            try #require(doubled != nil, "both nodes should hold both addresses\n\(cluster.diagnostics())")
            let healedAt = Self.wallMilliseconds()
            try cluster.partition(lost: false)
            try requireHome(cluster, "after the heal")
            for (node, offset) in zip(cluster.nodes, offsets) {
                let log = node.log
                #expect(Self.stamp(of: "split brain: ", in: log, after: offset) != nil, "\(node.name) logs the split brain\n\(log.suffix(3000))")
                let healed = try #require(Self.stamp(of: "split brain healed: ", in: log, after: offset), "\(node.name) logs the heal\n\(log.suffix(3000))")
                var elapsed = healed - healedAt
                if elapsed < -43_200_000 { elapsed += 86_400_000 }  // across midnight
                print("split brain (auto_failback \(autoFailback)): \(node.name) healed \(elapsed) ms after the links came back")
                #expect(elapsed <= 2 * Int64(Self.keepaliveMs), "\(node.name): healed \(elapsed) ms after the heal, more than two keepalives")
            }
            #expect(try cluster.node1.status().generation == 1 && cluster.node2.status().generation == 1, "nobody restarted")
        }
    }
}
