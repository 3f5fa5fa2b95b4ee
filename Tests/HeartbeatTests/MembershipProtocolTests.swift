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
