/// ICMP echo (RFC 792) as heartbeat's ping medium uses it: requests built here, replies read
/// from what a raw IPv4 socket delivers (the IP header, then the ICMP message).
///
/// Everything read comes from the network: every length and offset is checked, nothing traps.
public enum ICMPEcho {
    /// ICMP type of an echo request (RFC 792). The corresponding C constant is `ICMP_ECHO` (8).
    public static let echoRequestType: UInt8 = 8
    /// ICMP type of an echo reply (RFC 792). The corresponding C constant is `ICMP_ECHOREPLY` (0).
    public static let echoReplyType: UInt8 = 0
    /// The ICMP header: type, code, checksum, identifier, sequence. The corresponding C constant is `ICMP_MINLEN` (8).
    public static let headerSize = 8
    /// IP protocol number of ICMP. The corresponding C constant is `IPPROTO_ICMP` (1).
    static let protocolNumber: UInt8 = 1

    /// A reply that passed the checks of `reply(from:)`.
    public struct Reply: Hashable, Sendable {
        /// The IPv4 source address of the reply, host byte order.
        public var source: UInt32
        /// The echo identifier (heartbeat: the process id's low 16 bits).
        public var identifier: UInt16
        /// The echo sequence number.
        public var sequence: UInt16
        /// The data after the ICMP header, as the request carried it.
        public var payload: [UInt8]

        /// Creates a reply.
        public init(source: UInt32, identifier: UInt16, sequence: UInt16, payload: [UInt8]) {
            self.source = source
            self.identifier = identifier
            self.sequence = sequence
            self.payload = payload
        }
    }

    /// An echo request: header with its checksum, then `payload`.
    public static func request(identifier: UInt16, sequence: UInt16, payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [
            echoRequestType, 0, 0, 0,
            UInt8(identifier >> 8), UInt8(identifier & 0xff),
            UInt8(sequence >> 8), UInt8(sequence & 0xff),
        ]
        bytes += payload
        let sum = checksum(bytes)
        bytes[2] = UInt8(sum >> 8)
        bytes[3] = UInt8(sum & 0xff)
        return bytes
    }

    /// The Internet checksum (RFC 1071) of `bytes`: the ones' complement of the ones' complement
    /// sum of its 16-bit big-endian words, an odd last byte padded with zero. A message whose
    /// checksum field is right sums to 0 here.
    public static func checksum<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt16 {
        var sum: UInt32 = 0
        var high: UInt8?
        for byte in bytes {
            if let first = high {
                sum += UInt32(first) << 8 | UInt32(byte)
                high = nil
            } else {
                high = byte
            }
            // Folding as we go keeps the sum within 17 bits, whatever the length.
            sum = (sum & 0xffff) + (sum >> 16)
        }
        if let first = high { sum += UInt32(first) << 8 }
        while sum > 0xffff { sum = (sum & 0xffff) + (sum >> 16) }
        return ~UInt16(sum)
    }

    /// Reads a datagram from a raw IPv4 ICMP socket: an IPv4 header (IHL words), then ICMP.
    /// `nil` unless it is a well-formed, unfragmented echo reply with a correct checksum.
    public static func reply(from datagram: [UInt8]) -> Reply? {
        guard datagram.count >= 20, datagram[0] >> 4 == 4 else { return nil }
        let headerLength = Int(datagram[0] & 0x0f) * 4
        guard headerLength >= 20 else { return nil }
        let totalLength = Int(datagram[2]) << 8 | Int(datagram[3])
        // The kernel hands raw sockets whole datagrams; a total length beyond what arrived is a lie.
        guard totalLength >= headerLength + headerSize, totalLength <= datagram.count else { return nil }
        // A fragment (more-fragments set or an offset) is not a whole reply.
        let fragment = (UInt16(datagram[6]) << 8 | UInt16(datagram[7])) & 0x3fff
        guard fragment == 0, datagram[9] == protocolNumber else { return nil }
        let icmp = datagram[headerLength..<totalLength]
        guard icmp.count >= headerSize, checksum(icmp) == 0 else { return nil }
        let start = icmp.startIndex
        guard icmp[start] == echoReplyType, icmp[start + 1] == 0 else { return nil }
        let source = datagram[12..<16].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return Reply(
            source: source,
            identifier: UInt16(icmp[start + 4]) << 8 | UInt16(icmp[start + 5]),
            sequence: UInt16(icmp[start + 6]) << 8 | UInt16(icmp[start + 7]),
            payload: Array(icmp[(start + headerSize)...]))
    }
}
