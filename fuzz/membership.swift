// The membership and resource negotiation state machines (Membership, ResourceNegotiation) driven
// as heartbeat-lite drives them, by a script read from the fuzz bytes: authenticated packets from
// the peer (or an unknown node) with chosen node, medium, generation, sequence, dt, ts, type and
// resource fields; the passing of time; group operations finishing (or failing); standby,
// takeover and shutdown commands.
//
// Checked after every step: group operations run one at a time, an acquire never names a held
// group and a release only held ones; a peer's generation and sequence never go back and recent
// sequence numbers stay within the window; communication, once up, stays up; and once settled
// (stable, nothing in transition), no group whose home is the peer is held here while the peer
// says it holds it (unless the peer announced its shutdown: then it releases its copy).
import Glibc
import Heartbeat

/// FUZZ_TRACE=1 prints the state after every step (to read a crash's input).
let tracing = getenv("FUZZ_TRACE") != nil

/// The fuzz bytes as a stream of choices; zeros once used up.
struct Script {
    var bytes: ArraySlice<UInt8>
    var isEmpty: Bool { bytes.isEmpty }
    mutating func byte() -> UInt8 { bytes.popFirst() ?? 0 }
    mutating func number(_ count: Int) -> UInt64 { (0..<count).reduce(0) { value, _ in value << 8 | UInt64(byte()) } }
    mutating func pick<T>(_ choices: [T]) -> T { choices[Int(byte()) % choices.count] }
}

struct Cluster {
    static let local = "node1"
    static let peer = "node2"
    static let wallBase: UInt64 = 1_800_000_000
    static let media = ["ucast eth1 192.0.2.2", "bcast eth2", "mcast eth3 233.252.0.1"]
    static let groups = [
        ResourceGroup(node: "node1", resources: [HaResource(token: "192.0.2.10", script: "IPaddr", arguments: ["192.0.2.10"], kind: .script)], line: 1),
        ResourceGroup(node: "node2", resources: [HaResource(token: "192.0.2.20", script: "IPaddr", arguments: ["192.0.2.20"], kind: .script)], line: 2),
        ResourceGroup(node: "node1", resources: [HaResource(token: "httpd", script: "httpd", arguments: [], kind: .script)], line: 3),
    ]

    var membership: Membership
    var negotiation: ResourceNegotiation
    let startUs: Int64
    var nowUs: Int64
    /// The group operation under way: acquire or release, and its groups.
    var operation: (acquire: Bool, groups: [String])?
    var shutdownDone = false
    /// Sequenced messages into the membership, as the daemon takes them.
    var intake = SequencedIntake()
    /// The peer's track as last seen, to check it never goes back.
    var lastTrack: (generation: UInt64, sequence: UInt64) = (0, 0)
    var communicationWasUp = false
    /// The peer's last resource message was its shutdown notice: it releases what it holds, so
    /// this side keeps its copies.
    var peerShuttingDown = false

    init(_ script: inout Script) {
        let timings = [
            Membership.Timing(keepaliveMs: 100, deadtimeMs: 500, warntimeMs: 300, initdeadMs: 1000),
            Membership.Timing(keepaliveMs: 2000, deadtimeMs: 30000, warntimeMs: 10000, initdeadMs: 120_000),
            Membership.Timing(keepaliveMs: 1, deadtimeMs: 3, warntimeMs: 2, initdeadMs: 3),
        ]
        let timing = script.pick(timings)
        let failback = script.pick(AutoFailback.allCases)
        startUs = script.pick([0, 5_000_000_000_000, 1])
        nowUs = startUs
        var remembered: [String: Membership.Remembered] = [:]
        if script.byte() & 1 == 1 {
            remembered[Self.peer] = .init(generation: script.number(2), sequence: script.number(2))
        }
        membership = Membership(
            localNode: Self.local, nodes: [Self.local, Self.peer], timing: timing, now: startUs, remembered: remembered)
        negotiation = ResourceNegotiation(
            localNode: Self.local, nodes: [Self.local, Self.peer], autoFailback: failback, groups: Self.groups)
        lastTrack = (remembered[Self.peer]?.generation ?? 0, remembered[Self.peer]?.sequence ?? 0)
    }

    var nowMs: Int64 { nowUs / 1000 }

    // MARK: Steps

    mutating func step(_ script: inout Script) {
        switch script.byte() % 8 {
        case 0, 1, 2: packet(&script)
        case 3:
            let delta: Int64 = switch script.byte() % 3 {
            case 0: Int64(script.byte()) * 1000
            case 1: Int64(script.number(2)) * 1000
            default: Int64(script.number(4)) * 1000
            }
            nowUs += delta
            tick()
        case 4, 5: finishOperation(&script)
        case 6:
            let set = script.pick(HoldSet.allCases)
            let result = script.byte() & 1 == 0 ? negotiation.standby(set, now: nowMs) : negotiation.takeover(set, now: nowMs)
            if case .success(let effects) = result { apply(effects) }
        default:
            if script.byte() % 8 == 0 { apply(negotiation.shutdown(now: nowMs)) } else { tick() }
        }
        if tracing {
            let peer = membership.peers[Self.peer]
            print(
                "t=\(nowMs)ms phase=\(negotiation.phase) held=\(negotiation.held.sorted()) peerAlive=\(negotiation.peerAlive)",
                "peerHolds=\(negotiation.peerHolds) peer=\(peer?.status.rawValue ?? "-") hg=\(peer?.generation ?? 0)",
                "seq=\(peer?.highestSequence ?? 0) operation=\(operation.map { "\($0)" } ?? "-")",
                "last: \(negotiation.transitions.last?.text ?? "")")
            fflush(stdout)
        }
        check()
    }

    mutating func tick() {
        handle(membership.tick(now: nowUs))
        apply(negotiation.tick(now: nowMs))
    }

    mutating func finishOperation(_ script: inout Script) {
        guard let running = operation else { return }
        operation = nil
        let mode = script.byte()
        var outcome = ResourceNegotiation.Outcome(succeeded: [])
        for (index, key) in running.groups.enumerated() {
            if mode == 0 || (mode & 0x80 != 0 && (mode >> (index % 7)) & 1 == 1) {
                outcome.failed[key] = "exit code 1"
            } else {
                outcome.succeeded.append(key)
            }
        }
        apply(negotiation.finished(outcome, now: nowMs))
    }

    /// One packet, as FailoverDaemon.receive takes it once decoded and authenticated.
    mutating func packet(_ script: inout Script) {
        let source = script.pick([Self.peer, Self.peer, Self.peer, "node3", Self.local])
        let medium = script.pick(Self.media)
        let type = script.pick([
            "status", "status", "status", "starting", "resource", "ask_resources", "hb_takeover", "ip-request",
            "ip-request-resp", "shutdone", "NS_st", "other",
        ])
        var message = HeartbeatMessage(["t": type])
        let flags = script.byte()
        if type == "status" {
            message.append("st", script.pick(["up", "active", "init", "dead", "other"]))
            if flags & 1 != 0 { message.append("dt", String(script.number(script.pick([1, 2, 4, 8])), radix: 16)) }
        }
        if flags & 2 != 0 { message.append("rsc_hold", script.pick(HoldSet.allCases.map(\.rawValue) + ["", "bogus"])) }
        if flags & 4 != 0 { message.append("isstable", script.pick(["0", "1", "yes"])) }
        if flags & 8 != 0 {
            message.append("info", script.pick(["me", "other", "done", "stable", "shutdown", "partition", "partition-reply", "mach_down", "x"]))
        }
        if flags & 16 != 0 { message.append("ipaddr", script.pick(Self.groups.map(\.key) + ["192.0.2.99", ""])) }
        if flags & 32 != 0 { message.append("ok", script.pick(["OK", "no"])) }
        if flags & 64 != 0 { message.append("dest", script.pick([Self.local, Self.peer, "node3"])) }
        message.append("src", source)
        // Generation and sequence: the peer's own track, a step or a jump from it, or any value.
        let peer = membership.peers[Self.peer]
        let generation: UInt64 = switch script.byte() % 6 {
        case 0, 1, 2: peer?.generation ?? 0
        case 3: (peer?.generation ?? 0) &+ 1
        case 4: (peer?.generation ?? 0) &- 1
        default: script.number(8)
        }
        let sequence: UInt64 = switch script.byte() % 6 {
        case 0, 1, 2: (peer?.highestSequence ?? 0) &+ 1
        case 3: (peer?.highestSequence ?? 0) &+ script.number(1)
        case 4: (peer?.highestSequence ?? 0) &- script.number(1)
        default: script.number(8)
        }
        message.append("seq", String(sequence, radix: 16))
        message.append("hg", String(generation, radix: 16))
        let wall = Self.wallBase + UInt64(nowUs - startUs) / 1_000_000
        switch script.byte() % 4 {
        case 0, 1: message.append("ts", String(wall, radix: 16))
        case 2: message.append("ts", String(wall &+ script.number(1) &- 128, radix: 16))
        default: if flags & 128 != 0 { message.append("ts", String(script.number(8), radix: 16)) }
        }
        receive(message, medium: medium, wallClock: wall)
    }

    /// The daemon's handling of an authenticated message (FailoverDaemon.receive), through the
    /// same SequencedIntake.
    mutating func receive(_ message: HeartbeatMessage, medium: String, wallClock: UInt64) {
        guard let source = message["src"], source != Self.local else { return }
        if let destination = message["dest"], destination != Self.local { return }
        if tracing { print("packet", message.fields.map(\.description).joined(separator: " ")) }
        guard case .accepted(let events, let confirmed) = intake.take(
            message, from: source, medium: medium, into: &membership, now: nowUs, wallClock: wallClock)
        else { return }
        handle(events)
        if let confirmed { deliver(confirmed) }
        // The daemon's protocol replies: acknowledgements never past a missing packet, and
        // retransmission requests for live peers only, each for a missing number.
        if let ack = membership.acknowledgement(for: source), let peer = membership.peers[source],
            let acked = ack["ackseq"].flatMap({ UInt64($0, radix: 16) })
        {
            precondition(acked <= peer.highestSequence, "acknowledged \(acked) beyond \(peer.highestSequence)")
            precondition(peer.missing.keys.allSatisfy { $0 > acked }, "acknowledged past a missing packet")
        }
        for request in membership.retransmitRequests(now: nowUs) {
            precondition(request["firstseq"].flatMap { UInt64($0) }.map { $0 > 0 } == true, "bad rexmit request \(request)")
        }
        if message.type != "status" { deliver(message) }
    }

    mutating func deliver(_ message: HeartbeatMessage) {
        if message.type == "resource" { peerShuttingDown = message["info"] == "shutdown" }
        apply(negotiation.receive(message, now: nowMs))
    }

    /// Membership events as the daemon passes them on (FailoverDaemon.handle).
    mutating func handle(_ events: [MembershipEvent]) {
        for event in events {
            _ = event.description
            switch event {
            case .nodeStatus(Self.peer, let status):
                apply(status == .dead
                    ? negotiation.peerDied(now: nowMs, reason: "no heartbeat for its dead time")
                    : negotiation.peerUp(restarted: false, now: nowMs))
            case .nodeRestarted(Self.peer, _):
                peerShuttingDown = false
                apply(negotiation.peerUp(restarted: true, now: nowMs))
            case .returnedAfterPartition(Self.peer): apply(negotiation.peerReturnedAfterPartition(now: nowMs))
            case .communicationUp: apply(negotiation.communicationUp(now: nowMs))
            default: break
            }
        }
    }

    /// Carries out effects as the daemon does (FailoverDaemon.apply); an empty operation ends at once.
    mutating func apply(_ effects: [ResourceNegotiation.Effect]) {
        for effect in effects {
            switch effect {
            case .acquire(let keys, _), .release(let keys, _):
                let acquire = if case .acquire = effect { true } else { false }
                precondition(operation == nil, "a group operation starts while \(operation!) runs")
                for key in keys {
                    precondition(negotiation.held.contains(key) != acquire, "\(acquire ? "acquire of held" : "release of unheld") \(key)")
                }
                if keys.isEmpty {
                    apply(negotiation.finished(.init(succeeded: []), now: nowMs))
                } else {
                    operation = (acquire, keys)
                }
            case .recover(let key, _, _):
                // Health monitoring's restart of a held group (not driven here yet), reported with finished.
                precondition(operation == nil, "a recovery starts while \(operation!) runs")
                precondition(negotiation.held.contains(key), "recovery of unheld \(key)")
                operation = (true, [key])
            case .shutdownComplete:
                precondition(negotiation.phase == .stopped, "shutdown complete in phase \(negotiation.phase)")
                shutdownDone = true
            case .send(let body):
                precondition(body.type != nil, "a message without a type")
            case .log(_, let text):
                _ = text
            }
        }
    }

    // MARK: Invariants

    mutating func check() {
        if let peer = membership.peers[Self.peer] {
            precondition(peer.generation >= lastTrack.generation, "the peer's generation went back")
            if peer.generation == lastTrack.generation {
                precondition(peer.highestSequence >= lastTrack.sequence, "the peer's sequence went back")
            }
            lastTrack = (peer.generation, peer.highestSequence)
            precondition(
                peer.recentSequences.allSatisfy { $0 <= peer.highestSequence && peer.highestSequence - $0 < Membership.sequenceWindow },
                "recent sequence numbers outside the window")
        }
        precondition(!communicationWasUp || membership.communicationIsUp, "communication went down again")
        communicationWasUp = membership.communicationIsUp
        _ = membership.nextDeadline()
        let keys = Set(Self.groups.map(\.key))
        precondition(negotiation.held.isSubset(of: keys), "a held group that haresources does not name")
        precondition(negotiation.transitions.count <= 32)
        if !negotiation.peerAlive { peerShuttingDown = false }
        if negotiation.phase == .stable, !negotiation.inTransition, negotiation.peerAlive, operation == nil, !peerShuttingDown {
            for key in negotiation.groups(local: false) where negotiation.held.contains(key) {
                precondition(!negotiation.peerHolds(key), "settled with \(key) held here and by its home node")
            }
        }
        _ = negotiation.claims
        _ = negotiation.holds
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var script = Script(bytes: Array(UnsafeBufferPointer(start: data, count: size))[...])
    var cluster = Cluster(&script)
    var steps = 0
    while !script.isEmpty && steps < 2000 {
        cluster.step(&script)
        steps += 1
    }
    return 0
}
