#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import Netlink

/// An unsolicited neighbour advertisement (RFC 4861 §4.4, §7.2.6): the ICMPv6 message a host
/// sends to the all-nodes group when its link-layer address for an IPv6 address changes, so that
/// neighbours update their caches at once, as gratuitous ARP does for IPv4.
public struct NeighborAdvertisement: Hashable, Sendable {
    /// The ICMPv6 type. The corresponding C constant is `ND_NEIGHBOR_ADVERT` (136).
    public static let type: UInt8 = 136
    /// The override flag: replace an existing cache entry. The corresponding C constant is
    /// `ND_NA_FLAG_OVERRIDE`.
    public static let overrideFlag: UInt8 = 0x20
    /// The option type of the target link-layer address, which RFC 4861 §4.4 lets an
    /// advertisement carry. The corresponding C constant is `ND_OPT_TARGET_LINKADDR` (2).
    public static let targetLinkLayerOption: UInt8 = 2

    /// The address announced.
    public var target: IPv6Address
    /// The link-layer address neighbours should use for it: the interface's.
    public var hardware: [UInt8]

    /// Creates an advertisement.
    public init(target: IPv6Address, hardware: [UInt8]) {
        self.target = target
        self.hardware = hardware
    }

    /// The ICMPv6 message with a zero checksum (the kernel fills it in): unsolicited (S clear),
    /// override set, router clear, and a target link-layer address option when there is a
    /// hardware address (the kernel's own unsolicited advertisements look the same,
    /// `ndisc_send_unsol_na`).
    public var bytes: [UInt8] {
        var message: [UInt8] = [Self.type, 0, 0, 0, Self.overrideFlag, 0, 0, 0] + target.bytes
        if !hardware.isEmpty {
            // The option's length is in units of 8 bytes, its type and length included.
            let units = (2 + hardware.count + 7) / 8
            message += [Self.targetLinkLayerOption, UInt8(clamping: units)] + hardware
            message += [UInt8](repeating: 0, count: units * 8 - 2 - hardware.count)
        }
        return message
    }

    /// Parses an ICMPv6 message (as a capture or a raw socket hands it over, checksum unchecked);
    /// `nil` unless it is a neighbour advertisement. Never traps.
    public init?(icmp bytes: [UInt8]) {
        guard bytes.count >= 24, bytes[0] == Self.type, let target = IPv6Address(bytes: bytes[8..<24]) else {
            return nil
        }
        self.target = target
        hardware = []
        var offset = 24
        while offset + 2 <= bytes.count {
            let length = Int(bytes[offset + 1]) * 8
            guard length > 0, offset + length <= bytes.count else { break }
            if bytes[offset] == Self.targetLinkLayerOption {
                hardware = Array(bytes[(offset + 2)..<(offset + length)].prefix(6))
            }
            offset += length
        }
    }
}

/// Sends unsolicited neighbour advertisements for an IPv6 address on its interface.
public struct UnsolicitedNeighborAdvertisement {
    /// The interface to announce on.
    public let interface: Link
    /// The address announced.
    public let address: IPv6Address

    /// Creates a sender.
    public init(interface: Link, address: IPv6Address) {
        self.interface = interface
        self.address = address
    }

    /// Opens the socket, bound to the address itself (the source the kernel's own
    /// advertisements use); fails while the address is tentative.
    public func open() throws -> ICMPv6Socket {
        try ICMPv6Socket(source: address.bytes, interfaceIndex: interface.index)
    }

    /// Sends `count` advertisements `intervalMilliseconds` apart to `ff02::1`. With
    /// `firstSent`, the first was sent already (`sendFirst`) and the sequence starts with the wait.
    public func send(
        count: Int, intervalMilliseconds: Int, firstSent: Bool = false, socket: ICMPv6Socket? = nil
    ) throws {
        guard count > 0 else { return }
        let socket = try socket ?? open()
        let message = NeighborAdvertisement(target: address, hardware: interface.hardwareAddress).bytes
        for round in 0..<count {
            if round > 0 { MonotonicClock.sleep(milliseconds: max(0, intervalMilliseconds)) }
            if round == 0 && firstSent { continue }
            try socket.send(message, to: IPv6Address.allNodes.bytes)
        }
    }

    /// Sends the first advertisement and returns the socket it used.
    public func sendFirst() throws -> ICMPv6Socket {
        let socket = try open()
        try socket.send(
            NeighborAdvertisement(target: address, hardware: interface.hardwareAddress).bytes,
            to: IPv6Address.allNodes.bytes)
        return socket
    }
}
