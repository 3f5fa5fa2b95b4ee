import Heartbeat
import Testing

/// A node whose heartbeat media are all set down is cut off: the peer's silence is no sign of its
/// death, so the takeover waits until a medium is up again and the peer stays silent.
@Suite("isolation holds a takeover back")
struct IsolationTests {
    static let media = ["eth0", "hb0"]

    /// node1 and node2 each run their own group; then every link between them goes, and node1's
    /// media are administratively down (node2's are not: it only lost its peer).
    static func cutOffNode1() -> TwoNodes {
        var pair = TwoNodes()
        pair.startTogether()
        pair.linked = false
        pair.inbox.removeAll()
        pair.step("node1") { $0.mediaChanged(isolatedBy: media, now: $1, silenceMs: 500) }
        pair.operations = []
        pair.step("node1") { $0.peerDied(now: $1, reason: "no heartbeat for its dead time") }
        pair.step("node2") { $0.peerDied(now: $1, reason: "no heartbeat for its dead time") }
        pair.settle()
        return pair
    }

    @Test func theCutOffNodeTakesNothingWhileThePeerTakesOver() throws {
        let pair = Self.cutOffNode1()
        #expect(!pair.operations.contains { $0.hasPrefix("node1 +") }, "\(pair.operations)")
        #expect(pair.held("node1") == [TwoNodes.home1])
        #expect(pair.held("node2") == [TwoNodes.home1, TwoNodes.home2])
        let line = try #require(pair.logs["node1"]?.first { $0.contains("not taking over") })
        #expect(line.contains("administratively down (eth0, hb0)") && line.contains("cut off"), "\(line)")
        #expect(pair.nodes["node1"]?.deferredTakeover?.dueAt == nil)
    }

    @Test func aPeerHeardAfterTheMediaCameBackIsNotTakenOver() {
        var pair = Self.cutOffNode1()
        pair.step("node1") { $0.mediaChanged(isolatedBy: nil, now: $1, silenceMs: 500) }
        #expect(pair.nodes["node1"]?.deferredTakeover?.dueAt == pair.now + 500)
        pair.linked = true
        pair.step("node1") { $0.peerReturnedAfterPartition(now: $1) }
        pair.step("node2") { $0.peerReturnedAfterPartition(now: $1) }
        pair.settle(allowingDoubleOwnership: true)  // node1's group, until the partition is resolved
        #expect(pair.nodes["node1"]?.deferredTakeover == nil)
        pair.now += 1000
        pair.step("node1") { $0.tick(now: $1) }
        pair.settle()
        #expect(!pair.operations.contains("node1 +\(TwoNodes.home2)"), "\(pair.operations)")
        // The split brain of node1's own group resolves to its home node; node2 keeps its own.
        #expect(pair.held("node1") == [TwoNodes.home1])
        #expect(pair.held("node2") == [TwoNodes.home2])
    }

    @Test func aPeerStillSilentAfterTheMediaCameBackIsTakenOverAfterItsDeadTime() {
        var pair = Self.cutOffNode1()
        pair.nodes["node2"] = nil  // node2 really died meanwhile
        pair.running["node2"] = nil
        pair.step("node1") { $0.mediaChanged(isolatedBy: nil, now: $1, silenceMs: 500) }
        pair.now += 499
        pair.step("node1") { $0.tick(now: $1) }
        #expect(pair.running["node1"] == nil, "not before the dead time")
        pair.now += 1
        pair.step("node1") { $0.tick(now: $1) }
        pair.settle()
        #expect(pair.operations.contains("node1 +\(TwoNodes.home2)"), "\(pair.operations)")
        #expect(pair.held("node1") == [TwoNodes.home1, TwoNodes.home2])
        #expect(pair.logs["node1"]?.contains { $0.contains("still silent after this node's media came back") } == true)
    }

    @Test func mediaDownAgainBeforeTheDeadTimeStopTheClock() {
        var pair = Self.cutOffNode1()
        pair.step("node1") { $0.mediaChanged(isolatedBy: nil, now: $1, silenceMs: 500) }
        pair.step("node1") { $0.mediaChanged(isolatedBy: Self.media, now: $1, silenceMs: 500) }
        pair.now += 10_000
        pair.step("node1") { $0.tick(now: $1) }
        pair.settle()
        #expect(!pair.operations.contains { $0.hasPrefix("node1 +") }, "\(pair.operations)")
        #expect(pair.nodes["node1"]?.deferredTakeover != nil)
    }

    @Test func aNodeWithAMediumUpTakesOverAtOnce() {
        var pair = TwoNodes()
        pair.startTogether()
        pair.linked = false
        pair.step("node1") { $0.mediaChanged(isolatedBy: nil, now: $1, silenceMs: 500) }
        pair.step("node1") { $0.peerDied(now: $1, reason: "no heartbeat for its dead time") }
        #expect(pair.running["node1"]?.groups == [TwoNodes.home2])
    }
}

@Suite("link watch: every medium down")
struct MediaDownTests {
    @Test func allDownNamesEachFaultAndCountsACarrierLossOnlyWhenAsked() {
        var watch = LinkWatch(groups: [])
        watch.link(index: 2, name: "eth0", adminUp: false, carrier: false)
        watch.link(index: 3, name: "hb0", adminUp: true, carrier: false)
        #expect(watch.allDown(["eth0", "hb0"]) == "eth0 administratively down, hb0 no carrier")
        #expect(watch.allDown(["eth0", "hb0"], administratively: true) == nil, "hb0 only lost its carrier")
        #expect(watch.allDown(["eth0"], administratively: true) == "eth0 administratively down")
        #expect(watch.allDown(["eth0", "/dev/ttyS0"]) == nil, "a tty is not known to be down")
        #expect(watch.allDown([]) == nil)
        watch.link(index: 3, name: "hb0", adminUp: true, carrier: true)
        #expect(watch.allDown(["eth0", "hb0"]) == nil)
    }
}
