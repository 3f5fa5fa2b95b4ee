import Heartbeat
import Testing

/// The protocol messages heartbeat 3.0.6 expects from a peer (issue 15): `protocol` in the status
/// message, `t=repnodes` for `t=reqnodes`, and `NS_ackmsg` for its flow control.
@Suite struct MembershipProtocolTests {
    static let timing = Membership.Timing(keepaliveMs: 200, deadtimeMs: 10_000, warntimeMs: 5000, initdeadMs: 20_000)

    func membership() -> Membership {
        Membership(localNode: "node1", nodes: ["node1", "node2"], timing: Self.timing, now: 0)
    }

    func beat(_ sequence: UInt64, generation: UInt64 = 7) -> HeartbeatArrival {
        HeartbeatArrival(node: "node2", medium: "hb0", status: .active, generation: generation, sequence: sequence, deadtimeMs: 10_000)
    }

    @Test func theStatusMessageHasHeartbeatsFieldsInItsOrder() {
        let status = membership().statusMessage()
        // The captured 3.0.6 packet: t=status, st=up, dt=2710, protocol=1 (spec §4.7).
        #expect(status.fields.map(\.name) == ["t", "st", "dt", "protocol"])
        #expect(status["st"] == "up" && status["dt"] == "2710" && status["protocol"] == "1")
    }

    @Test func reqnodesIsAnsweredWithTheNodeListAsHeartbeatWritesIt() {
        let reply = membership().nodeListReply(to: "node2")
        #expect(reply.type == "repnodes")
        #expect(reply["dest"] == "node2")
        #expect(reply["nodelist"] == "node1 node2 ")
        #expect(reply["delnodelist"] == " ")
        #expect(reply.carriesSequence, "repnodes is an ordinary, numbered cluster message")
    }

    @Test func skippedPacketsAreAskedForUntilTheyComeOrAreRefused() {
        var membership = membership()
        for sequence in UInt64(1)...3 { _ = membership.receive(beat(sequence), now: Int64(sequence) * 200_000) }
        // 4, 5 and 6 lost; 7 arrives.
        _ = membership.receive(beat(7), now: 1_400_000)
        let first = membership.retransmitRequests(now: 1_400_000)
        #expect(first.map { $0["firstseq"] } == ["4", "5", "6"])
        #expect(first.allSatisfy { $0.type == "NS_rexmit" && $0["dest"] == "node2" && $0["firstseq"] == $0["lastseq"] && !$0.carriesSequence })
        #expect(membership.retransmitRequests(now: 1_500_000).isEmpty, "not again within 250 ms")
        // 5 comes (late, retransmitted): taken, but an older status does not replace the newer one.
        var old = beat(5)
        old.status = .up
        #expect(membership.receive(old, now: 1_600_000) == .success([]))
        #expect(membership.peers["node2"]?.status == .active)
        #expect(membership.recoveredPackets == 1)
        // node2 says 6 is gone.
        let nak = HeartbeatMessage(["t": "NS_nak_rexmit", "firstseq": "6", "dest": "node1"])
        #expect(membership.retransmitRefused(nak, from: "node2") == 6)
        #expect(membership.retransmitRefused(nak, from: "node2") == nil)
        #expect(membership.retransmitRequests(now: 1_700_000).map { $0["firstseq"] } == ["4"])
        // 4 never comes: given up after retransmitTries requests.
        var asked = 2  // at 1.4 s and 1.7 s
        var now: Int64 = 1_950_000
        while !membership.retransmitRequests(now: now).isEmpty {
            asked += 1
            now += 250_000
        }
        #expect(asked == Membership.retransmitTries)
        #expect(membership.peers["node2"]?.missing.isEmpty == true)
    }

    @Test func everyTenthMessageIsAcknowledgedOnceAndANewTrackStartsOver() {
        var membership = membership()
        var acks: [String] = []
        for sequence in UInt64(1)...25 {
            _ = membership.receive(beat(sequence), now: Int64(sequence) * 200_000)
            if let ack = membership.acknowledgement(for: "node2") {
                #expect(ack.type == "NS_ackmsg" && ack["dest"] == "node2" && !ack.carriesSequence)
                acks.append(ack["ackseq"] ?? "")
            }
        }
        // Sequence 1 only proposes the track; 2 confirms it. Hex, as heartbeat reads it (%lx).
        #expect(acks == ["a", "14"])
        #expect(membership.acknowledgement(for: "node2") == nil, "nothing new, no second ack")
        // node2 restarts (higher generation): its numbers start again, and so do the acks.
        var now: Int64 = 25 * 200_000 + 1_000_000
        for sequence in UInt64(1)...12 {
            now += 200_000
            _ = membership.receive(beat(sequence, generation: 8), now: now)
            if let ack = membership.acknowledgement(for: "node2") { acks.append(ack["ackseq"] ?? "") }
        }
        #expect(acks == ["a", "14", "a"])
        #expect(membership.acknowledgement(for: "node3") == nil)
        // 13 to 16 lost: nothing at or above 13 is acknowledged until they come (heartbeat would
        // ignore the requests for them).
        for sequence in UInt64(17)...40 {
            now += 200_000
            _ = membership.receive(beat(sequence, generation: 8), now: now)
            if let ack = membership.acknowledgement(for: "node2") { acks.append(ack["ackseq"] ?? "") }
        }
        #expect(acks == ["a", "14", "a"])
        for sequence in UInt64(13)...16 { _ = membership.receive(beat(sequence, generation: 8), now: now) }
        #expect(membership.acknowledgement(for: "node2")?["ackseq"] == "28")
    }
}

/// heartbeat's retransmission requests (`NS_rexmit`) get the packet as it was sent, or a NAK.
@Suite struct RetransmitHistoryTests {
    func request(_ first: String, _ last: String) -> HeartbeatMessage {
        HeartbeatMessage(["t": "NS_rexmit", "dest": "node1", "firstseq": first, "lastseq": last])
    }

    @Test func aKeptPacketIsSentAgainUnchangedAtMostEvery240Ms() {
        var history = RetransmitHistory()
        for sequence in UInt64(1)...5 { history.record(sequence: sequence, bytes: [UInt8(sequence)]) }
        #expect(history.answer(request("3", "3"), from: "node2", now: 1000) == [.resend([3])])
        #expect(history.answer(request("3", "3"), from: "node2", now: 1100).isEmpty, "asked again too soon")
        #expect(history.answer(request("3", "4"), from: "node2", now: 1240) == [.resend([3]), .resend([4])])
        #expect(history.answer(request("9", "12"), from: "node2", now: 2000).isEmpty, "never sent: ignored")
    }

    @Test func aPacketNoLongerKeptIsNakedAndMalformedRequestsIgnored() {
        var history = RetransmitHistory()
        for sequence in UInt64(1)...UInt64(RetransmitHistory.capacity + 10) { history.record(sequence: sequence, bytes: []) }
        let replies = history.answer(request("10", "11"), from: "node2", now: 0)
        #expect(replies.count == 2)
        guard case .nak(let nak)? = replies.first else {
            Issue.record("expected a NAK, got \(replies)")
            return
        }
        #expect(nak.type == "NS_nak_rexmit" && nak["firstseq"] == "a" && nak["dest"] == "node2" && !nak.carriesSequence)
        for bad in [request("0", "3"), request("5", "4"), request("x", "4"), HeartbeatMessage(["t": "NS_rexmit"])] {
            #expect(history.answer(bad, from: "node2", now: 0).isEmpty)
        }
        #expect(history.answer(request("1", "\(UInt64.max)"), from: "node2", now: 0).count == RetransmitHistory.batchLimit)
    }
}
