/// heartbeat's ipfail (contrib/ipfail/ipfail.c) as a pure state machine: the two nodes compare how
/// many ping nodes each reaches, and the one that reaches fewer gives its resources to the other.
///
/// The exchange is ipfail's own, API messages between the two ipfail clients, so a real heartbeat
/// peer running ipfail takes part and one without ignores them (no client has `to_id` ipfail):
/// - `num_ping_nodes` (`num_ping` = my count) when a ping node comes up, a link dies or the peer
///   joins; the receiver compares it with its own count:
///   - it reaches more: it answers `you_are_dead`;
///   - it reaches fewer: it gives up all its resources after a delay;
///   - equal: it answers `abort_giveup` and drops its own pending give-up, or, with
///     auto_failback on and nothing pending, gives up the peer's (foreign) resources after the delay.
/// - `you_are_dead`: give up all resources after the delay.
/// - `abort_giveup`: drop a pending give-up.
/// - `hbapi-clstat` with `st=join` from `from_id` ipfail: heartbeat's notice that the peer's ipfail
///   signed on; ipfail answers it with its count (`msg_ipfail_join`).
///
/// The delay is ipfail's, twice keepalive, and a balanced count in between cancels it; with
/// heartbeat's deadping before a ping node counts as dead, that damps flapping. A give-up is the
/// standby handshake (`ask_resources`, ipfail's `giveup`), so a group is never on both nodes. If
/// resources are in transition when it is due, ipfail waits and asks again once they settle.
public struct IpfailRule: Sendable {
    /// What the daemon is to do.
    public enum Effect: Hashable, Sendable {
        /// Send this message to the peer.
        case send(HeartbeatMessage)
        /// Hand this set (named from this node's side) to the peer: `standby SET`.
        case giveUp(HoldSet, reason: String)
        /// Log a line.
        case log(ResourceNegotiation.Severity, String)
    }

    /// The message types of ipfail's exchange.
    public static let messageTypes: Set<String> = ["num_ping_nodes", "you_are_dead", "abort_giveup", "hbapi-clstat"]
    /// ipfail's client id, in `from_id` and `to_id`.
    public static let clientID = "ipfail"

    /// The peer's node name.
    public let peer: String
    /// ipfail's give-up delay: twice keepalive, in ms.
    public let delayMs: Int64
    /// Whether auto_failback is on (balanced counts then give foreign groups back).
    public let autoFailback: Bool
    /// A give-up waiting for its delay: the set, when it is due and why.
    public private(set) var pending: (set: HoldSet, due: Int64, reason: String)?
    /// The count the peer last sent, if any.
    public private(set) var peerCount: Int?
    /// What the rule last decided, for `status`.
    public private(set) var lastDecision: String?
    /// A give-up came due while resources were in transition (ipfail's `need_standby`).
    public private(set) var waitingForStability = false

    /// The rule for this node against `peer`.
    public init(peer: String, keepaliveMs: Int, autoFailback: Bool) {
        self.peer = peer
        delayMs = 2 * Int64(keepaliveMs)
        self.autoFailback = autoFailback
    }

    /// Sends this node's count (ipfail's `ask_ping_nodes`): a ping node came up, a link died, or
    /// the peer (re)joined.
    public func ask(count: Int) -> [Effect] {
        var message = Self.message("num_ping_nodes", to: peer)
        message.append("num_ping", String(count))
        return [.log(.info, "ipfail: asking \(peer) for its ping node count (\(count) reachable here)"), .send(message)]
    }

    /// An ipfail message from the peer; `count` is this node's reachable ping nodes now,
    /// `stable` whether its resources are settled (heartbeat's `is_stable`) and `holds` what it
    /// holds (ipfail gives foreign resources back even when it holds none; a handshake for
    /// nothing is skipped here).
    public mutating func receive(_ message: HeartbeatMessage, count: Int, stable: Bool, holds: HoldSet = .all, now: Int64) -> [Effect] {
        switch message.type {
        case "num_ping_nodes"?:
            // ipfail reads the count with atoi: anything unreadable counts as 0.
            let theirs = message["num_ping"].flatMap { Int($0.prefix(9)) }.map { max(0, $0) } ?? 0
            peerCount = theirs
            if count > theirs {
                decide("\(peer) reaches \(theirs) ping node(s), this node \(count): telling it to give up", now: now)
                return [
                    .log(.info, "ipfail: telling \(peer) that this node has more visible ping nodes (\(count) > \(theirs))"),
                    .send(Self.message("you_are_dead", to: peer)),
                ]
            }
            if count < theirs {
                return schedule(.all, now: now, reason: "this node reaches \(count) ping node(s), \(peer) \(theirs)")
            }
            var effects: [Effect] = [
                .log(.info, "ipfail: ping node count is balanced (\(count))"), .send(Self.message("abort_giveup", to: peer)),
            ]
            if pending != nil {
                effects += abort(now: now, why: "counts balanced again")
            } else if autoFailback && stable && holds.includesForeign {
                effects += schedule(.foreign, now: now, reason: "counts balanced (\(count)) with auto_failback on: giving \(peer)'s groups back")
            }
            return effects
        case "you_are_dead"?:
            return schedule(.all, now: now, reason: "\(peer) says it reaches more ping nodes")
        case "abort_giveup"?:
            return pending == nil ? [] : abort(now: now, why: "\(peer) counts as many ping nodes")
        case "hbapi-clstat"?:
            guard message["st"] == "join", message["from_id"] == Self.clientID else { return [] }
            return [.log(.info, "ipfail: \(peer)'s ipfail joined")] + ask(count: count)
        default:
            return []
        }
    }

    /// Time passes: a give-up that is due is carried out when resources are stable; otherwise
    /// ipfail waits for stability, then compares counts again.
    public mutating func tick(now: Int64, count: Int, stable: Bool, holds: HoldSet = .all) -> [Effect] {
        if waitingForStability, stable {
            waitingForStability = false
            return ask(count: count)
        }
        guard let due = pending, now >= due.due else { return [] }
        pending = nil
        guard stable else {
            waitingForStability = true
            return [.log(.info, "ipfail: give-up of \(due.set) due but resources are in transition; comparing again once they settle")]
        }
        guard (due.set.includesLocal && holds.includesLocal) || (due.set.includesForeign && holds.includesForeign) else {
            decide("nothing of \(due.set) held here to give up: \(due.reason)", now: now)
            return [.log(.info, "ipfail: give-up of \(due.set) due, but this node holds none of it")]
        }
        decide("gave up \(due.set): \(due.reason)", now: now)
        return [.giveUp(due.set, reason: "ipfail: \(due.reason)")]
    }

    /// When `tick` must run next (ms), if a give-up is pending.
    public var nextDeadline: Int64? { pending?.due }

    private mutating func schedule(_ set: HoldSet, now: Int64, reason: String) -> [Effect] {
        let replaced = pending != nil
        pending = (set, now + delayMs, reason)
        decide("giving up \(set) in \(delayMs) ms: \(reason)", now: now)
        return [.log(.info, "ipfail: \(reason); delayed giveup of \(set) in \(delayMs) ms\(replaced ? " (replacing the pending one)" : "")")]
    }

    private mutating func abort(now: Int64, why: String) -> [Effect] {
        guard let dropped = pending else { return [] }
        pending = nil
        decide("aborted give-up of \(dropped.set): \(why)", now: now)
        return [.log(.info, "ipfail: aborted delayed giveup of \(dropped.set): \(why)")]
    }

    private mutating func decide(_ text: String, now: Int64) { lastDecision = text }

    /// An ipfail API message to `node`'s ipfail, with the fields heartbeat's API adds.
    static func message(_ type: String, to node: String) -> HeartbeatMessage {
        var message = HeartbeatMessage(["t": type])
        message.append("dest", node)
        message.append("from_id", clientID)
        message.append("to_id", clientID)
        return message
    }
}
