/// heartbeat's transmit history (its `msghist`): the last numbered messages this node sent, as
/// sent, so that a peer that missed some can have them again. heartbeat asks with
/// `t=NS_rexmit dest=<us> firstseq=<n> lastseq=<n>` (decimal, one number per request since 3.0)
/// and repeats the request every max_rexmit_delay until the packet comes or it is told the packet
/// is gone with `t=NS_nak_rexmit firstseq=<hex> info=<why>` ("Irretrievably lost packet"). Pure:
/// the daemon records what it sends and carries out the replies.
public struct RetransmitHistory: Sendable {
    /// How many messages are kept (the oldest go first).
    public static let capacity = 256
    /// The most messages one request gets back (heartbeat's MAX_REXMIT_BATCH), so that a request
    /// cannot make this node flood its links.
    public static let batchLimit = 50
    /// A message is sent again at most this often (ms): heartbeat's ACCEPT_REXMIT_REQ_MS, its
    /// default max_rexmit_delay (250 ms) less 10.
    public static let resendIntervalMs: Int64 = 240

    /// What to do for one request.
    public enum Reply: Hashable, Sendable {
        /// Send these bytes again, unchanged (same sequence number and signature).
        case resend([UInt8])
        /// Send this message body (`NS_nak_rexmit`): the packet is no longer kept.
        case nak(HeartbeatMessage)
    }

    private struct Entry: Sendable {
        var sequence: UInt64
        var bytes: [UInt8]
        var resentAt: Int64?
    }

    private var entries: [Entry] = []

    /// An empty history.
    public init() {}

    /// Notes a numbered message as sent.
    public mutating func record(sequence: UInt64, bytes: [UInt8]) {
        entries.append(Entry(sequence: sequence, bytes: bytes))
        if entries.count > Self.capacity { entries.removeFirst(entries.count - Self.capacity) }
    }

    /// The replies to an `NS_rexmit` from `node` (already authenticated and addressed to this
    /// node) at `now` (ms). Malformed requests get none; numbers above the highest sent are
    /// ignored, as heartbeat does ("Rexmit of seq … requested"); numbers no longer kept get a NAK.
    public mutating func answer(_ request: HeartbeatMessage, from node: String, now: Int64) -> [Reply] {
        guard let first = request["firstseq"].flatMap({ UInt64($0) }), let last = request["lastseq"].flatMap({ UInt64($0) }),
            first > 0, first <= last, let highest = entries.last?.sequence
        else { return [] }
        var replies: [Reply] = []
        var sequence = first
        // At most one look per kept message plus a batch of NAKs: a wide range costs no more.
        var steps = 0
        while sequence <= min(last, highest) && replies.count < Self.batchLimit && steps < Self.capacity + Self.batchLimit {
            steps += 1
            if let index = entries.firstIndex(where: { $0.sequence == sequence }) {
                if entries[index].resentAt.map({ now - $0 >= Self.resendIntervalMs }) ?? true {
                    entries[index].resentAt = now
                    replies.append(.resend(entries[index].bytes))
                }
            } else {
                var nak = HeartbeatMessage(["t": "NS_nak_rexmit"])
                nak.append("firstseq", String(sequence, radix: 16))
                nak.append("dest", node)
                nak.append("info", "seqno not kept")
                replies.append(.nak(nak))
            }
            if sequence == UInt64.max { break }
            sequence += 1
        }
        return replies
    }
}
