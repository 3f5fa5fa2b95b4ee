/// The fields heartbeat appends to every message it sends, after the body: who sent it and when.
public struct SenderStamp: Hashable, Sendable {
    /// This node's name (`src`).
    public var node: String
    /// This node's UUID, 16 raw bytes (`srcuuid`, a binary field).
    public var uuid: [UInt8]
    /// The message sequence number (`seq`, hex); `nil` for `NS_*` control messages, which have none.
    public var sequence: UInt64?
    /// This node's generation, bumped at every start (`hg`, hex).
    public var generation: UInt64
    /// The send time in seconds since the epoch (`ts`, hex).
    public var timestamp: UInt64
    /// The contents of /proc/loadavg without the newline (`ld`); `nil` for `NS_*` control messages.
    public var load: String?
    /// The hop limit, hopfudge plus the number of nodes (`ttl`, decimal).
    public var ttl: Int

    /// Creates a stamp; `uuid` must be 16 bytes.
    public init(
        node: String,
        uuid: [UInt8],
        sequence: UInt64?,
        generation: UInt64,
        timestamp: UInt64,
        load: String?,
        ttl: Int
    ) {
        precondition(uuid.count == 16, "a node UUID is 16 bytes, got \(uuid.count)")
        self.node = node
        self.uuid = uuid
        self.sequence = sequence
        self.generation = generation
        self.timestamp = timestamp
        self.load = load
        self.ttl = ttl
    }

    /// The sender field names, in the order heartbeat appends them.
    public static let fieldNames = ["src", "srcuuid", "seq", "hg", "ts", "ld", "ttl", "auth"]
}

extension HeartbeatMessage {
    /// This message with heartbeat's sender fields appended in its order — `src`, `srcuuid`, `seq`,
    /// `hg`, `ts`, `ld`, `ttl` — and then `auth`, signed with `key`.
    ///
    /// Any sender fields already present are replaced. Send the result with `netstringEncoded(signingWith:)`.
    public func stamped(by sender: SenderStamp, signingWith key: AuthKey) -> HeartbeatMessage {
        var copy = self
        for name in SenderStamp.fieldNames { copy.removeAll(named: name) }
        copy.append("src", sender.node)
        copy.append("srcuuid", binary: sender.uuid)
        if let sequence = sender.sequence { copy.append("seq", String(sequence, radix: 16)) }
        copy.append("hg", String(sender.generation, radix: 16))
        copy.append("ts", String(sender.timestamp, radix: 16))
        if let load = sender.load { copy.append("ld", load) }
        copy.append("ttl", String(sender.ttl))
        return copy.signed(with: key)
    }
}
