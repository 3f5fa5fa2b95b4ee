import Netlink

/// An Ethernet frame carrying an ARP packet for IPv4 (RFC 826), as gratuitous ARP and address
/// probes use it (RFC 5227).
public struct ARPFrame: Hashable, Sendable {
    /// The ARP operation.
    public struct Operation: RawRepresentable, Hashable, Sendable {
        /// The operation code.
        public let rawValue: UInt16
        /// Creates an operation from its code.
        public init(rawValue: UInt16) { self.rawValue = rawValue }
        /// A request. The corresponding constant is `ARPOP_REQUEST` (1).
        public static let request = Operation(rawValue: 1)
        /// A reply. The corresponding constant is `ARPOP_REPLY` (2).
        public static let reply = Operation(rawValue: 2)
    }

    /// The ARP ethertype. The corresponding constant is `ETH_P_ARP` (0x0806).
    public static let etherType: UInt16 = 0x0806
    /// The Ethernet broadcast address.
    public static let broadcast: [UInt8] = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
    /// The shortest Ethernet frame without its checksum; shorter frames are padded with zeros.
    public static let minimumLength = 60

    /// The Ethernet destination.
    public var destination: [UInt8]
    /// The Ethernet source.
    public var source: [UInt8]
    /// Request or reply.
    public var operation: Operation
    /// The sender hardware address.
    public var senderHardware: [UInt8]
    /// The sender protocol address (0.0.0.0 in a probe).
    public var senderAddress: IPv4Address
    /// The target hardware address.
    public var targetHardware: [UInt8]
    /// The target protocol address.
    public var targetAddress: IPv4Address

    /// Creates a frame from its fields.
    public init(
        destination: [UInt8], source: [UInt8], operation: Operation, senderHardware: [UInt8],
        senderAddress: IPv4Address, targetHardware: [UInt8], targetAddress: IPv4Address
    ) {
        self.destination = destination
        self.source = source
        self.operation = operation
        self.senderHardware = senderHardware
        self.senderAddress = senderAddress
        self.targetHardware = targetHardware
        self.targetAddress = targetAddress
    }

    /// A gratuitous ARP announcing that `address` is at `hardware`, broadcast: a request with
    /// sender and target address both `address` and a zero target hardware address (RFC 5227
    /// §3), or a reply with the broadcast address as target hardware (what `arping -A` sends).
    public static func gratuitous(_ operation: Operation, address: IPv4Address, hardware: [UInt8]) -> ARPFrame {
        ARPFrame(
            destination: broadcast, source: hardware, operation: operation, senderHardware: hardware,
            senderAddress: address, targetHardware: operation == .reply ? broadcast : [0, 0, 0, 0, 0, 0],
            targetAddress: address)
    }

    /// An address probe (RFC 5227 §2.1.1): "who has `address`?" from sender address 0.0.0.0, so
    /// that no host updates its cache from it.
    public static func probe(for address: IPv4Address, hardware: [UInt8]) -> ARPFrame {
        ARPFrame(
            destination: broadcast, source: hardware, operation: .request, senderHardware: hardware,
            senderAddress: .any, targetHardware: [0, 0, 0, 0, 0, 0], targetAddress: address)
    }

    /// The frame's bytes: Ethernet header, ARP packet, zero padding to 60 bytes.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Self.minimumLength)
        out += destination + source
        out += [UInt8(Self.etherType >> 8), UInt8(Self.etherType & 0xff)]
        out += [0x00, 0x01]  // hardware type: Ethernet (ARPHRD_ETHER)
        out += [0x08, 0x00]  // protocol type: IPv4
        out += [6, 4]  // address lengths
        out += [UInt8(operation.rawValue >> 8), UInt8(operation.rawValue & 0xff)]
        out += senderHardware + senderAddress.bytes + targetHardware + targetAddress.bytes
        if out.count < Self.minimumLength { out += [UInt8](repeating: 0, count: Self.minimumLength - out.count) }
        return out
    }

    /// Parses an Ethernet/IPv4 ARP frame; `nil` for anything else.
    public init?(bytes: [UInt8]) {
        guard bytes.count >= 42, bytes[12] == 0x08, bytes[13] == 0x06, bytes[14...19] == [0, 1, 8, 0, 6, 4][...]
        else { return nil }
        guard let sender = IPv4Address(bytes: bytes[28..<32]), let target = IPv4Address(bytes: bytes[38..<42]) else {
            return nil
        }
        self.init(
            destination: Array(bytes[0..<6]), source: Array(bytes[6..<12]),
            operation: Operation(rawValue: UInt16(bytes[20]) << 8 | UInt16(bytes[21])),
            senderHardware: Array(bytes[22..<28]), senderAddress: sender, targetHardware: Array(bytes[32..<38]),
            targetAddress: target)
    }
}
