import Heartbeat
import Testing

@Suite struct MembershipTests {
    static let timing = Membership.Timing(keepaliveMs: 100, deadtimeMs: 500, warntimeMs: 300, initdeadMs: 1000)
    static let ucast = "ucast eth1 192.0.2.2"
    static let bcast = "bcast eth2"

    /// Membership counts time in microseconds.
    func ms(_ milliseconds: Int64) -> Int64 { milliseconds * 1000 }

    func membership() -> Membership {
        Membership(localNode: "node1", nodes: ["node1", "node2"], timing: Self.timing, now: 0)
    }

    func beat(_ sequence: UInt64, generation: UInt64 = 7, medium: String = ucast, status: NodeStatus = .active, node: String = "node2")
        -> HeartbeatArrival
    {
        HeartbeatArrival(node: node, medium: medium, status: status, generation: generation, sequence: sequence, deadtimeMs: 500)
    }

    func events(_ result: Result<[MembershipEvent], Rejection>) -> [MembershipEvent] {
        (try? result.get()) ?? []
    }

    /// Confirms node2's track: the packet before `sequence` is held as a candidate, `sequence`
    /// confirms it. Returns the confirming packet's events.
    @discardableResult
    func establish(_ membership: inout Membership, _ sequence: UInt64, generation: UInt64 = 7, now: Int64) -> [MembershipEvent] {
        #expect(membership.receive(beat(sequence - 1, generation: generation), now: now) == .failure(.unconfirmed))
        return events(membership.receive(beat(sequence, generation: generation), now: now))
    }

    @Test func firstHeartbeatBringsLinkNodeAndCommunicationUp() {
        var membership = membership()
        #expect(!membership.communicationIsUp)
        #expect(membership.receive(beat(1, status: .initial), now: ms(40)) == .failure(.unconfirmed), "one packet proves nothing")
        #expect(membership.peers["node2"]?.lastHeard == nil)
        #expect(membership.peers["node2"]?.links.isEmpty == true, "an unconfirmed packet brings no link up")
        let seen = events(membership.receive(beat(2, status: .initial), now: ms(50)))
        #expect(seen == [.linkUp(node: "node2", medium: Self.ucast), .nodeStatus(node: "node2", status: .up), .communicationUp])
        #expect(membership.communicationIsUp)
        #expect(events(membership.receive(beat(3), now: ms(150))) == [.nodeStatus(node: "node2", status: .active)])
    }

    @Test func silentPeerIsDeadAfterInitdeadAtStartUp() {
        var membership = membership()
        #expect(membership.tick(now: ms(999)).isEmpty, "initdead, not deadtime, applies before communication is up")
        #expect(membership.tick(now: ms(1000) + 1) == [.nodeStatus(node: "node2", status: .dead), .communicationUp])
        #expect(membership.tick(now: ms(5000)).isEmpty, "declared once")
    }

    @Test func deadtimeDeclaresLinkAndNodeDeadOnce() {
        var membership = membership()
        establish(&membership, 1, now: 0)
        #expect(membership.tick(now: ms(500)).isEmpty)
        #expect(membership.tick(now: ms(500) + 1) == [.linkDead(node: "node2", medium: Self.ucast), .nodeStatus(node: "node2", status: .dead)])
        #expect(membership.tick(now: ms(2000)).isEmpty)
    }

    @Test func oneDeadMediumOfTwoLeavesTheNodeUp() {
        var membership = membership()
        establish(&membership, 1, now: 0)
        _ = membership.receive(beat(1, medium: Self.bcast), now: ms(1))
        #expect(membership.tick(now: ms(2)) == [.linkUp(node: "node2", medium: Self.bcast)], "a copy brings its link up")
        _ = membership.receive(beat(2, medium: Self.bcast), now: ms(400))
        #expect(membership.tick(now: ms(500) + 1) == [.linkDead(node: "node2", medium: Self.ucast)])
        #expect(membership.peers["node2"]?.status == .active)
        #expect(events(membership.receive(beat(3), now: ms(600))).contains(.linkUp(node: "node2", medium: Self.ucast)))
    }

    /// Every heartbeat goes out on both media with one sequence number; the copy that arrives
    /// second is dropped, yet its medium is alive. A medium that always loses the race must not
    /// be declared dead (heartbeat-lite did so with keepalive 10ms: "Link node1:hb0 dead").
    @Test func mediumWhoseCopiesAlwaysArriveSecondStaysUp() {
        var membership = membership()
        establish(&membership, 1, now: 0)
        #expect(membership.receive(beat(1, medium: Self.bcast), now: 0) == .failure(.duplicate))
        #expect(membership.tick(now: 0) == [.linkUp(node: "node2", medium: Self.bcast)])
        for sequence in UInt64(2)...UInt64(20) {
            let now = ms(Int64(sequence) * 100)
            _ = membership.receive(beat(sequence), now: now)
            #expect(membership.receive(beat(sequence, medium: Self.bcast), now: now) == .failure(.duplicate))
            #expect(membership.tick(now: now).isEmpty, "at \(now) µs")
        }
        #expect(membership.peers["node2"]?.deadLinks.isEmpty == true)
        // A dead medium comes back through copies alone, and says so once.
        #expect(membership.tick(now: ms(2500) + 1) == [.linkDead(node: "node2", medium: Self.bcast), .linkDead(node: "node2", medium: Self.ucast), .nodeStatus(node: "node2", status: .dead)])
        _ = membership.receive(beat(21), now: ms(2600))
        _ = membership.receive(beat(21, medium: Self.bcast), now: ms(2600))
        #expect(membership.tick(now: ms(2601)) == [.linkUp(node: "node2", medium: Self.bcast)])
        #expect(membership.tick(now: ms(2602)).isEmpty)
    }

    @Test func lateHeartbeatIsReported() {
        var membership = membership()
        establish(&membership, 1, now: 0)
        #expect(events(membership.receive(beat(2), now: ms(350))) == [.lateHeartbeat(node: "node2", gapMs: 350)])
        #expect(events(membership.receive(beat(3), now: ms(450))).isEmpty)
    }

    @Test func copiesOverAnotherMediumAndReplaysAreDropped() {
        var membership = membership()
        establish(&membership, 5, now: 0)
        #expect(membership.receive(beat(5, medium: Self.bcast), now: ms(1)) == .failure(.duplicate))
        #expect(membership.receive(beat(4, generation: 6), now: ms(2)) == .failure(.staleGeneration))
        #expect(membership.receive(beat(5, node: "mallory"), now: ms(3)) == .failure(.unknownNode))
        #expect((try? membership.receive(beat(6), now: ms(4)).get()) != nil)
        #expect(membership.receive(beat(6), now: ms(5)) == .failure(.duplicate))
    }

    @Test func onlyCopiesOfThisGenerationsPacketsRefreshALink() {
        var membership = membership()
        establish(&membership, 5, now: 0)
        #expect(membership.tick(now: ms(1)).isEmpty)
        // A packet of an older generation (a replay) proves nothing about its medium.
        #expect(membership.receive(beat(5, generation: 6, medium: "bcast eth3"), now: ms(2)) == .failure(.staleGeneration))
        #expect(membership.peers["node2"]?.links["bcast eth3"] == nil)
        // A copy of this generation's packet does: its link comes up with the next tick.
        #expect(membership.receive(beat(5, medium: "bcast eth4"), now: ms(4)) == .failure(.duplicate))
        #expect(membership.tick(now: ms(5)) == [.linkUp(node: "node2", medium: "bcast eth4")])
        #expect(membership.peers["node2"]?.links["bcast eth4"] == ms(4))
    }

    @Test func restartWithHigherGenerationResetsSequences() {
        var membership = membership()
        establish(&membership, 900, now: 0)
        #expect(membership.receive(beat(1, generation: 8), now: ms(100)) == .failure(.unconfirmed))
        #expect(events(membership.receive(beat(2, generation: 8), now: ms(200))) == [.nodeRestarted(node: "node2", generation: 8)])
        #expect((try? membership.receive(beat(3, generation: 8), now: ms(300)).get()) != nil)
        #expect(membership.receive(beat(901), now: ms(310)) == .failure(.staleGeneration), "the old generation is over")
    }

    @Test func sameGenerationAfterDeathIsAReturnAfterPartition() {
        var membership = membership()
        establish(&membership, 1, now: 0)
        _ = membership.tick(now: ms(600))
        let seen = events(membership.receive(beat(9), now: ms(700)))
        #expect(seen.first == .returnedAfterPartition(node: "node2"))
        #expect(seen.contains(.nodeStatus(node: "node2", status: .active)))
    }

    /// Dead exactly when the dead time has passed, to the microsecond, and the daemon is told to
    /// wake then.
    @Test func deadTimeIsMicrosecondExact() {
        var membership = membership()
        establish(&membership, 1, now: ms(2) + 400)
        #expect(membership.nextDeadline() == ms(502) + 401)
        #expect(membership.tick(now: ms(502) + 400).isEmpty)
        #expect(membership.tick(now: ms(502) + 401).contains(.nodeStatus(node: "node2", status: .dead)))
    }

    @Test func wordingIsHeartbeatLike() {
        #expect(MembershipEvent.linkDead(node: "node2", medium: "eth1").description == "Link node2:eth1 dead.")
        #expect(MembershipEvent.nodeStatus(node: "node2", status: .dead).description == "node node2: is dead")
    }
}
