import Heartbeat
import Testing

@Suite("ipfail's rule")
struct IpfailRuleTests {
    typealias Effect = IpfailRule.Effect

    static func sent(_ effects: [Effect]) -> [HeartbeatMessage] {
        effects.compactMap { if case .send(let message) = $0 { message } else { nil } }
    }

    static func givenUp(_ effects: [Effect]) -> [HoldSet] {
        effects.compactMap { if case .giveUp(let set, _) = $0 { set } else { nil } }
    }

    static func count(_ n: Int) -> HeartbeatMessage {
        HeartbeatMessage(["t": "num_ping_nodes", "dest": "node1", "from_id": "ipfail", "to_id": "ipfail", "num_ping": String(n)])
    }

    @Test("the count goes to the peer's ipfail as ipfail sends it")
    func asks() throws {
        let rule = IpfailRule(peer: "node2", keepaliveMs: 100, autoFailback: true)
        let message = try #require(Self.sent(rule.ask(count: 2)).first)
        #expect(message.type == "num_ping_nodes")
        #expect(message["dest"] == "node2" && message["to_id"] == "ipfail" && message["from_id"] == "ipfail")
        #expect(message["num_ping"] == "2")
    }

    @Test("the peer's ipfail joining is answered with the count; other clients are not")
    func join() {
        var rule = IpfailRule(peer: "node2", keepaliveMs: 100, autoFailback: true)
        let join = HeartbeatMessage(["t": "hbapi-clstat", "st": "join", "from_id": "ipfail", "to_id": "ipfail", "src": "node2"])
        #expect(Self.sent(rule.receive(join, count: 1, stable: true, now: 0)).map { $0["num_ping"] } == ["1"])
        let ccm = HeartbeatMessage(["t": "hbapi-clstat", "st": "join", "from_id": "ccm", "to_id": "ccm"])
        #expect(rule.receive(ccm, count: 1, stable: true, now: 0).isEmpty)
        let leave = HeartbeatMessage(["t": "hbapi-clstat", "st": "leave", "from_id": "ipfail", "to_id": "ipfail"])
        #expect(rule.receive(leave, count: 1, stable: true, now: 0).isEmpty)
    }

    @Test("fewer here than the peer: all resources are given up after twice keepalive")
    func fewerGivesUp() {
        var rule = IpfailRule(peer: "node2", keepaliveMs: 100, autoFailback: true)
        let effects = rule.receive(Self.count(1), count: 0, stable: true, now: 1000)
        #expect(Self.sent(effects).isEmpty && Self.givenUp(effects).isEmpty)
        #expect(rule.peerCount == 1)
        #expect(Self.givenUp(rule.tick(now: 1199, count: 0, stable: true)).isEmpty)
        #expect(Self.givenUp(rule.tick(now: 1200, count: 0, stable: true)) == [.all])
        #expect(rule.pending == nil)
    }

    @Test("more here than the peer: it is told it is dead, nothing moves here")
    func moreTellsPeer() {
        var rule = IpfailRule(peer: "node2", keepaliveMs: 100, autoFailback: true)
        let effects = rule.receive(Self.count(0), count: 1, stable: true, now: 0)
        #expect(Self.sent(effects).map(\.type) == ["you_are_dead"])
        #expect(Self.givenUp(rule.tick(now: 10_000, count: 1, stable: true)).isEmpty)
    }

    @Test("you_are_dead gives up after the delay; abort_giveup or a balanced count cancels it")
    func damping() {
        var rule = IpfailRule(peer: "node2", keepaliveMs: 100, autoFailback: false)
        _ = rule.receive(HeartbeatMessage(["t": "you_are_dead"]), count: 0, stable: true, now: 0)
        #expect(rule.pending?.set == .all)
        _ = rule.receive(HeartbeatMessage(["t": "abort_giveup"]), count: 0, stable: true, now: 50)
        #expect(rule.pending == nil)
        #expect(Self.givenUp(rule.tick(now: 500, count: 0, stable: true)).isEmpty)

        _ = rule.receive(HeartbeatMessage(["t": "you_are_dead"]), count: 0, stable: true, now: 1000)
        let balanced = rule.receive(Self.count(1), count: 1, stable: true, now: 1100)
        #expect(Self.sent(balanced).map(\.type) == ["abort_giveup"])
        #expect(rule.pending == nil)
        #expect(Self.givenUp(rule.tick(now: 2000, count: 1, stable: true)).isEmpty)
    }

    @Test("balanced with auto_failback on and nothing pending: the peer's groups go back to it")
    func balancedFailsBack() {
        var rule = IpfailRule(peer: "node1", keepaliveMs: 100, autoFailback: true)
        _ = rule.receive(Self.count(1), count: 1, stable: true, now: 0)
        #expect(Self.givenUp(rule.tick(now: 200, count: 1, stable: true)) == [.foreign])
        var empty = IpfailRule(peer: "node1", keepaliveMs: 100, autoFailback: true)
        _ = empty.receive(Self.count(1), count: 1, stable: true, holds: .local, now: 0)
        #expect(empty.pending == nil, "holding nothing of the peer's, there is nothing to give back")
        var late = IpfailRule(peer: "node2", keepaliveMs: 100, autoFailback: true)
        _ = late.receive(HeartbeatMessage(["t": "you_are_dead"]), count: 0, stable: true, now: 0)
        #expect(Self.givenUp(late.tick(now: 200, count: 0, stable: true, holds: .none)).isEmpty)
        var off = IpfailRule(peer: "node1", keepaliveMs: 100, autoFailback: false)
        _ = off.receive(Self.count(1), count: 1, stable: true, now: 0)
        #expect(off.pending == nil)
    }

    @Test("a give-up due in transition waits, then compares counts again")
    func waitsForStability() {
        var rule = IpfailRule(peer: "node2", keepaliveMs: 100, autoFailback: true)
        _ = rule.receive(Self.count(2), count: 1, stable: true, now: 0)
        #expect(Self.givenUp(rule.tick(now: 200, count: 1, stable: false)).isEmpty)
        #expect(rule.waitingForStability)
        #expect(Self.sent(rule.tick(now: 300, count: 1, stable: false)).isEmpty)
        #expect(Self.sent(rule.tick(now: 400, count: 1, stable: true)).map(\.type) == ["num_ping_nodes"])
    }

    @Test("an unreadable count counts as zero, as ipfail's atoi reads it")
    func garbageCount() {
        var rule = IpfailRule(peer: "node2", keepaliveMs: 100, autoFailback: true)
        for (text, expected) in [("", 0), ("x", 0), ("-5", 0), ("99999999999999999999", 999_999_999)] {
            var message = HeartbeatMessage(["t": "num_ping_nodes"])
            message.append("num_ping", text)
            _ = rule.receive(message, count: 0, stable: true, now: 0)
            #expect(rule.peerCount == expected, "num_ping \(text)")
        }
        _ = rule.receive(HeartbeatMessage(["t": "num_ping_nodes"]), count: 0, stable: true, now: 0)
        #expect(rule.peerCount == 0)
    }

    /// Two rules wired together, as two nodes run them: node1 loses its ping node.
    @Test("two nodes: the one that lost its ping node gives everything to the other, and gets it back")
    func twoNodes() {
        var node1 = IpfailRule(peer: "node2", keepaliveMs: 100, autoFailback: true)
        var node2 = IpfailRule(peer: "node1", keepaliveMs: 100, autoFailback: true)
        // node1's ping node died: it asks; node2 reaches more and says so.
        let asked = Self.sent(node1.ask(count: 0))
        let answer = asked.flatMap { Self.sent(node2.receive($0, count: 1, stable: true, now: 0)) }
        #expect(answer.map(\.type) == ["you_are_dead"])
        for message in answer { _ = node1.receive(message, count: 0, stable: true, now: 0) }
        #expect(Self.givenUp(node1.tick(now: 200, count: 0, stable: true)) == [.all])
        // Reachable again: node1 asks; node2 is balanced and gives node1's groups back.
        let again = Self.sent(node1.ask(count: 1))
        let reply = again.flatMap { Self.sent(node2.receive($0, count: 1, stable: true, now: 1000)) }
        #expect(reply.map(\.type) == ["abort_giveup"])
        #expect(Self.givenUp(node2.tick(now: 1200, count: 1, stable: true)) == [.foreign])
    }
}
