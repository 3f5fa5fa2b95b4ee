/// Who runs which resource group, negotiated with the peer through heartbeat's own resource
/// messages (spec §4.6): `t=starting`, `t=resource rsc_hold=… isstable=…`, `t=ask_resources`
/// (standby), `t=hb_takeover`, `t=ip-request`/`ip-request-resp` (auto_failback legacy) and the
/// shutdown notice (`t=resource info=shutdown`, then `t=shutdone`).
///
/// Pure: the daemon feeds it membership changes, peer messages, commands, finished group
/// operations and the passing of (monotonic) time, and carries out the effects it returns. Group
/// operations run one at a time, in the order they were decided, so a group is never started and
/// stopped at once; a group is counted as held only once its whole start succeeded.
public struct ResourceNegotiation: Sendable {
    /// Where the local node is in heartbeat's resource life cycle.
    public enum Phase: String, Sendable {
        /// Waiting for communication with every node (initdead).
        case waiting
        /// `t=starting` sent; waiting for the peer to say what it holds.
        case starting
        /// Local groups settled; standby, takeover and failback may run.
        case stable
        /// Releasing everything before exit.
        case shuttingDown
        /// Everything released; the daemon may exit.
        case stopped
    }

    /// How serious a log line is.
    public enum Severity: String, Hashable, Sendable {
        case info, warning, error
    }

    /// Something for the daemon to do.
    public enum Effect: Hashable, Sendable {
        /// Send a message body to the peer (the daemon stamps, signs and sends it on every medium).
        case send(HeartbeatMessage)
        /// Start these groups (haresources order), each all or nothing; report with `finished`.
        case acquire([String], reason: String)
        /// Stop these groups (reverse haresources order); report with `finished`.
        case release([String], reason: String)
        /// Restart a held group from its resource at `from` (0-based): stop that resource and those
        /// after it (reverse order), then start them again; a start that fails stops the whole
        /// group. Report with `finished`: succeeded means the group runs again.
        case recover(String, from: Int, reason: String)
        /// Log a line.
        case log(Severity, String)
        /// Everything is released: the daemon may exit.
        case shutdownComplete
    }

    /// What a finished group operation did.
    public struct Outcome: Hashable, Sendable {
        /// Groups whose start (or stop) succeeded.
        public var succeeded: [String]
        /// Groups whose start (or stop) failed, with the reason.
        public var failed: [String: String]

        /// Creates an outcome.
        public init(succeeded: [String], failed: [String: String] = [:]) {
            self.succeeded = succeeded
            self.failed = failed
        }
    }

    /// How the administrator's last `standby` went (see `standby(_:now:)`), for the command to
    /// return only once the peer holds the set, or to say that it does not.
    public enum StandbyProgress: Hashable, Sendable {
        /// No standby asked for in this run.
        case idle
        /// Asked; the peer has not yet said it acquired the set (named from this side).
        case underWay(HoldSet)
        /// The peer acquired the set (its `ask_resources info=done`).
        case completed(HoldSet)
        /// The hand-over did not happen, and why; whatever this node released it took back if the
        /// peer died (mach_down), so the set is never left without an owner.
        case failed(HoldSet, String)
    }

    /// A transition worth showing in `status`.
    public struct Transition: Hashable, Sendable {
        /// Monotonic time, in ms.
        public var at: Int64
        /// What happened.
        public var text: String
    }

    /// One group operation, decided and not yet finished.
    struct Operation: Hashable, Sendable {
        enum Kind: Hashable, Sendable { case acquire, release, recover(from: Int) }
        enum Completion: Hashable, Sendable {
            case none
            case becomeStable
            case machDown
            case standbyReleased(HoldSet)
            case standbyAcquired(HoldSet)
            case ipRequestGranted(String)
            case shutdown
        }
        var kind: Kind
        var groups: [String]
        var reason: String
        var completion: Completion
        /// The sets (named from this side) the operation takes or gives up as a whole, as
        /// heartbeat's i_hold_resources bits; `.none` for single groups (ip-request).
        var sets: HoldSet = .none
    }

    /// The standby handshake (spec §4.6), from either side.
    enum Handshake: Hashable, Sendable {
        /// We asked the peer to take `set` (named from our side) and wait for its `info=other`.
        case asked(HoldSet, since: Int64)
        /// The peer agreed; we are releasing `set`.
        case releasing(HoldSet)
        /// The peer asked us to take its `set` (named from its side); we wait for its `info=done`.
        case granted(HoldSet, since: Int64)
    }

    /// This node.
    public let localNode: String
    /// The other node, if the cluster has one.
    public let peer: String?
    /// ha.cf's auto_failback.
    public let autoFailback: AutoFailback
    /// Group keys in haresources order, with their home node.
    public let groupHomes: [(key: String, home: String)]

    /// The phase.
    public private(set) var phase: Phase = .waiting
    /// The groups this node holds (fully started).
    public private(set) var held: Set<String> = []
    /// Groups whose last start or stop here failed, with the reason.
    public private(set) var failed: [String: String] = [:]
    /// Groups this node does not start again (their start failed here, or the resource-health
    /// monitor gave up on them), with the reason: cleared by `cleanup(_:now:)`, or when the peer
    /// dies (then every group is tried once more, since nobody else can run it). This is what ends
    /// a ping-pong: a group failing on both nodes is tried once on each, then stays stopped.
    public private(set) var blocked: [String: String] = [:]
    /// Groups to offer to the peer (standby of their set) as soon as it is alive and stable and
    /// nothing is in transition: a failed start here, or a hand-over the monitor asked for.
    public private(set) var offers: Set<String> = []
    /// Whether the peer is alive (heard and not dead).
    public private(set) var peerAlive = false
    /// What the peer last said it holds (from its side).
    public private(set) var peerHolds: HoldSet = .none
    /// Whether the peer last said it is stable.
    public private(set) var peerStable = false
    /// The recent transitions, newest last.
    public private(set) var transitions: [Transition] = []
    /// Every transition noted since start (`transitions` keeps only the last 32); for metrics.
    public private(set) var transitionCount = 0
    /// mach_down takeovers that started at least one group: failovers, for metrics.
    public private(set) var failoverCount = 0
    /// How the administrator's last standby went.
    public private(set) var standbyProgress: StandbyProgress = .idle

    var running: Operation?
    var queue: [Operation] = []
    var handshake: Handshake?
    var peerStarting = false
    var startingSentAt: Int64?
    var firstReplyAt: Int64?
    var pendingIPRequests: [String: (sentAt: Int64, tries: Int)] = [:]
    /// heartbeat's rsc_needs_failback: set when a mach_down takeover completes (the peer's groups
    /// came here because it was dead). With auto_failback on, the groups go back when the peer
    /// next turns stable (`isstable=1` after it said 0, or after its start or restart), once
    /// nothing else is under way. Only a takeover arms it, so groups an administrator moved with
    /// standby stay where they were moved.
    var failbackPending = false
    /// When the last offer of `offers` was sent.
    var lastOfferAt: Int64?
    /// Groups held here that the peer also says it holds (a split brain), as last reported.
    public private(set) var heldByBoth: Set<String> = []
    /// heartbeat holds sets, not groups: a node that took its own set says `local` even when no
    /// group has it as home, and its peer logs "No one owns foreign resources!" if it does not.
    /// The sets last taken as a whole (and not given up since); for a set with groups, what is
    /// held is read from `held` instead.
    var setsTaken: HoldSet = .none
    /// This node's heartbeat media, when every one of them is administratively down (the
    /// daemon's netlink view): this node is cut off, so a silent peer is no sign of its death.
    public internal(set) var isolatedBy: [String]?
    /// A mach_down takeover held back while this node was cut off; see `mediaChanged`.
    public internal(set) var deferredTakeover: DeferredTakeover?

    /// How long a standby request waits for the peer's answer (heartbeat: 10 s).
    public static let standbyReplyTimeoutMs: Int64 = 10_000
    /// How long after the peer's first answer startup waits for it to become stable (heartbeat: 10 s).
    public static let stabilityTimeoutMs: Int64 = 10_000
    /// How often `t=starting` and `ip-request` are repeated while unanswered.
    public static let resendIntervalMs: Int64 = 1_000

    /// Creates the negotiation for `localNode`; `groups` come from haresources.
    public init(localNode: String, nodes: [String], autoFailback: AutoFailback, groups: [ResourceGroup]) {
        self.localNode = localNode
        peer = nodes.first { $0 != localNode }
        self.autoFailback = autoFailback
        groupHomes = groups.map { ($0.key, $0.node) }
    }

    // MARK: Queries

    /// Whether a group operation or a handshake is under way (heartbeat's "transition").
    public var inTransition: Bool {
        running != nil || !queue.isEmpty || handshake != nil || phase == .starting || phase == .shuttingDown
    }

    /// The groups whose home is this node (`local == true`) or the peer.
    public func groups(local: Bool) -> [String] {
        groupHomes.filter { ($0.home == localNode) == local }.map(\.key)
    }

    /// The groups of a set named from this node's side, in haresources order.
    public func groups(in set: HoldSet) -> [String] {
        groupHomes.filter { $0.home == localNode ? set.includesLocal : set.includesForeign }.map(\.key)
    }

    /// What this node holds, as a set named from its side.
    public var holds: HoldSet { holding(held) }

    /// The sets `groups` make up: a set with groups when any of them is in `groups`, a set without
    /// groups when it was taken as a whole (`setsTaken`).
    private func holding(_ groups: Set<String>) -> HoldSet {
        func holds(local: Bool) -> Bool {
            let keys = self.groups(local: local)
            guard !keys.isEmpty else { return local ? setsTaken.includesLocal : setsTaken.includesForeign }
            return keys.contains { groups.contains($0) }
        }
        return HoldSet(local: holds(local: true), foreign: holds(local: false))
    }

    /// The groups this node holds or has decided to start (a running or queued acquire): what it
    /// tells the peer it holds. A group being acquired counts as held, so a peer that (re)starts
    /// during a takeover never takes it too (issue: restart during the peer's takeover).
    public var claims: HoldSet {
        let acquiring = ([running].compactMap { $0 } + queue).filter { $0.kind == .acquire }.flatMap(\.groups)
        return holding(held.union(acquiring))
    }

    /// Whether this node says it is stable: settled and no group operation running.
    var isStable: Bool { phase == .stable && running == nil }

    /// Whether the peer holds a group, from what it last said.
    public func peerHolds(_ key: String) -> Bool {
        guard peerAlive, let home = groupHomes.first(where: { $0.key == key })?.home else { return false }
        return home == localNode ? peerHolds.includesForeign : peerHolds.includesLocal
    }

    // MARK: Inputs

    /// Every node has been heard from or declared dead (heartbeat's "comm up").
    public mutating func communicationUp(now: Int64) -> [Effect] {
        guard phase == .waiting else { return [] }
        var effects: [Effect] = []
        guard let peer, peerAlive else {
            note("communication up; no peer alive: taking over every group", now: now)
            phase = .starting
            effects.append(.log(.info, "Initial resource acquisition: no peer is alive, acquiring every group"))
            if self.peer != nil { effects += fencingWarnings() }
            effects += enqueue(.acquire, groupHomes.map(\.key), sets: .all, reason: "initial acquisition (peer dead)", then: .machDown)
            return effects
        }
        phase = .starting
        startingSentAt = now
        if autoFailback == .legacy {
            note("communication up; requesting own groups from \(peer)", now: now)
            phase = .stable
            for key in groups(local: true) { effects += requestGroup(key, now: now) }
            return effects
        }
        note("communication up; asking \(peer) what it holds", now: now)
        effects.append(.log(.info, "Comm_now_up(): sending starting to \(peer)"))
        effects.append(.send(HeartbeatMessage(["t": "starting"])))
        return effects
    }

    /// The peer was heard again, with a new generation or for the first time.
    public mutating func peerUp(restarted: Bool, now: Int64) -> [Effect] {
        let wasAlive = peerAlive
        peerAlive = true
        deferredTakeover = nil
        if restarted || !wasAlive {
            peerHolds = .none
            peerStable = false
            peerStarting = false
        }
        if !wasAlive, phase != .waiting { note("\(peer ?? "peer") is up", now: now) }
        return []
    }

    /// The peer came back after a partition, with the generation it had: each side says what it
    /// holds, and whoever holds a group whose home node holds it too releases it.
    public mutating func peerReturnedAfterPartition(now: Int64) -> [Effect] {
        peerAlive = true
        deferredTakeover = nil
        note("\(peer ?? "peer") returned after a partition", now: now)
        guard phase == .stable else { return [] }
        return [
            .log(.warning, "\(peer ?? "peer") returned after a partition: comparing held resources"),
            resourceMessage(info: "partition"),
        ]
    }

    /// The peer is dead (deadtime passed, or it announced its shutdown): take over its groups.
    public mutating func peerDied(now: Int64, reason: String) -> [Effect] {
        guard peerAlive || phase == .waiting else { return [] }
        let name = peer ?? "peer"
        peerAlive = false
        peerHolds = .none
        peerStable = false
        peerStarting = false
        firstReplyAt = nil
        pendingIPRequests = [:]
        failbackPending = false
        heldByBoth = []
        var effects: [Effect] = []
        // Nobody else can run anything now: every group is tried here once more.
        if !blocked.isEmpty, phase != .shuttingDown, phase != .stopped {
            let list = groupHomes.map(\.key).filter { blocked[$0] != nil }
            effects.append(.log(.warning, "\(name) is dead: trying \(list.joined(separator: ", ")) here again, which failed here before"))
            blocked = [:]
        }
        offers = []
        lastOfferAt = nil
        switch handshake {
        case .asked?, .granted?:
            handshake = nil
            effects.append(.log(.warning, "standby with \(name) abandoned: \(name) is dead"))
        case .releasing?, nil: break
        }
        if case .underWay(let set) = standbyProgress {
            standbyProgress = .failed(
                set, "\(name) died before it acquired the resources; " + (isolatedBy == nil ? "taking them back" : "this node is cut off"))
        }
        guard phase != .waiting, phase != .shuttingDown, phase != .stopped else { return effects }
        if let media = isolatedBy {
            return effects + deferTakeover(reason: reason, media: media, now: now)
        }
        return effects + machDownTakeover(reason: reason, now: now)
    }

    /// heartbeat's mach_down: every group is acquired here, the peer being dead.
    mutating func machDownTakeover(reason: String, now: Int64) -> [Effect] {
        let name = peer ?? "peer"
        note("\(name) dead (\(reason)); taking over its groups", now: now)
        var effects = fencingWarnings()
        effects.append(.log(.info, "mach_down: taking over resources of \(name) (\(reason))"))
        effects += enqueue(.acquire, groupHomes.map(\.key), sets: .all, reason: "takeover from dead \(name)", then: .machDown)
        return effects
    }

    /// A resource message from the peer (already authenticated and addressed to us or to all).
    public mutating func receive(_ message: HeartbeatMessage, now: Int64) -> [Effect] {
        guard peerAlive, let type = message.type else { return [] }
        switch type {
        case "starting": return peerIsStarting(now: now)
        case "resource": return peerResources(message, now: now)
        case "ask_resources": return askResources(message, now: now)
        case "hb_takeover": return takeoverRequested(message, now: now)
        case "ip-request": return ipRequest(message, now: now)
        case "ip-request-resp": return ipRequestResponse(message, now: now)
        case "shutdone": return peerDied(now: now, reason: "shutdown notice")
        default: return []
        }
    }

    /// A group operation finished.
    public mutating func finished(_ outcome: Outcome, now: Int64) -> [Effect] {
        guard let operation = running else { return [] }
        running = nil
        var effects: [Effect] = []
        setsTaken =
            operation.kind == .acquire
            ? HoldSet(
                local: setsTaken.includesLocal || operation.sets.includesLocal,
                foreign: setsTaken.includesForeign || operation.sets.includesForeign)
            : HoldSet(
                local: setsTaken.includesLocal && !operation.sets.includesLocal,
                foreign: setsTaken.includesForeign && !operation.sets.includesForeign)
        for key in outcome.succeeded {
            switch operation.kind {
            case .acquire, .recover: held.insert(key)
            case .release: held.remove(key)
            }
            failed[key] = nil
        }
        for (key, reason) in outcome.failed.sorted(by: { $0.key < $1.key }) {
            failed[key] = reason
            switch operation.kind {
            case .release:
                effects.append(.log(.error, "group \(key) failed to stop: \(reason)"))
            case .acquire, .recover:
                // The runner stopped what the group had started: it runs nowhere now. The peer is
                // offered it (heartbeat 3: "Giving up resources due to failure of …", then
                // hb_standby), and this node does not try it again until cleanup.
                held.remove(key)
                blocked[key] = reason
                if phase != .shuttingDown && phase != .stopped { offers.insert(key) }
                let verb = operation.kind == .acquire ? "start" : "restart"
                effects.append(.log(.error, "group \(key) failed to \(verb): \(reason)"))
                effects.append(
                    .log(.warning, "group \(key) is not started here again until `heartbeat-lite cleanup \(key)`; offering it to \(peer ?? "the peer")"))
            }
        }
        let verb = operation.kind == .release ? "released" : operation.kind == .acquire ? "acquired" : "restarted"
        note("\(verb) \(outcome.succeeded.isEmpty ? "nothing" : outcome.succeeded.joined(separator: ", ")) (\(operation.reason))", now: now)
        effects += complete(operation, outcome: outcome, now: now)
        effects += checkSplitBrain(now: now)
        effects += dispatch()
        effects += resolveDoubleOwnership(now: now)
        effects += considerFailback(now: now)
        effects += considerOffers(now: now)
        return effects
    }

    /// `standby [all|local|foreign]` from the administrator: hand the set to the peer.
    public mutating func standby(_ set: HoldSet, now: Int64) -> Result<[Effect], CommandRefusal> {
        guard let peer, peerAlive else { return .failure(CommandRefusal("no peer is alive to take the resources over")) }
        guard autoFailback != .legacy else {
            return .failure(CommandRefusal("standby needs auto_failback on or off (heartbeat's nice failback); ha.cf says legacy"))
        }
        guard phase == .stable, !inTransition else {
            return .failure(CommandRefusal("resources are in transition; try again when they settle"))
        }
        standbyProgress = .underWay(set)
        return .success(askPeerToTake(set, now: now, why: "standby \(set) requested; asking \(peer) to take over"))
    }

    /// `takeover [all|local|foreign]` from the administrator: take the set (named from this side).
    public mutating func takeover(_ set: HoldSet, now: Int64) -> Result<[Effect], CommandRefusal> {
        guard phase == .stable || (phase == .starting && !peerAlive), !inTransition || !peerAlive else {
            return .failure(CommandRefusal("resources are in transition; try again when they settle"))
        }
        guard let peer, peerAlive else {
            let missing = groups(in: set).filter { !held.contains($0) }
            note("takeover \(set) with no peer alive", now: now)
            return .success(enqueue(.acquire, missing, sets: set, reason: "takeover \(set) requested", then: .none))
        }
        guard autoFailback != .legacy else {
            return .failure(CommandRefusal("takeover needs auto_failback on or off (heartbeat's nice failback); ha.cf says legacy"))
        }
        note("takeover \(set) requested; asking \(peer) to hand over", now: now)
        var message = HeartbeatMessage(["t": "hb_takeover"])
        message.append("rsc_hold", set.rawValue)
        return .success([.log(.info, "takeover \(set): asking \(peer) to stand by"), .send(message)])
    }

    /// The resource-health monitor found a resource of a held group failed: restart the group from
    /// that resource, once nothing else is under way.
    public mutating func recover(_ key: String, from index: Int, reason: String, now: Int64) -> [Effect] {
        guard held.contains(key), phase == .stable || phase == .starting else { return [] }
        note("recovering \(key): \(reason)", now: now)
        return enqueue(.recover(from: index), [key], reason: reason, then: .none)
    }

    /// The resource-health monitor gave up on a held group here (too many failures): it is not
    /// restarted here again until cleanup, and it is handed to the peer (standby of its set, the
    /// peer acquiring it once this node released it). Returns nothing when there is no stable peer
    /// alive to take it, or when it was offered already and the peer has not taken it: the caller
    /// then restarts it here (the offer stands, and is made again).
    public mutating func handOver(_ key: String, reason: String, now: Int64) -> [Effect] {
        guard held.contains(key), peerAlive, peerStable, phase == .stable, !offers.contains(key) else { return [] }
        blocked[key] = reason
        failed[key] = reason
        offers.insert(key)
        note("handing \(key) to \(peer ?? "the peer"): \(reason)", now: now)
        return [.log(.warning, "group \(key): \(reason); handing it to \(peer ?? "the peer")")] + considerOffers(now: now)
    }

    /// `cleanup GROUP` from the administrator: forget that the group failed here. If nobody holds
    /// it, it is started here at once (and offered to the peer again if it fails again).
    public mutating func cleanup(_ key: String, now: Int64) -> Result<[Effect], CommandRefusal> {
        guard groupHomes.contains(where: { $0.key == key }) else {
            return .failure(CommandRefusal("no group \(key) in haresources (groups: \(groupHomes.map(\.key).joined(separator: ", ")))"))
        }
        let was = blocked[key] ?? failed[key]
        blocked[key] = nil
        failed[key] = nil
        offers.remove(key)
        note("cleanup \(key)\(was.map { " (was: \($0))" } ?? "")", now: now)
        var effects: [Effect] = [.log(.info, "cleanup \(key): failures here forgotten")]
        guard !held.contains(key), !peerHolds(key), phase == .stable, !inTransition else { return .success(effects) }
        effects += enqueue(.acquire, [key], reason: "cleanup \(key): held by nobody", then: .becomeStable)
        return .success(effects)
    }

    /// The held groups no operation is running or queued for, while nothing is in transition:
    /// those the resource-health monitor may watch.
    public var steadyGroups: Set<String> {
        guard !inTransition, phase == .stable else { return [] }
        return held
    }

    /// Graceful shutdown: tell the peer, release everything, then `t=shutdone`.
    public mutating func shutdown(now: Int64) -> [Effect] {
        guard phase != .shuttingDown, phase != .stopped else { return [] }
        let wasWaiting = phase == .waiting
        phase = .shuttingDown
        handshake = nil
        queue = []
        note("shutdown: giving up all resources", now: now)
        var effects: [Effect] = [.log(.info, "Heartbeat shutdown in progress. Giving up all HA resources.")]
        if peerAlive && !wasWaiting { effects.append(resourceMessage(info: "shutdown")) }
        let operation = Operation(kind: .release, groups: groupHomes.map(\.key), reason: "shutdown", completion: .shutdown, sets: .all)
        queue.append(operation)
        effects += dispatch()
        return effects
    }

    /// Time passes: standby and startup time-outs, repeated requests.
    public mutating func tick(now: Int64) -> [Effect] {
        var effects = deferredTakeoverDue(now: now)
        if case .asked(let set, let since)? = handshake, now - since > Self.standbyReplyTimeoutMs {
            handshake = nil
            note("standby \(set) not answered; keeping resources", now: now)
            effects.append(.log(.warning, "standby \(set): \(peer ?? "peer") did not answer within 10 s; keeping resources"))
            if case .underWay(let asked) = standbyProgress, asked == set {
                standbyProgress = .failed(set, "\(peer ?? "peer") did not answer within 10 s; resources kept here")
            }
        }
        if case .granted(let set, let since)? = handshake, now - since > Self.standbyReplyTimeoutMs * 360 {
            handshake = nil
            effects.append(.log(.warning, "standby from \(peer ?? "peer") of \(set) never completed; giving up waiting"))
        }
        if phase == .starting, peerAlive, running == nil, queue.isEmpty {
            if let first = firstReplyAt, now - first > Self.stabilityTimeoutMs {
                effects.append(.log(.warning, "\(peer ?? "peer") not stable 10 s after its answer: taking unclaimed own groups"))
                effects += takeUnclaimedLocalGroups(now: now)
            } else if firstReplyAt == nil, let sent = startingSentAt, now - sent >= Self.resendIntervalMs {
                startingSentAt = now
                effects.append(.send(HeartbeatMessage(["t": "starting"])))
            }
        }
        if handshake == nil, running == nil, queue.isEmpty { effects += considerOffers(now: now) }
        for (key, request) in pendingIPRequests.sorted(by: { $0.key < $1.key })
        where now - request.sentAt >= Self.resendIntervalMs && running == nil {
            if request.tries >= 10 {
                pendingIPRequests[key] = nil
                effects.append(.log(.error, "ip-request for \(key) not answered by \(peer ?? "peer") after 10 tries"))
            } else {
                pendingIPRequests[key] = (now, request.tries + 1)
                effects.append(.send(Self.ipRequestMessage(key)))
            }
        }
        return effects
    }

    // MARK: Message handlers

    private mutating func peerIsStarting(now: Int64) -> [Effect] {
        peerStarting = true
        peerHolds = .none
        peerStable = false
        guard phase != .waiting, phase != .shuttingDown, phase != .stopped else { return [] }
        return [.log(.info, "\(peer ?? "peer") is starting; telling it what we hold (\(claims))"), resourceMessage(info: "starting")]
    }

    private mutating func peerResources(_ message: HeartbeatMessage, now: Int64) -> [Effect] {
        let said = HoldSet(rawValue: message["rsc_hold"] ?? "") ?? .none
        peerHolds = said
        // heartbeat keeps other_is_stable when the field is absent (its takeover script sends none).
        let wasStable = peerStable
        if let stable = message["isstable"] { peerStable = stable == "1" }
        let turnedStable = peerStable && !wasStable
        var effects: [Effect] = checkSplitBrain(now: now)
        if message["info"] == "shutdown" {
            effects.append(.log(.info, "Received shutdown notice from '\(peer ?? "peer")'."))
            peerStable = false
            return effects
        }
        if phase == .starting, running == nil, queue.isEmpty {
            if firstReplyAt == nil { firstReplyAt = now }
            if peerStable || peerStarting { effects += takeUnclaimedLocalGroups(now: now) }
            return effects
        }
        // The peer saw a partition end; this side may not have (its deadtime had not passed), so it
        // answers with what it holds, once, for the peer to find the groups both hold.
        if message["info"] == "partition" && phase == .stable { effects.append(resourceMessage(info: "partition-reply")) }
        guard phase == .stable, running == nil, queue.isEmpty, handshake == nil else { return effects }
        let resolving = resolveDoubleOwnership(now: now)
        if !resolving.isEmpty { return effects + resolving }
        // heartbeat's PerformAutoFailback runs when the peer turns stable; it says so with
        // `isstable=1` and any info (none, `req_our_resources()`; heartbeat-lite says `stable`).
        if turnedStable { effects += considerFailback(now: now) }
        effects += considerOffers(now: now)
        return effects
    }

    /// Reports a split brain when this node and the peer both hold a group (both took over while
    /// the heartbeat links were cut), and its end once each such group is held by one node only.
    /// Both nodes log both lines.
    private mutating func checkSplitBrain(now: Int64) -> [Effect] {
        let doubled = Set(held.filter { peerHolds($0) })
        defer { heldByBoth = doubled }
        let order = groupHomes.map(\.key)
        let name = peer ?? "peer"
        if !doubled.isEmpty && heldByBoth.isEmpty {
            let list = order.filter { doubled.contains($0) }.joined(separator: ", ")
            note("split brain: \(list) held here and by \(name)", now: now)
            return [.log(.error, "split brain: \(list) held by this node and by \(name) at once (no STONITH); each group's home node keeps it, the other releases it")]
        }
        if doubled.isEmpty && !heldByBoth.isEmpty {
            let list = order.filter { heldByBoth.contains($0) }.joined(separator: ", ")
            note("split brain healed: \(list)", now: now)
            return [.log(.info, "split brain healed: \(list) held by one node only again")]
        }
        return []
    }

    /// After a partition both sides may hold a group: the one whose home it is keeps it, the
    /// other releases its copy. Checked on every resource message of the peer and again when an
    /// operation ends (a message that came in during it found this side busy).
    private mutating func resolveDoubleOwnership(now: Int64) -> [Effect] {
        guard peerAlive, phase == .stable, running == nil, queue.isEmpty, handshake == nil else { return [] }
        let doubled = groups(local: false).filter { held.contains($0) && peerHolds.includesLocal }
        guard !doubled.isEmpty else { return [] }
        note("\(peer ?? "peer") holds its own \(doubled.joined(separator: ", ")) too; releasing ours", now: now)
        return [.log(.warning, "\(peer ?? "peer") also holds \(doubled.joined(separator: ", ")) (its home): releasing our copy")]
            + enqueue(.release, doubled, sets: .foreign, reason: "resolving double ownership", then: .becomeStable)
    }

    private mutating func askResources(_ message: HeartbeatMessage, now: Int64) -> [Effect] {
        let set = HoldSet(rawValue: message["rsc_hold"] ?? "") ?? .all
        let name = peer ?? "peer"
        switch message["info"] {
        case "me":
            guard phase == .stable, running == nil, queue.isEmpty, handshake == nil else {
                return [.log(.warning, "standby request from \(name) refused: resources are in transition")]
            }
            handshake = .granted(set, since: now)
            note("\(name) stands by (\(set)); waiting for it to release", now: now)
            var reply = HeartbeatMessage(["t": "ask_resources"])
            reply.append("rsc_hold", set.rawValue)
            reply.append("info", "other")
            return [.log(.info, "\(name) wants to go standby (\(set)); agreeing"), .send(reply)]
        case "other":
            guard case .asked(let asked, _)? = handshake else { return [] }
            handshake = .releasing(asked)
            return enqueue(.release, groups(in: asked), sets: asked, reason: "standby \(asked)", then: .standbyReleased(asked))
        case "done":
            guard case .granted(let granted, _)? = handshake else {
                // We stood by: the peer now holds what we released (`set`, named from our side).
                guard case .underWay(let asked) = standbyProgress else {
                    dropOffers(in: set)
                    return [.log(.info, "standby complete: \(name) acquired the resources")]
                }
                dropOffers(in: asked)
                standbyProgress = .completed(asked)
                let taken = asked.mirrored
                peerHolds = HoldSet(
                    local: peerHolds.includesLocal || taken.includesLocal, foreign: peerHolds.includesForeign || taken.includesForeign)
                note("standby \(asked) complete: \(name) acquired the resources", now: now)
                return [.log(.info, "standby \(asked) complete: \(name) acquired the resources")]
            }
            handshake = nil
            // The peer released the set: what it holds no longer includes it, even before its
            // next resource message says so.
            peerHolds = HoldSet(
                local: peerHolds.includesLocal && !granted.includesLocal,
                foreign: peerHolds.includesForeign && !granted.includesForeign)
            let mine = groups(in: granted.mirrored).filter { !held.contains($0) }
            return enqueue(.acquire, mine, sets: granted.mirrored, reason: "\(name) stood by (\(granted))", then: .standbyAcquired(granted))
        default:
            return []
        }
    }

    private mutating func takeoverRequested(_ message: HeartbeatMessage, now: Int64) -> [Effect] {
        let set = HoldSet(rawValue: message["rsc_hold"] ?? "") ?? .all
        let name = peer ?? "peer"
        guard phase == .stable, !inTransition else {
            return [.log(.warning, "takeover request from \(name) refused: resources are in transition")]
        }
        return askPeerToTake(set.mirrored, now: now, why: "\(name) asked to take over \(set); standing by (\(set.mirrored))")
    }

    private mutating func ipRequest(_ message: HeartbeatMessage, now: Int64) -> [Effect] {
        guard let key = message["ipaddr"], groupHomes.contains(where: { $0.key == key }) else { return [] }
        guard held.contains(key) else { return [.send(Self.ipResponse(key, to: peer ?? ""))] }
        note("\(peer ?? "peer") requests \(key); releasing it", now: now)
        return enqueue(.release, [key], reason: "ip-request from \(peer ?? "peer")", then: .ipRequestGranted(key))
    }

    private mutating func ipRequestResponse(_ message: HeartbeatMessage, now: Int64) -> [Effect] {
        guard let key = message["ipaddr"], pendingIPRequests[key] != nil else { return [] }
        pendingIPRequests[key] = nil
        guard message["ok"] == "OK" else {
            return [.log(.warning, "\(peer ?? "peer") refused to give up \(key)")]
        }
        return enqueue(.acquire, [key], reason: "\(peer ?? "peer") released \(key)", then: .none)
    }

    // MARK: Steps

    private mutating func takeUnclaimedLocalGroups(now: Int64) -> [Effect] {
        firstReplyAt = nil
        let unclaimed = groups(local: true).filter { !held.contains($0) && !peerHolds($0) }
        note("taking own groups not held by \(peer ?? "peer"): \(unclaimed.isEmpty ? "none" : unclaimed.joined(separator: ", "))", now: now)
        // The own set as a whole, unless the peer says it holds it (its `foreign`).
        let sets: HoldSet = peerAlive && peerHolds.includesForeign ? .none : .local
        return enqueue(.acquire, unclaimed, sets: sets, reason: "initial acquisition", then: .becomeStable)
    }

    private mutating func askPeerToTake(_ set: HoldSet, now: Int64, why: String) -> [Effect] {
        handshake = .asked(set, since: now)
        note(why, now: now)
        var message = HeartbeatMessage(["t": "ask_resources"])
        message.append("rsc_hold", set.rawValue)
        message.append("info", "me")
        return [.log(.info, why), .send(message)]
    }

    private mutating func considerFailback(now: Int64) -> [Effect] {
        guard autoFailback == .on, failbackPending, phase == .stable, peerAlive, peerStable, !inTransition else { return [] }
        failbackPending = false
        let theirs = groups(local: false).filter { held.contains($0) }
        guard !theirs.isEmpty, !peerHolds.includesLocal else { return [] }
        return askPeerToTake(.foreign, now: now, why: "auto_failback: giving \(theirs.joined(separator: ", ")) back to \(peer ?? "peer")")
    }

    /// Offers the groups in `offers` to the peer (heartbeat's `hb_standby` of the failed group's
    /// set, 30 s after the failure there; at once here) once the peer is alive and stable and
    /// nothing is under way. A group the peer already holds needs no offer. Unanswered (10 s),
    /// the offer is made again on a later check.
    private mutating func considerOffers(now: Int64) -> [Effect] {
        offers = offers.filter { !peerHolds($0) }
        guard !offers.isEmpty, autoFailback != .legacy, phase == .stable, peerAlive, peerStable, !inTransition else { return [] }
        // An unanswered offer is made again, the node whose name sorts later waiting longer, so
        // that two nodes offering at once (each refusing the other's, being in transition) do
        // not keep colliding.
        let gap = Self.standbyReplyTimeoutMs * (localNode < (peer ?? "") ? 1 : 2)
        if let last = lastOfferAt, now - last < gap { return [] }
        lastOfferAt = now
        let local = groups(local: true)
        let set = HoldSet(local: offers.contains { local.contains($0) }, foreign: offers.contains { !local.contains($0) })
        let list = groupHomes.map(\.key).filter { offers.contains($0) }.joined(separator: ", ")
        return askPeerToTake(set, now: now, why: "offering \(list) to \(peer ?? "peer") (standby \(set)): it cannot run here")
    }

    /// The peer acquired `set` (named from this side): what was offered in it is settled.
    private mutating func dropOffers(in set: HoldSet) {
        offers.subtract(groups(in: set))
        lastOfferAt = nil
    }

    private mutating func requestGroup(_ key: String, now: Int64) -> [Effect] {
        pendingIPRequests[key] = (now, 1)
        return [.send(Self.ipRequestMessage(key))]
    }

    private mutating func complete(_ operation: Operation, outcome: Outcome, now: Int64) -> [Effect] {
        var effects: [Effect] = []
        switch operation.completion {
        case .none:
            break
        case .becomeStable:
            if phase == .starting || phase == .stable {
                phase = .stable
                effects.append(.log(.info, "local resource acquisition complete; holding \(holds)"))
                effects.append(resourceMessage(info: "stable"))
            }
        case .machDown:
            if !outcome.succeeded.isEmpty { failoverCount += 1 }
            if phase == .starting { phase = .stable }
            failbackPending = true
            effects.append(.log(.info, "mach_down takeover complete; holding \(holds)"))
            if peerAlive { effects.append(resourceMessage(info: "mach_down")) }
        case .standbyReleased(let set):
            handshake = nil
            var done = HeartbeatMessage(["t": "ask_resources"])
            done.append("rsc_hold", set.rawValue)
            done.append("info", "done")
            effects.append(.log(.info, "standby: released \(set); \(peer ?? "peer") takes over"))
            effects.append(.send(done))
            effects.append(resourceMessage(info: "standby"))
        case .standbyAcquired(let granted):
            // heartbeat's acquirer reports the set it was asked for (standby_rsctype, named from
            // the requester's side), not what it now holds: its requester logs "Other node
            // completed standby takeover of <set> resources".
            var done = HeartbeatMessage(["t": "ask_resources"])
            done.append("rsc_hold", granted.rawValue)
            done.append("info", "done")
            effects.append(.log(.info, "takeover complete; holding \(holds)"))
            effects.append(.send(done))
            effects.append(resourceMessage(info: "takeover"))
        case .ipRequestGranted(let key):
            if outcome.failed[key] == nil { effects.append(.send(Self.ipResponse(key, to: peer ?? ""))) }
        case .shutdown:
            phase = .stopped
            effects.append(.log(.info, "All HA resources relinquished."))
            if peerAlive {
                var done = HeartbeatMessage(["t": "shutdone"])
                done.append("st", NodeStatus.dead.rawValue)
                effects.append(.send(done))
            }
            effects.append(.shutdownComplete)
        }
        return effects
    }

    mutating func enqueue(
        _ kind: Operation.Kind, _ groups: [String], sets: HoldSet = .none, reason: String, then completion: Operation.Completion
    ) -> [Effect] {
        queue.append(Operation(kind: kind, groups: groups, reason: reason, completion: completion, sets: sets))
        return dispatch()
    }

    /// Starts the next queued operation if none runs. Groups are filtered when it starts, so an
    /// acquire never restarts a held group and a release never stops one not held.
    private mutating func dispatch() -> [Effect] {
        guard running == nil, !queue.isEmpty else { return [] }
        var operation = queue.removeFirst()
        let order = groupHomes.map(\.key)
        switch operation.kind {
        case .acquire:
            let wanted = order.filter { operation.groups.contains($0) && !held.contains($0) }
            operation.groups = wanted.filter { blocked[$0] == nil }
            running = operation
            let skipped = wanted.filter { blocked[$0] != nil }.map { key in
                Effect.log(.warning, "not starting \(key) here: \(blocked[key] ?? ""); `heartbeat-lite cleanup \(key)` to try again")
            }
            return skipped + [.acquire(operation.groups, reason: operation.reason)]
        case .release:
            operation.groups = order.reversed().filter { operation.groups.contains($0) && held.contains($0) }
            running = operation
            return [.release(operation.groups, reason: operation.reason)]
        case .recover(let index):
            // Only a group still held and still steady is restarted; anything else (released
            // meanwhile) finishes at once with nothing done.
            operation.groups = operation.groups.filter { held.contains($0) }
            running = operation
            guard let key = operation.groups.first else { return [.acquire([], reason: operation.reason)] }
            return [.recover(key, from: index, reason: operation.reason)]
        }
    }

    private func resourceMessage(info: String) -> Effect {
        var message = HeartbeatMessage(["t": "resource"])
        message.append("rsc_hold", claims.rawValue)
        message.append("rtype", "full")
        message.append("isstable", isStable ? "1" : "0")
        message.append("info", info)
        return .send(message)
    }

    func fencingWarnings() -> [Effect] {
        [
            .log(.warning, "No STONITH device configured."),
            .log(.warning, "Shared disks are not protected."),
        ]
    }

    private static func ipRequestMessage(_ key: String) -> HeartbeatMessage {
        var message = HeartbeatMessage(["t": "ip-request"])
        message.append("ipaddr", key)
        return message
    }

    private static func ipResponse(_ key: String, to node: String) -> HeartbeatMessage {
        var message = HeartbeatMessage(["t": "ip-request-resp"])
        message.append("dest", node)
        message.append("ipaddr", key)
        message.append("ok", "OK")
        return message
    }

    mutating func note(_ text: String, now: Int64) {
        transitions.append(Transition(at: now, text: text))
        transitionCount += 1
        if transitions.count > 32 { transitions.removeFirst(transitions.count - 32) }
    }
}

/// Why a standby or takeover command was refused.
public struct CommandRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// The reason, for the administrator.
    public var description: String
    /// Creates a refusal.
    public init(_ description: String) { self.description = description }
}
