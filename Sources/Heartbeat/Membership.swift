/// A node's status as heartbeat's messages carry it (`st=`).
public struct NodeStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The wire word.
    public let rawValue: String
    /// Creates a status from its wire word.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Sent in a node's first packet.
    public static let initial = NodeStatus(rawValue: "init")
    /// Heard, not yet past its initial dead time.
    public static let up = NodeStatus(rawValue: "up")
    /// Fully up: it has heard from every node or declared it dead.
    public static let active = NodeStatus(rawValue: "active")
    /// Not heard within its dead time.
    public static let dead = NodeStatus(rawValue: "dead")
    /// The wire word.
    public var description: String { rawValue }
}

/// One heartbeat as the membership sees it, after decoding and authentication.
public struct HeartbeatArrival: Hashable, Sendable {
    /// The sending node.
    public var node: String
    /// The medium it came in on, e.g. `ucast eth1 192.0.2.2`.
    public var medium: String
    /// The sender's status.
    public var status: NodeStatus
    /// The sender's generation (`hg`), bumped at every start.
    public var generation: UInt64
    /// The sender's sequence number (`seq`).
    public var sequence: UInt64
    /// The dead time the sender asks its peers to apply to it (`dt`), in ms; `nil` when absent or
    /// outside `Membership.peerDeadtimeRange`.
    public var deadtimeMs: Int?
    /// The sender's wall clock when it sent the packet (`ts`), in seconds since the epoch.
    public var timestamp: UInt64?

    /// Creates an arrival. A `deadtimeMs` outside `Membership.peerDeadtimeRange` is dropped, so
    /// a packet cannot make a peer immortal or overflow the clock arithmetic.
    public init(
        node: String, medium: String, status: NodeStatus, generation: UInt64, sequence: UInt64, deadtimeMs: Int? = nil,
        timestamp: UInt64? = nil
    ) {
        self.node = node
        self.medium = medium
        self.status = status
        self.generation = generation
        self.sequence = sequence
        self.deadtimeMs = deadtimeMs.flatMap { Membership.peerDeadtimeRange.contains($0) ? $0 : nil }
        self.timestamp = timestamp
    }
}

/// What changed, for the log and for the resource manager.
public enum MembershipEvent: Hashable, Sendable, CustomStringConvertible {
    /// Packets from the node arrive again on a medium.
    case linkUp(node: String, medium: String)
    /// No packets from the node on a medium for its dead time.
    case linkDead(node: String, medium: String)
    /// The node's status changed.
    case nodeStatus(node: String, status: NodeStatus)
    /// A heartbeat arrived later than warntime after the previous one.
    case lateHeartbeat(node: String, gapMs: Int)
    /// The node restarted: a higher generation.
    case nodeRestarted(node: String, generation: UInt64)
    /// A node declared dead talks again with the same generation: a partition healed.
    case returnedAfterPartition(node: String)
    /// Every node has been heard from or declared dead: the local node is active.
    case communicationUp
    /// Packets of the peer's track did not arrive (`from` and `to` arrived, those between did not);
    /// they are asked for again (`retransmitRequests`).
    case packetsLost(node: String, from: UInt64, to: UInt64)
    /// The peer's sequence numbers jumped past the gap heartbeat tolerates (packets lost, e.g.
    /// during a partition); the new track was taken once a second packet continued it.
    case sequenceJump(node: String, from: UInt64, to: UInt64)

    /// heartbeat-like wording.
    public var description: String {
        switch self {
        case .linkUp(let node, let medium): "Link \(node):\(medium) up."
        case .linkDead(let node, let medium): "Link \(node):\(medium) dead."
        case .nodeStatus(let node, let status):
            status == .dead ? "node \(node): is dead" : "Status update for node \(node): status \(status)"
        case .lateHeartbeat(let node, let gap): "Late heartbeat: Node \(node): interval \(gap) ms"
        case .nodeRestarted(let node, let generation): "heartbeat restart on node \(node) (generation \(generation))"
        case .returnedAfterPartition(let node): "node \(node): is returning after partition"
        case .communicationUp: "Comm_now_up(): updating status to active"
        case .packetsLost(let node, let from, let to):
            "\(to > from ? to - from - 1 : 0) lost packet(s) for [\(node)] [\(from):\(to)]; asking for them again"
        case .sequenceJump(let node, let from, let to):
            "\(to > from ? to - from - 1 : 0) lost packet(s) for [\(node)] [\(from):\(to)]: new sequence track confirmed by a second packet"
        }
    }
}

/// Why an arrival was not accepted.
public enum Rejection: Error, Hashable, Sendable {
    /// The sender is not in the `node` lines.
    case unknownNode
    /// An older generation than the sender's current one: a replay.
    case staleGeneration
    /// A sequence number already seen: the same packet over another medium, or a replay.
    case duplicate
    /// The first packet of a new track (first contact, a higher generation, or a sequence jump):
    /// held until a second packet continues it, so that one packet cannot take over the peer's
    /// sequence state.
    case unconfirmed
    /// A new track whose send time (`ts`) is too far from this node's clock, or missing: a replay
    /// of an old capture, or clocks that disagree (see `Membership.timestampTolerance`).
    case timestampOutOfRange
}

/// heartbeat's membership for the local node: per-node and per-link state from arrivals and the
/// passing of time (spec §4.5). Pure: the caller passes the monotonic time in every call, in
/// microseconds: a millisecond clock would declare a node dead up to a millisecond late (and the
/// daemon's sleep, rounded to milliseconds, another one), which at `deadtime 40ms` is 5 %.
public struct Membership: Sendable {
    /// Timing from ha.cf, in milliseconds.
    public struct Timing: Hashable, Sendable {
        /// The interval between heartbeats.
        public var keepaliveMs: Int
        /// Silence after which a node is dead.
        public var deadtimeMs: Int
        /// Silence after which a heartbeat is late.
        public var warntimeMs: Int
        /// The dead time applied until every node has been heard from or declared dead.
        public var initdeadMs: Int

        /// Creates timing values.
        public init(keepaliveMs: Int, deadtimeMs: Int, warntimeMs: Int, initdeadMs: Int) {
            self.keepaliveMs = keepaliveMs
            self.deadtimeMs = deadtimeMs
            self.warntimeMs = warntimeMs
            self.initdeadMs = initdeadMs
        }
    }

    /// What is known of one peer.
    public struct Peer: Hashable, Sendable {
        /// The peer's status as last seen or declared.
        public var status: NodeStatus = .initial
        /// When it was last heard (µs), if ever.
        public var lastHeard: Int64?
        /// Its generation: the one of its confirmed track, or the one remembered from an earlier
        /// run of this node (nothing older is accepted).
        public var generation: UInt64 = 0
        /// The highest sequence number accepted in this generation (or remembered).
        public var highestSequence: UInt64 = 0
        /// Whether a track (generation and sequence numbers) has been confirmed in this run.
        public var tracking = false
        /// The first packet of a track not yet confirmed: first contact, a restart or a jump.
        public var candidate: Candidate?
        /// Recently accepted sequence numbers, to drop copies from other media.
        public var recentSequences: Set<UInt64> = []
        /// When each medium last carried one of its packets (µs).
        public var links: [String: Int64] = [:]
        /// Media currently considered dead.
        public var deadLinks: Set<String> = []
        /// The dead time it asked for.
        public var deadtimeMs: Int?
        /// The highest sequence number of its current track this node has acknowledged
        /// (`NS_ackmsg`), 0 before the first.
        public var acknowledged: UInt64 = 0
        /// Sequence numbers skipped in its current track, asked for again (`NS_rexmit`) until
        /// they come, the peer says they are gone, or `retransmitTries` requests went unanswered.
        public var missing: [UInt64: MissingPacket] = [:]

        /// Whether an earlier run's record sets where its track stands, before one is confirmed in
        /// this run. A record may have generation 0 (a peer sending `hg=0`): the sequence tells it
        /// from a peer never heard of.
        var isRemembered: Bool { generation != 0 || highestSequence != 0 }
    }

    /// A packet of a peer's track that did not arrive (yet).
    public struct MissingPacket: Hashable, Sendable {
        /// When it was last asked for (µs), if it was.
        public var requestedAt: Int64?
        /// How often it was asked for.
        public var requests: Int = 0
    }

    /// A packet that would start a new track, waiting for a second one to continue it.
    public struct Candidate: Hashable, Sendable {
        /// Its generation.
        public var generation: UInt64
        /// Its sequence number.
        public var sequence: UInt64
        /// When it arrived (µs).
        public var heardAt: Int64
    }

    /// What an earlier run of this node knew of a peer: nothing older is accepted from it.
    public struct Remembered: Hashable, Sendable {
        /// The peer's generation.
        public var generation: UInt64
        /// The highest sequence number accepted in that generation.
        public var sequence: UInt64

        /// Creates a record.
        public init(generation: UInt64, sequence: UInt64) {
            self.generation = generation
            self.sequence = sequence
        }
    }

    /// The timing in force.
    public let timing: Timing
    /// This node.
    public let localNode: String
    /// Every node of ha.cf's `node` lines, in their order.
    public let nodes: [String]
    /// The local node's status.
    public private(set) var localStatus: NodeStatus = .up
    /// The peers by name.
    public private(set) var peers: [String: Peer]
    /// When the local node started (µs).
    public let startedAt: Int64
    /// Missing packets that came after all (retransmitted on request, or late).
    public private(set) var recoveredPackets = 0
    /// Events found while dropping a packet, reported by the next `tick`.
    private var deferred: [MembershipEvent] = []
    /// How many sequence numbers of the past are remembered per peer.
    public static let sequenceWindow: UInt64 = 256
    /// The largest forward step of sequence numbers taken without confirmation (heartbeat's
    /// SEQGAP): a larger one starts a candidate track that a second packet must continue.
    public static let sequenceGap: UInt64 = 100
    /// How far (s) a new track's send time may be from this node's clock. Old captures replayed
    /// after a restart are refused; nodes whose clocks differ by more cannot join (the log says so).
    public static let timestampTolerance: UInt64 = 120
    /// The dead times (ms) a peer may ask for with `dt`: 1 ms to 1 day.
    public static let peerDeadtimeRange = 1...86_400_000

    /// Creates the membership of `localNode` among `nodes`, started at `now` (µs); `remembered`
    /// holds what an earlier run knew of the peers (see `Remembered`).
    public init(localNode: String, nodes: [String], timing: Timing, now: Int64, remembered: [String: Remembered] = [:]) {
        self.timing = timing
        self.localNode = localNode
        self.nodes = nodes
        startedAt = now
        peers = Dictionary(uniqueKeysWithValues: nodes.filter { $0 != localNode }.map { name in
            var peer = Peer()
            if let record = remembered[name] {
                peer.generation = record.generation
                peer.highestSequence = record.sequence
            }
            return (name, peer)
        })
    }

    /// Whether every peer has been heard from or declared dead.
    public var communicationIsUp: Bool { localStatus == .active }

    /// What to remember of each peer with a confirmed track, for the next run.
    public var remembered: [String: Remembered] {
        peers.filter { $0.value.tracking || $0.value.isRemembered }
            .mapValues { Remembered(generation: $0.generation, sequence: $0.highestSequence) }
    }

    /// Takes one authenticated heartbeat into account. `wallClock` is this node's time in seconds
    /// since the epoch; with it, a new track is only taken from a packet whose `ts` is within
    /// `timestampTolerance` of it.
    ///
    /// Sequence rules (heartbeat's, hardened so that no single packet can poison the state): an
    /// older generation is refused; within the confirmed track, a number seen recently or more than
    /// `sequenceWindow` behind the highest is a duplicate; anything that would start a new track —
    /// the first packet heard, a higher generation, a step of more than `sequenceGap` — is held
    /// as a candidate and taken only when a second packet continues it within the silence limit,
    /// and only once the old track has fallen silent (`trackIsQuiet`). Until then the old track goes
    /// on being accepted.
    public mutating func receive(_ arrival: HeartbeatArrival, now: Int64, wallClock: UInt64? = nil) -> Result<[MembershipEvent], Rejection> {
        guard var peer = peers[arrival.node] else { return .failure(.unknownNode) }
        var events: [MembershipEvent] = []
        let sequence = arrival.sequence
        if arrival.generation < peer.generation { return .failure(.staleGeneration) }
        let sameGeneration = arrival.generation == peer.generation
        if sameGeneration && peer.tracking {
            if peer.recentSequences.contains(sequence) {
                // A copy of a packet already taken from another medium is dropped, but it proves that
                // its medium carries the peer's packets: heartbeat refreshes a link on every packet read
                // on it. Without this, the medium that loses the race every time (a slower path, or one
                // read second) would be declared dead while it works. Its link-up comes with the next tick.
                if Self.refreshLink(&peer, medium: arrival.medium, now: now) {
                    deferred.append(.linkUp(node: arrival.node, medium: arrival.medium))
                }
                peers[arrival.node] = peer
                return .failure(.duplicate)
            }
            if sequence < peer.highestSequence && peer.highestSequence - sequence >= Self.sequenceWindow {
                return .failure(.duplicate)
            }
        } else if sameGeneration && sequence <= peer.highestSequence && peer.isRemembered {
            // Remembered from an earlier run: not past what was accepted then, so a replay.
            return .failure(.duplicate)
        }
        let continuesTrack = peer.tracking && sameGeneration
            && (sequence <= peer.highestSequence || sequence - peer.highestSequence <= Self.sequenceGap)
        if !continuesTrack {
            if let wallClock {
                guard let sent = arrival.timestamp, Self.distance(sent, wallClock) <= Self.timestampTolerance else {
                    return .failure(.timestampOutOfRange)
                }
            }
            guard let candidate = peer.candidate, candidate.generation == arrival.generation,
                sequence > candidate.sequence, sequence - candidate.sequence <= Self.sequenceGap,
                now - candidate.heardAt <= silenceLimit(peer), trackIsQuiet(peer, now: now)
            else {
                if peer.candidate?.generation != arrival.generation || peer.candidate?.sequence != sequence {
                    peer.candidate = Candidate(generation: arrival.generation, sequence: sequence, heardAt: now)
                }
                peers[arrival.node] = peer
                return .failure(.unconfirmed)
            }
            if peer.tracking && !sameGeneration {
                events.append(.nodeRestarted(node: arrival.node, generation: arrival.generation))
            } else if peer.tracking {
                events.append(.sequenceJump(node: arrival.node, from: peer.highestSequence, to: candidate.sequence))
                if peer.status == .dead && peer.lastHeard != nil { events.append(.returnedAfterPartition(node: arrival.node)) }
            }
            peer.generation = arrival.generation
            peer.highestSequence = candidate.sequence
            peer.acknowledged = 0
            peer.missing = [:]
            peer.recentSequences = [candidate.sequence]
            peer.candidate = nil
            peer.tracking = true
        } else if peer.status == .dead && peer.lastHeard != nil {
            events.append(.returnedAfterPartition(node: arrival.node))
        }
        // A gap within the track is asked for again, as heartbeat does; a packet older than the
        // highest is one of those coming late (or retransmitted): it proves the peer alive, but
        // its status is older than the one already taken.
        let previous = peer.highestSequence
        let late = sequence < previous
        if late {
            if peer.missing.removeValue(forKey: sequence) != nil { recoveredPackets += 1 }
        } else if sequence > previous &+ 1, sequence - previous <= Self.sequenceGap &+ 1 {
            for lost in (previous + 1)..<sequence where peer.missing.count < Int(Self.sequenceGap) {
                peer.missing[lost] = MissingPacket()
            }
            events.append(.packetsLost(node: arrival.node, from: previous, to: sequence))
        }
        peer.recentSequences.insert(sequence)
        peer.highestSequence = max(peer.highestSequence, sequence)
        let highest = peer.highestSequence
        peer.recentSequences = peer.recentSequences.filter { highest - $0 < Self.sequenceWindow }

        if let last = peer.lastHeard, now - last > Self.microseconds(timing.warntimeMs), peer.status != .dead {
            events.append(.lateHeartbeat(node: arrival.node, gapMs: Int((now - last) / 1000)))
        }
        if Self.refreshLink(&peer, medium: arrival.medium, now: now) {
            events.append(.linkUp(node: arrival.node, medium: arrival.medium))
        }
        peer.lastHeard = now
        if late {
            peers[arrival.node] = peer
            return .success(events)
        }
        peer.deadtimeMs = arrival.deadtimeMs
        let status = arrival.status == .initial ? NodeStatus.up : arrival.status
        if status != peer.status {
            peer.status = status
            events.append(.nodeStatus(node: arrival.node, status: status))
        }
        peers[arrival.node] = peer
        events += settleCommunication()
        return .success(events)
    }

    private static func distance(_ a: UInt64, _ b: UInt64) -> UInt64 { a > b ? a - b : b - a }

    // MARK: heartbeat's protocol replies

    /// The `protocol` value of this node's status messages: heartbeat 3.0.6's PROTOCOL_VERSION.
    /// With it, a heartbeat peer keeps its flow control on (it expects `NS_ackmsg`, see
    /// `acknowledgement(for:)`) and, at comm up, asks for the node list (`t=reqnodes`, answered by
    /// `nodeListReply(to:)`). Without it the peer turns flow control off, but only once it has
    /// processed one of our status messages: when its own status comes back to it first it has
    /// already sent `reqnodes`, and waits for the answer before its Comm_now_up (issue 15).
    public static let protocolVersion = "1"

    /// How many of a peer's messages heartbeat acknowledges at once (its ACK_MSG_DIV).
    public static let acknowledgementInterval: UInt64 = 10

    /// The body of this node's heartbeat: `t=status st=<local status> dt=<deadtime, hex ms>
    /// protocol=1`, in heartbeat's field order.
    public func statusMessage() -> HeartbeatMessage {
        var body = HeartbeatMessage(["t": "status"])
        body.append("st", localStatus.rawValue)
        body.append("dt", String(timing.deadtimeMs, radix: 16))
        body.append("protocol", Self.protocolVersion)
        return body
    }

    /// heartbeat's answer to `t=reqnodes` from `requester`: `t=repnodes` addressed to it, with
    /// `nodelist` (every configured node, each followed by a space, as heartbeat writes it) and
    /// `delnodelist` (the deleted nodes; heartbeat-lite deletes none, which heartbeat writes as one
    /// space). The requester's Comm_now_up waits for it.
    public func nodeListReply(to requester: String) -> HeartbeatMessage {
        var reply = HeartbeatMessage(["t": "repnodes"])
        reply.append("dest", requester)
        reply.append("nodelist", nodes.map { "\($0) " }.joined())
        reply.append("delnodelist", " ")
        return reply
    }

    /// How often a missing packet is asked for (ms): heartbeat's default max_rexmit_delay.
    public static let retransmitIntervalMs: Int64 = 250
    /// How many requests for one packet go unanswered before it is given up (heartbeat asks for
    /// ever; a peer that cannot answer, such as an older heartbeat-lite, is not flooded).
    public static let retransmitTries = 10

    /// The retransmission requests due at `now` (µs): `t=NS_rexmit dest=<peer> firstseq=<n>
    /// lastseq=<n>`, one per missing packet (decimal, as heartbeat 3 writes them), each at most
    /// every `retransmitIntervalMs`, to live peers only.
    public mutating func retransmitRequests(now: Int64) -> [HeartbeatMessage] {
        var requests: [HeartbeatMessage] = []
        for name in peers.keys.sorted() {
            guard var peer = peers[name], peer.status != .dead, !peer.missing.isEmpty else { continue }
            for sequence in peer.missing.keys.sorted() {
                guard var entry = peer.missing[sequence] else { continue }
                if let asked = entry.requestedAt, now - asked < Self.microseconds(Int(Self.retransmitIntervalMs)) { continue }
                guard entry.requests < Self.retransmitTries else {
                    peer.missing[sequence] = nil
                    continue
                }
                entry.requests += 1
                entry.requestedAt = now
                peer.missing[sequence] = entry
                var request = HeartbeatMessage(["t": "NS_rexmit"])
                request.append("dest", name)
                request.append("firstseq", String(sequence))
                request.append("lastseq", String(sequence))
                requests.append(request)
            }
            peers[name] = peer
        }
        return requests
    }

    /// The peer says a packet it was asked for is gone (`t=NS_nak_rexmit firstseq=<hex>`): it is
    /// not asked for again. Returns its sequence number when it was missing.
    public mutating func retransmitRefused(_ nak: HeartbeatMessage, from node: String) -> UInt64? {
        guard var peer = peers[node], let sequence = nak["firstseq"].flatMap({ UInt64($0, radix: 16) }),
            peer.missing.removeValue(forKey: sequence) != nil
        else { return nil }
        peers[node] = peer
        return sequence
    }

    /// The `NS_ackmsg` due to `node` after an accepted packet, if any: heartbeat's flow control
    /// holds a sender's messages until each live peer acknowledges them, and pauses its clients
    /// (hb_standby among them) when too many are unacknowledged. One acknowledgement per
    /// `acknowledgementInterval` messages, of the highest sequence number taken with none missing
    /// below it, as heartbeat does: the peer ignores requests for what was acknowledged.
    public mutating func acknowledgement(for node: String) -> HeartbeatMessage? {
        guard var peer = peers[node], peer.tracking else { return nil }
        let complete = peer.missing.keys.min().map { min(peer.highestSequence, $0 &- 1) } ?? peer.highestSequence
        guard complete >= peer.acknowledged &+ Self.acknowledgementInterval else { return nil }
        peer.acknowledged = complete
        peers[node] = peer
        var ack = HeartbeatMessage(["t": "NS_ackmsg"])
        ack.append("dest", node)
        ack.append("ackseq", String(complete, radix: 16))
        return ack
    }

    /// Notes that a medium carried a packet of the peer; returns whether the link came up.
    private static func refreshLink(_ peer: inout Peer, medium: String, now: Int64) -> Bool {
        let cameUp = peer.links[medium] == nil || peer.deadLinks.contains(medium)
        peer.deadLinks.remove(medium)
        peer.links[medium] = now
        return cameUp
    }

    /// Declares silent links and nodes dead as time passes (and reports links that came up
    /// through a copy of a packet).
    public mutating func tick(now: Int64) -> [MembershipEvent] {
        var events = deferred
        deferred = []
        for name in peers.keys.sorted() {
            guard var peer = peers[name] else { continue }
            let limit = silenceLimit(peer)
            for (medium, heard) in peer.links.sorted(by: { $0.key < $1.key })
            where !peer.deadLinks.contains(medium) && now - heard > limit {
                peer.deadLinks.insert(medium)
                events.append(.linkDead(node: name, medium: medium))
            }
            let since = peer.lastHeard ?? startedAt
            if peer.status != .dead && now - since > limit {
                peer.status = .dead
                events.append(.nodeStatus(node: name, status: .dead))
            }
            peers[name] = peer
        }
        return events + settleCommunication()
    }

    /// The earliest time (µs) at which `tick` may declare a link or a node dead, if any can die:
    /// the daemon sleeps until then (or the next packet) instead of polling.
    public func nextDeadline() -> Int64? {
        var earliest: Int64?
        for peer in peers.values {
            let limit = silenceLimit(peer)
            var times: [Int64] = peer.links.filter { !peer.deadLinks.contains($0.key) }.map { $0.value &+ limit &+ 1 }
            if peer.status != .dead { times.append((peer.lastHeard ?? startedAt) &+ limit &+ 1) }
            for time in times where earliest.map({ time < $0 }) ?? true { earliest = time }
        }
        return earliest
    }

    /// The silence (µs) after which `peer` is dead: its own dead time once communication is up,
    /// initdead before.
    /// Whether the peer's confirmed track has fallen silent, so that a new one may replace it. A
    /// peer that really restarted or whose numbers really jumped (packets lost in a partition)
    /// stopped sending on the old track; while the old track goes on, two packets that agree with
    /// each other are somebody else's (a replay, or a sender holding the key), however well they
    /// agree. Silent means: nothing taken on it for two keepalives (at least 200 ms).
    private func trackIsQuiet(_ peer: Peer, now: Int64) -> Bool {
        guard peer.tracking, peer.status != .dead, let last = peer.lastHeard else { return true }
        return now - last >= Self.microseconds(max(2 * timing.keepaliveMs, 200))
    }

    private func silenceLimit(_ peer: Peer) -> Int64 {
        Self.microseconds(communicationIsUp ? (peer.deadtimeMs ?? timing.deadtimeMs) : timing.initdeadMs)
    }

    /// Milliseconds as microseconds, saturating (the inputs are bounded: ha.cf times and
    /// `peerDeadtimeRange`).
    private static func microseconds(_ milliseconds: Int) -> Int64 {
        let (product, overflow) = Int64(milliseconds).multipliedReportingOverflow(by: 1000)
        return overflow ? (milliseconds < 0 ? Int64.min : Int64.max) : product
    }

    /// The local node becomes active once every peer is heard from or dead.
    private mutating func settleCommunication() -> [MembershipEvent] {
        guard localStatus != .active, peers.values.allSatisfy({ $0.lastHeard != nil || $0.status == .dead }) else {
            return []
        }
        localStatus = .active
        return [.communicationUp]
    }
}
