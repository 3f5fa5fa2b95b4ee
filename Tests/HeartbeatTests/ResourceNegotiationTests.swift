import Heartbeat
import Testing

/// Two negotiations wired together: messages one sends are delivered to the other while the link
/// is up; group operations finish (successfully unless a group is set to fail) when `settle` runs.
/// After every step the invariant is checked: no group is held by both nodes.
struct TwoNodes {
    typealias Effect = ResourceNegotiation.Effect

    static let groups = [
        ResourceGroup(node: "node1", resources: [HaResource(token: "203.0.113.10", script: "IPaddr", arguments: ["203.0.113.10"], kind: .script)], line: 1),
        ResourceGroup(node: "node2", resources: [HaResource(token: "203.0.113.20", script: "IPaddr", arguments: ["203.0.113.20"], kind: .script)], line: 2),
    ]
    static let home1 = "203.0.113.10"
    static let home2 = "203.0.113.20"

    var nodes: [String: ResourceNegotiation] = [:]
    var inbox: [(to: String, message: HeartbeatMessage)] = []
    var running: [String: (acquire: Bool, groups: [String])] = [:]
    var failing: Set<String> = []
    /// Groups whose start fails on one node only.
    var failingOn: [String: Set<String>] = [:]
    var linked = true
    var now: Int64 = 0
    var sent: [String: [HeartbeatMessage]] = [:]
    var logs: [String: [String]] = [:]
    var shutdownComplete: Set<String> = []
    /// Every acquire and release handed to the daemon, in order, as `node +group` / `node -group`.
    var operations: [String] = []
    /// haresources' groups.
    let groups: [ResourceGroup]

    init(autoFailback: AutoFailback = .on, groups: [ResourceGroup] = TwoNodes.groups) {
        self.groups = groups
        for name in ["node1", "node2"] { boot(name, autoFailback: autoFailback) }
    }

    mutating func boot(_ name: String, autoFailback: AutoFailback = .on) {
        nodes[name] = ResourceNegotiation(localNode: name, nodes: ["node1", "node2"], autoFailback: autoFailback, groups: groups)
        running[name] = nil
    }

    static func other(_ name: String) -> String { name == "node1" ? "node2" : "node1" }

    func held(_ name: String) -> Set<String> { nodes[name]?.held ?? [] }

    mutating func step(_ name: String, _ body: (inout ResourceNegotiation, Int64) throws -> [Effect]) rethrows {
        var negotiation = nodes[name]!
        let effects = try body(&negotiation, now)
        nodes[name] = negotiation
        apply(name, effects)
    }

    mutating func apply(_ name: String, _ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .send(let message):
                sent[name, default: []].append(message)
                if linked { inbox.append((Self.other(name), message)) }
            case .acquire(let groups, _):
                running[name] = (true, groups)
                operations += groups.map { "\(name) +\($0)" }
            case .release(let groups, _):
                running[name] = (false, groups)
                operations += groups.map { "\(name) -\($0)" }
            case .recover(let group, _, _):
                running[name] = (true, [group])
                operations.append("\(name) ~\(group)")
            case .log(_, let text):
                logs[name, default: []].append(text)
            case .shutdownComplete:
                shutdownComplete.insert(name)
            }
        }
    }

    /// Delivers messages and finishes operations until nothing is left to do.
    mutating func settle(allowingDoubleOwnership: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) {
        for _ in 0..<200 {
            now += 1
            if !inbox.isEmpty {
                let (to, message) = inbox.removeFirst()
                if nodes[to] != nil { step(to) { $0.receive(message, now: $1) } }
            } else if let name = running.keys.sorted().first, let operation = running[name] {
                running[name] = nil
                let failed = operation.acquire ? operation.groups.filter { failing.contains($0) || failingOn[name, default: []].contains($0) } : []
                let outcome = ResourceNegotiation.Outcome(
                    succeeded: operation.groups.filter { !failed.contains($0) },
                    failed: Dictionary(uniqueKeysWithValues: failed.map { ($0, "start failed") }))
                step(name) { $0.finished(outcome, now: $1) }
            } else {
                break
            }
            let both = held("node1").intersection(held("node2"))
            #expect(both.isEmpty || !linked || allowingDoubleOwnership, "held by both nodes: \(both)", sourceLocation: sourceLocation)
        }
    }

    /// Both nodes see each other and come up (the usual start).
    mutating func startTogether() {
        step("node1") { _ = $0.peerUp(restarted: false, now: $1); return [] }
        step("node2") { _ = $0.peerUp(restarted: false, now: $1); return [] }
        step("node1") { $0.communicationUp(now: $1) }
        step("node2") { $0.communicationUp(now: $1) }
        settle()
    }

    /// node1 dies hard: node2 declares it dead and takes over.
    mutating func killNode1() {
        linked = false
        inbox.removeAll()
        nodes["node1"] = nil
        running["node1"] = nil
        step("node2") { $0.peerDied(now: $1, reason: "deadtime") }
        settle()
        linked = true
    }

    /// node1 starts again with a new generation.
    mutating func restartNode1(autoFailback: AutoFailback = .on) {
        boot("node1", autoFailback: autoFailback)
        step("node2") { $0.peerUp(restarted: true, now: $1) }
        step("node1") { _ = $0.peerUp(restarted: false, now: $1); return [] }
        step("node1") { $0.communicationUp(now: $1) }
        settle()
    }
}

@Suite struct ResourceNegotiationTests {
    @Test func nodesStartingTogetherEachTakeTheirOwnGroup() {
        var pair = TwoNodes()
        pair.startTogether()
        #expect(pair.held("node1") == [TwoNodes.home1])
        #expect(pair.held("node2") == [TwoNodes.home2])
        #expect(pair.nodes["node1"]!.phase == .stable)
        #expect(pair.nodes["node2"]!.phase == .stable)
        #expect(pair.sent["node1"]!.first?.type == "starting")
        let stable = pair.sent["node1"]!.last!
        #expect(stable.type == "resource" && stable["rsc_hold"] == "local" && stable["isstable"] == "1")
    }

    @Test func aNodeAloneTakesEveryGroup() {
        var negotiation = ResourceNegotiation(localNode: "node1", nodes: ["node1", "node2"], autoFailback: .on, groups: TwoNodes.groups)
        _ = negotiation.peerDied(now: 0, reason: "initdead")
        let effects = negotiation.communicationUp(now: 1)
        #expect(effects.contains(.acquire([TwoNodes.home1, TwoNodes.home2], reason: "initial acquisition (peer dead)")))
        #expect(effects.contains(.log(.warning, "No STONITH device configured.")))
        _ = negotiation.finished(.init(succeeded: [TwoNodes.home1, TwoNodes.home2]), now: 2)
        #expect(negotiation.held == [TwoNodes.home1, TwoNodes.home2])
        #expect(negotiation.phase == .stable)
    }

    @Test func deadPeerGroupsAreTakenOverAndFailBackWhenItReturns() {
        var pair = TwoNodes(autoFailback: .on)
        pair.startTogether()
        pair.killNode1()
        #expect(pair.held("node2") == [TwoNodes.home1, TwoNodes.home2])
        pair.operations = []
        pair.restartNode1()
        #expect(pair.held("node1") == [TwoNodes.home1])
        #expect(pair.held("node2") == [TwoNodes.home2])
        #expect(pair.operations == ["node2 -\(TwoNodes.home1)", "node1 +\(TwoNodes.home1)"], "released before acquired")
    }

    /// node1 restarts (RestartSec=5s under systemd, deadtime shorter) while node2 is still
    /// starting node1's group after declaring it dead: node2 must say it holds that group (and is
    /// not stable), so node1 never starts it too, even after its 10 s stability wait.
    @Test(arguments: [AutoFailback.on, .off]) func restartDuringThePeersTakeoverNeverDoublesAGroup(autoFailback: AutoFailback) throws {
        var pair = TwoNodes(autoFailback: autoFailback)
        pair.startTogether()
        pair.linked = false
        pair.inbox.removeAll()
        pair.nodes["node1"] = nil
        pair.step("node2") { $0.peerDied(now: $1, reason: "deadtime") }
        let takeover = try #require(pair.running["node2"])
        #expect(takeover.acquire && takeover.groups == [TwoNodes.home1])
        pair.running["node2"] = nil  // node2's start of home1 goes on: settle must not finish it yet
        pair.linked = true
        pair.operations = []

        pair.boot("node1", autoFailback: autoFailback)
        pair.step("node2") { $0.peerUp(restarted: true, now: $1) }
        pair.step("node1") { _ = $0.peerUp(restarted: false, now: $1); return [] }
        pair.step("node1") { $0.communicationUp(now: $1) }
        pair.settle()
        let answer = try #require(pair.sent["node2"]?.last)
        #expect(answer.type == "resource" && answer["rsc_hold"] == "all" && answer["isstable"] == "0", "\(answer)")
        pair.now += ResourceNegotiation.stabilityTimeoutMs + 1
        pair.step("node1") { $0.tick(now: $1) }
        pair.settle()
        #expect(!pair.operations.contains("node1 +\(TwoNodes.home1)"), "\(pair.operations)")
        #expect(pair.held("node1").isEmpty)

        pair.running["node2"] = takeover
        pair.settle()
        #expect(pair.held("node1").intersection(pair.held("node2")).isEmpty)
        #expect(pair.held("node1").union(pair.held("node2")) == [TwoNodes.home1, TwoNodes.home2])
        #expect(pair.held(autoFailback == .on ? "node1" : "node2").contains(TwoNodes.home1))
    }

    @Test func autoFailbackOffLeavesGroupsWhereTheyAre() {
        var pair = TwoNodes(autoFailback: .off)
        pair.startTogether()
        pair.killNode1()
        pair.restartNode1(autoFailback: .off)
        #expect(pair.held("node1").isEmpty)
        #expect(pair.held("node2") == [TwoNodes.home1, TwoNodes.home2])
    }

    @Test func standbyHandsGroupsOverAndFailbackDoesNotUndoIt() throws {
        var pair = TwoNodes(autoFailback: .on)
        pair.startTogether()
        pair.operations = []
        try pair.step("node1") { n, _ in try n.standby(.all, now: 10).get() }
        pair.settle()
        #expect(pair.held("node1").isEmpty)
        #expect(pair.held("node2") == [TwoNodes.home1, TwoNodes.home2])
        #expect(pair.operations == ["node1 -\(TwoNodes.home1)", "node2 +\(TwoNodes.home1)"])
        #expect(!pair.nodes["node1"]!.inTransition && !pair.nodes["node2"]!.inTransition)
    }

    @Test func takeoverAsksThePeerToStandBy() throws {
        var pair = TwoNodes(autoFailback: .off)
        pair.startTogether()
        try pair.step("node1") { n, _ in try n.takeover(.foreign, now: 10).get() }
        pair.settle()
        #expect(pair.held("node1") == [TwoNodes.home1, TwoNodes.home2])
        #expect(pair.held("node2").isEmpty)
        try pair.step("node2") { n, _ in try n.takeover(.local, now: 20).get() }
        pair.settle()
        #expect(pair.held("node1") == [TwoNodes.home1])
        #expect(pair.held("node2") == [TwoNodes.home2])
    }

    @Test func gracefulShutdownReleasesThenThePeerTakesOverAtOnce() {
        var pair = TwoNodes()
        pair.startTogether()
        pair.step("node1") { n, _ in n.shutdown(now: 10) }
        pair.settle()
        #expect(pair.shutdownComplete == ["node1"])
        #expect(pair.nodes["node1"]!.phase == .stopped)
        #expect(pair.held("node1").isEmpty)
        #expect(pair.held("node2") == [TwoNodes.home1, TwoNodes.home2])
        #expect(pair.sent["node1"]!.map(\.type).suffix(2) == ["resource", "shutdone"])
        #expect(pair.logs["node2"]!.contains("Received shutdown notice from 'node1'."))
    }

    @Test func aFailedStartLeavesTheGroupDownAndReported() {
        var pair = TwoNodes()
        pair.failing = [TwoNodes.home1]
        pair.startTogether()
        pair.killNode1()
        #expect(pair.held("node2") == [TwoNodes.home2])
        #expect(pair.nodes["node2"]!.failed[TwoNodes.home1] == "start failed")
        #expect(pair.logs["node2"]!.contains("group \(TwoNodes.home1) failed to start: start failed"))
    }

    @Test func afterAPartitionTheHomeNodeKeepsItsGroup() {
        var pair = TwoNodes()
        pair.startTogether()
        // The link breaks: node2 believes node1 dead and starts node1's group as well.
        pair.linked = false
        pair.step("node2") { $0.peerDied(now: $1, reason: "deadtime") }
        pair.settle()
        #expect(pair.held("node1").contains(TwoNodes.home1) && pair.held("node2").contains(TwoNodes.home1))
        pair.linked = true
        pair.step("node1") { $0.peerReturnedAfterPartition(now: $1) }
        pair.step("node2") { $0.peerReturnedAfterPartition(now: $1) }
        pair.settle(allowingDoubleOwnership: true)
        #expect(pair.held("node1") == [TwoNodes.home1])
        #expect(pair.held("node2") == [TwoNodes.home2])
        for node in ["node1", "node2"] {
            let logs = pair.logs[node] ?? []
            #expect(logs.contains { $0.hasPrefix("split brain: \(TwoNodes.home1) held by this node and by") }, "\(node): \(logs)")
            #expect(logs.contains("split brain healed: \(TwoNodes.home1) held by one node only again"), "\(node): \(logs)")
            #expect(pair.nodes[node]?.heldByBoth.isEmpty == true)
        }
    }

    @Test func aPartitionSeenByOneSideOnlyIsResolvedToo() {
        var pair = TwoNodes()
        pair.startTogether()
        // Only node1's dead time passed: it took node2's group while node2 noticed nothing.
        pair.linked = false
        pair.step("node1") { $0.peerDied(now: $1, reason: "deadtime") }
        pair.settle()
        #expect(pair.held("node1") == [TwoNodes.home1, TwoNodes.home2])
        pair.linked = true
        pair.step("node1") { $0.peerReturnedAfterPartition(now: $1) }
        pair.settle(allowingDoubleOwnership: true)
        #expect(pair.held("node1") == [TwoNodes.home1])
        #expect(pair.held("node2") == [TwoNodes.home2])
    }

    @Test func commandsAreRefusedWithoutAPeerOrDuringATransition() {
        var negotiation = ResourceNegotiation(localNode: "node1", nodes: ["node1", "node2"], autoFailback: .on, groups: TwoNodes.groups)
        #expect(throws: CommandRefusal.self) { try negotiation.standby(.all, now: 0).get() }
        _ = negotiation.peerUp(restarted: false, now: 0)
        _ = negotiation.communicationUp(now: 1)
        #expect(negotiation.inTransition, "starting: waiting for the peer's answer")
        #expect(throws: CommandRefusal.self) { try negotiation.standby(.all, now: 2).get() }
    }

    @Test func anUnansweredStandbyTimesOut() throws {
        var pair = TwoNodes()
        pair.startTogether()
        pair.linked = false
        try pair.step("node1") { n, _ in try n.standby(.all, now: 100).get() }
        #expect(pair.nodes["node1"]!.inTransition)
        pair.step("node1") { n, _ in n.tick(now: 100 + ResourceNegotiation.standbyReplyTimeoutMs + 1) }
        #expect(!pair.nodes["node1"]!.inTransition)
        #expect(pair.held("node1") == [TwoNodes.home1], "nothing released without the peer's agreement")
    }

    /// heartbeat 3.0.6 says it is stable with `isstable=1` and no `info` (or
    /// `info=req_our_resources()`), never `info=stable`: the holder after a mach_down takeover
    /// gives the peer's groups back when the peer turns stable, as heartbeat's PerformAutoFailback.
    @Test(arguments: [nil, "req_our_resources()"]) func failbackWhenAHeartbeatPeerTurnsStable(info: String?) {
        var negotiation = ResourceNegotiation(localNode: "node2", nodes: ["node1", "node2"], autoFailback: .on, groups: TwoNodes.groups)
        _ = negotiation.peerDied(now: 0, reason: "initdead")
        _ = negotiation.communicationUp(now: 1)
        _ = negotiation.finished(.init(succeeded: [TwoNodes.home1, TwoNodes.home2]), now: 2)
        #expect(negotiation.phase == .stable)
        // node1 (a real heartbeat) starts: t=starting, then its answer to ours, stable.
        _ = negotiation.peerUp(restarted: false, now: 10)
        let reply = negotiation.receive(HeartbeatMessage(["t": "starting"]), now: 11)
        #expect(reply.contains { if case .send(let m) = $0 { m.type == "resource" && m["isstable"] == "1" } else { false } })
        // It finds its groups held here, so it takes none and says so (req_our_resources()).
        var stable = HeartbeatMessage(["t": "resource", "rsc_hold": "none", "rtype": "full", "isstable": "1"])
        if let info { stable.append("info", info) }
        let effects = negotiation.receive(stable, now: 12)
        #expect(effects.contains { if case .send(let m) = $0 { m.type == "ask_resources" && m["rsc_hold"] == "foreign" && m["info"] == "me" } else { false } })
        // The same stable message again is no new transition: no second standby request.
        _ = negotiation.receive(HeartbeatMessage(["t": "ask_resources", "rsc_hold": "foreign", "info": "other"]), now: 13)
        _ = negotiation.finished(.init(succeeded: [TwoNodes.home1]), now: 14)
        #expect(negotiation.held == [TwoNodes.home2])
        let again = negotiation.receive(stable, now: 15)
        #expect(!again.contains { if case .send(let m) = $0 { m.type == "ask_resources" } else { false } })
    }

    /// Without a mach_down takeover (the groups came by standby) a peer turning stable moves nothing.
    @Test func aPeerTurningStableDoesNotUndoAStandby() throws {
        var pair = TwoNodes(autoFailback: .on)
        pair.startTogether()
        try pair.step("node1") { n, _ in try n.standby(.all, now: 10).get() }
        pair.settle()
        pair.step("node2") { n, now in n.receive(HeartbeatMessage(["t": "resource", "rsc_hold": "none", "isstable": "0"]), now: now) }
        pair.step("node2") { n, now in n.receive(HeartbeatMessage(["t": "resource", "rsc_hold": "none", "isstable": "1"]), now: now) }
        pair.settle()
        #expect(pair.held("node2") == [TwoNodes.home1, TwoNodes.home2])
    }

    /// heartbeat holds sets, not groups: a node none of whose groups has it as home still says
    /// `rsc_hold=local` once it took its own set, or a heartbeat peer logs "No one owns foreign
    /// resources!" (seen with a real heartbeat 3.0.6 home node after its failback). It holds
    /// `all` after a takeover and says `local` again once it gave the peer's set back.
    @Test func aNodeWithoutGroupsOfItsOwnStillHoldsItsSet() {
        var pair = TwoNodes(autoFailback: .on, groups: [TwoNodes.groups[0]])
        pair.startTogether()
        func said(_ name: String) -> String? { pair.sent[name, default: []].last { $0.type == "resource" }?["rsc_hold"] }
        #expect(said("node2") == "local")
        #expect(pair.nodes["node2"]!.holds == .local)
        pair.killNode1()
        #expect(pair.nodes["node2"]!.holds == .all)
        pair.restartNode1()
        #expect(pair.held("node1") == [TwoNodes.home1])
        #expect(pair.held("node2").isEmpty)
        #expect(pair.nodes["node2"]!.holds == .local)
        #expect(said("node2") == "local")
        #expect(said("node1") == "local")
        // A standby of everything from node2 hands over its (empty) set too; node1 then says all.
        pair.sent = [:]
        #expect(throws: Never.self) { try pair.step("node2") { n, _ in try n.standby(.all, now: 100).get() } }
        pair.settle()
        #expect(pair.nodes["node2"]!.holds == HoldSet.none)
        #expect(said("node1") == "all")
    }

    /// The acquirer's `ask_resources info=done` names the set it was asked for, from the
    /// requester's side, as heartbeat's does (it logged "takeover of none resources" before).
    @Test(arguments: [HoldSet.local, .foreign, .all]) func standbyDoneReportsTheRequestedSet(set: HoldSet) throws {
        var pair = TwoNodes(autoFailback: .off)
        pair.startTogether()
        try pair.step("node1") { n, _ in try n.standby(set, now: 10).get() }
        pair.settle()
        let dones = pair.sent["node2", default: []].filter { $0.type == "ask_resources" && $0["info"] == "done" }
        #expect(dones.map { $0["rsc_hold"] } == [set.rawValue])
    }

    /// `standbyProgress` (what `heartbeat-lite standby` waits for) completes only on the peer's
    /// `done`, when the peer holds the set; it fails on a peer that never answers or dies.
    @Test func standbyProgressWaitsForThePeersDone() throws {
        var pair = TwoNodes(autoFailback: .off)
        pair.startTogether()
        try pair.step("node1") { n, _ in try n.standby(.local, now: 10).get() }
        #expect(pair.nodes["node1"]!.standbyProgress == .underWay(.local))
        // Deliver everything up to node1's release and its own done, but not node2's done yet.
        pair.settle()
        #expect(pair.nodes["node1"]!.standbyProgress == .completed(.local))
        #expect(pair.nodes["node1"]!.peerHolds(TwoNodes.home1), "node1's status shows node2 as the owner")

        var lonely = TwoNodes(autoFailback: .off)
        lonely.startTogether()
        lonely.linked = false
        try lonely.step("node1") { n, _ in try n.standby(.all, now: 100).get() }
        lonely.step("node1") { n, _ in n.tick(now: 100 + ResourceNegotiation.standbyReplyTimeoutMs + 1) }
        guard case .failed(.all, _) = lonely.nodes["node1"]!.standbyProgress else {
            Issue.record("an unanswered standby fails: \(lonely.nodes["node1"]!.standbyProgress)")
            return
        }
    }

    @Test func standbyProgressFailsWhenThePeerDiesHalfway() throws {
        var pair = TwoNodes(autoFailback: .off)
        pair.startTogether()
        try pair.step("node1") { n, _ in try n.standby(.local, now: 10).get() }
        pair.linked = false
        // node2's agreement arrives, node1 releases; then node2 dies before it acquires.
        pair.step("node1") { n, now in n.receive(HeartbeatMessage(["t": "ask_resources", "rsc_hold": "local", "info": "other"]), now: now) }
        pair.inbox.removeAll()
        pair.settle()
        #expect(pair.held("node1").isEmpty)
        pair.step("node1") { $0.peerDied(now: $1, reason: "deadtime") }
        pair.settle()
        guard case .failed(.local, _) = pair.nodes["node1"]!.standbyProgress else {
            Issue.record("standby fails when the peer dies: \(pair.nodes["node1"]!.standbyProgress)")
            return
        }
        #expect(pair.held("node1") == [TwoNodes.home1, TwoNodes.home2], "never none: taken back at once")
    }

    @Test func legacyFailbackUsesIPRequests() {
        var pair = TwoNodes(autoFailback: .legacy)
        pair.startTogether()
        #expect(pair.held("node1") == [TwoNodes.home1])
        pair.killNode1()
        pair.restartNode1(autoFailback: .legacy)
        #expect(pair.held("node1") == [TwoNodes.home1])
        #expect(pair.held("node2") == [TwoNodes.home2])
        #expect(pair.sent["node1"]!.contains { $0.type == "ip-request" && $0["ipaddr"] == TwoNodes.home1 })
    }

    @Test func holdSetsMirror() {
        #expect(HoldSet.local.mirrored == .foreign)
        #expect(HoldSet.all.mirrored == .all)
        #expect(HoldSet.none.mirrored == .none)
        #expect(HoldSet(local: true, foreign: false) == .local)
    }
}

/// Issue 10, item 4: a group whose start fails is rolled back and offered to the peer; a group
/// failing on both is tried once on each and stays stopped, with no ping-pong.
@Suite struct FailedStartHandOverTests {
    @Test func aGroupFailingOnItsHomeNodeGoesToThePeer() {
        var pair = TwoNodes()
        pair.failingOn["node1"] = [TwoNodes.home1]
        pair.startTogether()
        #expect(pair.held("node1").isEmpty)
        #expect(pair.held("node2") == [TwoNodes.home1, TwoNodes.home2])
        #expect(pair.nodes["node1"]!.blocked[TwoNodes.home1] == "start failed")
        #expect(pair.nodes["node1"]!.failed[TwoNodes.home1] == "start failed")
        #expect(pair.nodes["node2"]!.failed.isEmpty)
        #expect(pair.sent["node1"]!.contains { $0.type == "ask_resources" && $0["info"] == "me" && $0["rsc_hold"] == "local" })
        #expect(pair.nodes["node1"]!.offers.isEmpty, "the offer is settled once node2 acquired it")
    }

    @Test func aGroupFailingOnBothNodesStaysStoppedAndIsNotRetried() {
        var pair = TwoNodes()
        pair.failing = [TwoNodes.home1]
        pair.startTogether()
        for _ in 0..<60 {
            pair.now += 1000
            pair.step("node1") { $0.tick(now: $1) }
            pair.step("node2") { $0.tick(now: $1) }
            pair.settle()
        }
        #expect(pair.held("node1").isEmpty)
        #expect(pair.held("node2") == [TwoNodes.home2])
        #expect(pair.operations.filter { $0.hasSuffix("+\(TwoNodes.home1)") } == ["node1 +\(TwoNodes.home1)", "node2 +\(TwoNodes.home1)"])
        for name in ["node1", "node2"] {
            #expect(pair.nodes[name]!.failed[TwoNodes.home1] == "start failed", "\(name) says why")
            #expect(pair.nodes[name]!.blocked[TwoNodes.home1] != nil)
            #expect(!pair.nodes[name]!.inTransition)
        }
        #expect(pair.logs["node2"]!.contains { $0.hasPrefix("not starting \(TwoNodes.home1) here") } == false)

        // The administrator fixes node1 and runs cleanup there: node1 starts it.
        pair.failing = []
        pair.step("node1") { n, now in (try? n.cleanup(TwoNodes.home1, now: now).get()) ?? [] }
        pair.settle()
        #expect(pair.held("node1") == [TwoNodes.home1])
        #expect(pair.nodes["node1"]!.failed.isEmpty && pair.nodes["node1"]!.blocked.isEmpty)
        #expect(pair.sent["node1"]!.last?.type == "resource", "node1 tells node2 it holds the group")
        #expect(pair.nodes["node2"]!.peerHolds(TwoNodes.home1))
    }

    @Test func aStandbyWhoseTakeoverFailsOnThePeerComesBack() {
        var pair = TwoNodes()
        pair.startTogether()
        pair.failingOn["node2"] = [TwoNodes.home1]
        pair.step("node1") { n, now in (try? n.standby(.local, now: now).get()) ?? [] }
        pair.settle()
        #expect(pair.held("node1") == [TwoNodes.home1], "node2 could not start it: it is back on node1")
        #expect(pair.held("node2") == [TwoNodes.home2])
        #expect(pair.nodes["node2"]!.blocked[TwoNodes.home1] != nil)
        #expect(pair.operations.suffix(3) == ["node1 -\(TwoNodes.home1)", "node2 +\(TwoNodes.home1)", "node1 +\(TwoNodes.home1)"])
    }

    @Test func aFailedTakeoverWithThePeerDeadWaitsForThePeer() {
        var pair = TwoNodes()
        pair.startTogether()
        pair.failingOn["node2"] = [TwoNodes.home1]
        pair.killNode1()
        #expect(pair.held("node2") == [TwoNodes.home2])
        #expect(pair.nodes["node2"]!.offers == [TwoNodes.home1])
        // node1 comes back and takes its own group, which nobody holds.
        pair.restartNode1()
        #expect(pair.held("node1") == [TwoNodes.home1])
        #expect(pair.nodes["node2"]!.offers.isEmpty, "no offer once node1 holds it")
    }

    @Test func thePeersDeathClearsTheBlocksSoTheSurvivorTriesEverything() {
        var pair = TwoNodes()
        pair.failing = [TwoNodes.home1]
        pair.startTogether()
        pair.failing = []
        pair.killNode1()
        #expect(pair.held("node2") == [TwoNodes.home1, TwoNodes.home2])
        #expect(pair.nodes["node2"]!.blocked.isEmpty)
    }

    @Test func aHandOverReleasesHereAndThePeerAcquires() {
        var pair = TwoNodes()
        pair.startTogether()
        pair.step("node1") { $0.handOver(TwoNodes.home1, reason: "monitor failed 3 times", now: $1) }
        pair.settle()
        #expect(pair.held("node1").isEmpty)
        #expect(pair.held("node2") == [TwoNodes.home1, TwoNodes.home2])
        #expect(pair.nodes["node1"]!.blocked[TwoNodes.home1] == "monitor failed 3 times")
        // Alone, there is nobody to hand to: nothing happens, the caller restarts it instead.
        var alone = ResourceNegotiation(localNode: "node1", nodes: ["node1", "node2"], autoFailback: .on, groups: TwoNodes.groups)
        _ = alone.peerDied(now: 0, reason: "initdead")
        _ = alone.communicationUp(now: 1)
        _ = alone.finished(.init(succeeded: [TwoNodes.home1, TwoNodes.home2]), now: 2)
        #expect(alone.handOver(TwoNodes.home1, reason: "x", now: 3).isEmpty)
        #expect(alone.blocked.isEmpty)
    }

    @Test func aRecoveryRestartsInPlaceAndAFailedOneHandsOver() {
        var pair = TwoNodes()
        pair.startTogether()
        pair.step("node1") { $0.recover(TwoNodes.home1, from: 0, reason: "monitor failed", now: $1) }
        #expect(pair.nodes["node1"]!.steadyGroups.isEmpty, "not steady while restarting")
        pair.settle()
        #expect(pair.held("node1") == [TwoNodes.home1])
        #expect(pair.operations.last == "node1 ~\(TwoNodes.home1)")
        #expect(pair.nodes["node1"]!.steadyGroups == [TwoNodes.home1])
        pair.failingOn["node1"] = [TwoNodes.home1]
        pair.step("node1") { $0.recover(TwoNodes.home1, from: 0, reason: "monitor failed", now: $1) }
        pair.settle()
        #expect(pair.held("node1").isEmpty)
        #expect(pair.held("node2") == [TwoNodes.home1, TwoNodes.home2])
    }

    @Test func anUnansweredOfferYieldsToALocalRestart() {
        var pair = TwoNodes()
        pair.startTogether()
        pair.linked = false  // node2 never hears the offer
        pair.step("node1") { $0.handOver(TwoNodes.home1, reason: "monitor failed 3 times", now: $1) }
        pair.settle()
        #expect(pair.nodes["node1"]!.inTransition, "waiting for node2's answer")
        pair.now += ResourceNegotiation.standbyReplyTimeoutMs + 1
        pair.step("node1") { $0.tick(now: $1) }
        // The offer stands, but a second hand-over finds it unanswered: the caller restarts here.
        #expect(pair.nodes["node1"]!.offers == [TwoNodes.home1])
        #expect(pair.nodes["node1"]!.handOver(TwoNodes.home1, reason: "again", now: pair.now).isEmpty)
        #expect(pair.held("node1") == [TwoNodes.home1])
    }

    @Test func cleanupOfAnUnknownGroupIsRefused() {
        var pair = TwoNodes()
        pair.startTogether()
        var node1 = pair.nodes["node1"]!
        guard case .failure(let refusal) = node1.cleanup("nope", now: 5) else {
            Issue.record("cleanup of an unknown group accepted")
            return
        }
        #expect(refusal.description.contains("no group nope"))
    }
}
