/// The ping nodes' membership, as heartbeat keeps it for its ping media: an echo request to every
/// address of every ping node each keepalive; a node's status is `ping` from the first valid
/// reply, and `dead` once no reply came for `deadping` (heartbeat's dead time for ping nodes).
/// Before either it is `init`, and a node never heard is dead `deadping` after the start.
///
/// Pure: the caller sends the probes it returns and hands in the replies it reads; only replies
/// that match a request still outstanding (identifier, sequence and the address it went to) count.
public struct PingTracker: Sendable {
    /// A ping node's status, named as heartbeat shows it (`cl_status nodestatus`).
    public enum Status: String, Hashable, Sendable {
        /// Not heard from yet, and `deadping` has not passed since the start.
        case initial = "init"
        /// Answering. The corresponding heartbeat constant is `PINGSTATUS`.
        case up = "ping"
        /// Silent for `deadping`. The corresponding heartbeat constant is `DEADSTATUS`.
        case dead
    }

    /// One echo request to send.
    public struct Probe: Hashable, Sendable {
        /// The destination, host byte order.
        public var address: UInt32
        /// The ICMP message (header and payload).
        public var bytes: [UInt8]
    }

    /// A change of a ping node's status.
    public struct Change: Hashable, Sendable, CustomStringConvertible {
        /// The ping node's name.
        public var node: String
        /// Its new status.
        public var status: Status
        /// The address that answered (when it came up).
        public var address: String?

        /// Creates a change.
        public init(node: String, status: Status, address: String? = nil) {
            self.node = node
            self.status = status
            self.address = address
        }

        /// heartbeat's wording: `Status update for node 192.0.2.254: status ping`.
        public var description: String { "Status update for node \(node): status \(status.rawValue)" }
    }

    /// What is known of one ping node.
    public struct Node: Hashable, Sendable {
        /// The ha.cf declaration.
        public var target: PingTarget
        /// The addresses, host byte order, in `target.addresses` order.
        public var addresses: [UInt32]
        /// The status.
        public var status: Status = .initial
        /// When a valid reply last came (ms, monotonic), if ever.
        public var lastReply: Int64?
        /// Which address answered last.
        public var lastAddress: String?
    }

    /// What the tracker did with a datagram handed to `receive`.
    public enum Verdict: Hashable, Sendable {
        /// A reply to an outstanding request: counted.
        case accepted([Change])
        /// Another program's echo (other identifier), or not an echo reply at all.
        case notOurs
        /// Our identifier, but no such request outstanding, or it came from another address.
        case unexpected
    }

    /// The ping nodes in ha.cf order.
    public private(set) var nodes: [Node]
    /// `deadping` in ms.
    public let deadpingMs: Int64
    /// The identifier of every request (heartbeat: `getpid() & 0xFFFF`).
    public let identifier: UInt16
    private let startedAt: Int64
    private var nextSequence: UInt16 = 0
    /// Requests not answered yet and younger than `deadping`: sequence → (node index, address, sent at).
    private var outstanding: [UInt16: (node: Int, address: UInt32, sentAt: Int64)] = [:]
    /// The echo data of every request (heartbeat sends a status message; only the length matters).
    public static let payload = Array("heartbeat-lite ping".utf8)
    /// The most requests kept outstanding: 16-bit sequences must not wrap onto a live one.
    static let outstandingLimit = 16_384

    /// Tracks `targets` (whose addresses are dotted quads, as ha.cf parsing checks), starting `now` (ms).
    public init(targets: [PingTarget], deadpingMs: Int, identifier: UInt16, now: Int64) {
        nodes = targets.map { target in
            Node(target: target, addresses: target.addresses.compactMap { text in
                IPv4Text.octets(text).map { $0.reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
            })
        }
        self.deadpingMs = Int64(deadpingMs)
        self.identifier = identifier
        startedAt = now
    }

    /// How many ping nodes answer now (ipfail's `ping_node_status`).
    public var reachable: Int { nodes.filter { $0.status == .up }.count }

    /// The requests of one keepalive: one to every address of every ping node.
    public mutating func probes(now: Int64) -> [Probe] {
        var probes: [Probe] = []
        for (index, node) in nodes.enumerated() {
            for address in node.addresses {
                if outstanding.count >= Self.outstandingLimit { prune(now: now, force: true) }
                let sequence = nextSequence
                nextSequence &+= 1
                outstanding[sequence] = (index, address, now)
                probes.append(Probe(address: address, bytes: ICMPEcho.request(identifier: identifier, sequence: sequence, payload: Self.payload)))
            }
        }
        return probes
    }

    /// A datagram read from the raw socket (IP header included).
    public mutating func receive(_ datagram: [UInt8], now: Int64) -> Verdict {
        guard let reply = ICMPEcho.reply(from: datagram), reply.identifier == identifier else { return .notOurs }
        guard let request = outstanding[reply.sequence], request.address == reply.source, reply.payload == Self.payload,
            nodes.indices.contains(request.node)
        else { return .unexpected }
        outstanding[reply.sequence] = nil
        let address = IPv4Text.dotted(reply.source)
        nodes[request.node].lastReply = now
        nodes[request.node].lastAddress = address
        guard nodes[request.node].status != .up else { return .accepted([]) }
        nodes[request.node].status = .up
        return .accepted([Change(node: nodes[request.node].target.name, status: .up, address: address)])
    }

    /// Time passes: nodes silent for `deadping` are dead; requests older than that are forgotten.
    public mutating func tick(now: Int64) -> [Change] {
        var changes: [Change] = []
        for index in nodes.indices where nodes[index].status != .dead {
            let since = nodes[index].lastReply ?? startedAt
            if now - since > deadpingMs {
                nodes[index].status = .dead
                changes.append(Change(node: nodes[index].target.name, status: .dead))
            }
        }
        prune(now: now, force: false)
        return changes
    }

    /// When `tick` may next change a status (ms), if ever.
    public func nextDeadline() -> Int64? {
        nodes.filter { $0.status != .dead }.map { ($0.lastReply ?? startedAt) + deadpingMs + 1 }.min()
    }

    private mutating func prune(now: Int64, force: Bool) {
        outstanding = outstanding.filter { now - $0.value.sentAt <= deadpingMs }
        if force && outstanding.count >= Self.outstandingLimit {
            // More requests in one deadping than sequence numbers to spare: drop the oldest half.
            let kept = outstanding.sorted { $0.value.sentAt > $1.value.sentAt }.prefix(Self.outstandingLimit / 2)
            outstanding = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
        }
    }
}

extension IPv4Text {
    /// A host-order address as a dotted quad.
    public static func dotted(_ address: UInt32) -> String {
        "\(address >> 24).\(address >> 16 & 0xff).\(address >> 8 & 0xff).\(address & 0xff)"
    }
}
