/// How heartbeat-lite takes an authenticated message addressed to this node into `Membership`:
/// FailoverDaemon and the membership fuzz target both go through here, so that what the fuzzer
/// proves is what the daemon does.
///
/// The message's generation (`hg`) and sequence number (`seq`) are read; the sender's status comes
/// from a status message's `st` (`up` when absent), and any other message keeps what is known of
/// the sender (`up` for a new or dead one). A message that Membership cannot confirm yet (the
/// first of a new track) is held, one per sender, and handed back once a later packet confirms
/// its track; a status message is never held, since the next one says the same.
public struct SequencedIntake: Sendable {
    /// What became of one message.
    public enum Outcome: Sendable {
        /// An `NS_*` control message: it carries no sequence number, Membership never sees it.
        case unsequenced
        /// No readable generation or sequence number.
        case malformed
        /// Membership refused it; `sentAt` is the message's send time (`ts`), if it has one.
        case refused(Rejection, sentAt: UInt64?)
        /// Accepted, with Membership's events; `confirmed` is an earlier held message of the same
        /// sender that this one confirmed, to be delivered before it.
        case accepted([MembershipEvent], confirmed: HeartbeatMessage?)
    }

    private var held: [String: (generation: UInt64, sequence: UInt64, message: HeartbeatMessage)] = [:]

    /// Creates an intake that holds nothing.
    public init() {}

    /// Takes in `message` from `source` (its `src`), received on `medium`; `now` is the
    /// membership's clock in microseconds, `wallClock` this node's time in seconds.
    public mutating func take(
        _ message: HeartbeatMessage, from source: String, medium: String, into membership: inout Membership, now: Int64,
        wallClock: UInt64
    ) -> Outcome {
        guard message.carriesSequence else { return .unsequenced }
        guard let generation = message["hg"].flatMap({ UInt64($0, radix: 16) }),
            let number = message["seq"].flatMap({ UInt64($0, radix: 16) })
        else { return .malformed }
        let isStatus = message.type == "status"
        let known = membership.peers[source]?.status ?? .initial
        let status =
            isStatus ? NodeStatus(rawValue: message["st"] ?? "up") : (known == .dead || known == .initial ? .up : known)
        let sentAt = message["ts"].flatMap { UInt64($0, radix: 16) }
        let arrival = HeartbeatArrival(
            node: source, medium: medium, status: status, generation: generation, sequence: number,
            deadtimeMs: isStatus ? message["dt"].flatMap { Int($0, radix: 16) } : nil, timestamp: sentAt)
        switch membership.receive(arrival, now: now, wallClock: wallClock) {
        case .failure(let rejection):
            if rejection == .unconfirmed, !isStatus { held[source] = (generation, number, message) }
            return .refused(rejection, sentAt: sentAt)
        case .success(let events):
            var confirmed: HeartbeatMessage?
            if let candidate = held.removeValue(forKey: source), let peer = membership.peers[source],
                peer.generation == candidate.generation, peer.recentSequences.contains(candidate.sequence)
            {
                confirmed = candidate.message
            }
            return .accepted(events, confirmed: confirmed)
        }
    }
}
