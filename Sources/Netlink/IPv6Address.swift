/// An IPv6 address: sixteen bytes, held as two 64-bit halves in host byte order.
public struct IPv6Address: Hashable, Comparable, Sendable, LosslessStringConvertible {
    /// The first eight bytes, most significant first: `2001:db8::` has `0x2001_0db8_0000_0000`.
    public let high: UInt64
    /// The last eight bytes.
    public let low: UInt64

    /// Creates an address from its two halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Creates an address from its eight 16-bit groups, in the order they are written.
    public init(groups: [UInt16]) {
        precondition(groups.count == 8, "an IPv6 address has 8 groups, not \(groups.count)")
        high = groups[0..<4].reduce(0) { $0 << 16 | UInt64($1) }
        low = groups[4..<8].reduce(0) { $0 << 16 | UInt64($1) }
    }

    /// Creates an address from sixteen bytes in network order; `nil` unless there are exactly sixteen.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        let all = Array(bytes)
        high = all[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
        low = all[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Parses text as `inet_pton(AF_INET6)` does (RFC 4291 §2.2): up to eight groups of 1-4 hex
    /// digits, at most one `::`, optionally a dotted IPv4 address as the last 32 bits. Zone ids
    /// (`%eth0`), brackets, prefixes and spaces are refused. Never traps, whatever the input.
    public init?(_ description: String) {
        let text = Array(description.utf8)
        guard text.count >= 2, text.count <= 45 else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var compressed = false
        var index = 0
        if text[0] == UInt8(ascii: ":") {
            // A leading colon is only allowed as the start of "::".
            guard text[1] == UInt8(ascii: ":") else { return nil }
            compressed = true
            index = 2
        }
        while index < text.count {
            // One group (or a trailing dotted IPv4 address), then ":" or "::" or the end.
            var end = index
            while end < text.count && text[end] != UInt8(ascii: ":") { end += 1 }
            let part = text[index..<end]
            if part.contains(UInt8(ascii: ".")) {
                // Dotted IPv4 only as the very last part.
                guard end == text.count, let v4 = IPv4Address(String(decoding: part, as: UTF8.self)) else { return nil }
                let groups = [UInt16(v4.rawValue >> 16), UInt16(truncatingIfNeeded: v4.rawValue)]
                if compressed { tail += groups } else { head += groups }
                index = end
                break
            }
            guard let group = Self.group(part) else { return nil }
            if compressed { tail.append(group) } else { head.append(group) }
            guard head.count + tail.count <= 8 else { return nil }
            if end == text.count { index = end; break }
            // text[end] is ":".
            if end + 1 < text.count && text[end + 1] == UInt8(ascii: ":") {
                guard !compressed else { return nil }  // a second "::"
                compressed = true
                index = end + 2
            } else {
                guard end + 1 < text.count else { return nil }  // a trailing single ":"
                index = end + 1
            }
        }
        let count = head.count + tail.count
        if compressed {
            // "::" stands for at least one group of zeros.
            guard count <= 7 else { return nil }
            self.init(groups: head + [UInt16](repeating: 0, count: 8 - count) + tail)
        } else {
            guard count == 8 else { return nil }
            self.init(groups: head)
        }
    }

    /// The sixteen bytes in network order, as they go on the wire.
    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
    }

    /// The eight 16-bit groups.
    public var groups: [UInt16] {
        (0..<4).map { UInt16(truncatingIfNeeded: high >> (48 - 16 * $0)) }
            + (0..<4).map { UInt16(truncatingIfNeeded: low >> (48 - 16 * $0)) }
    }

    /// The canonical text of RFC 5952 §4: lower-case hex without leading zeros; the longest run
    /// of two or more zero groups (the first of equal runs) becomes `::`; a single zero group
    /// stays `0`. IPv4-mapped addresses end in dotted form (§5), as `inet_ntop` writes them.
    public var description: String {
        let groups = self.groups
        if high == 0 && low >> 32 == 0xffff {
            return "::ffff:\(IPv4Address(rawValue: UInt32(truncatingIfNeeded: low)))"
        }
        var bestStart = -1
        var bestLength = 0
        var start = 0
        while start < 8 {
            guard groups[start] == 0 else {
                start += 1
                continue
            }
            var end = start
            while end < 8 && groups[end] == 0 { end += 1 }
            if end - start > bestLength {
                bestStart = start
                bestLength = end - start
            }
            start = end
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestLength >= 2 else { return hex.joined(separator: ":") }
        let before = hex[0..<bestStart].joined(separator: ":")
        let after = hex[(bestStart + bestLength)...].joined(separator: ":")
        return before + "::" + after
    }

    /// Orders addresses numerically.
    public static func < (lhs: IPv6Address, rhs: IPv6Address) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    /// The address `::`. The corresponding C constant is `IN6ADDR_ANY_INIT`.
    public static let any = IPv6Address(high: 0, low: 0)
    /// The address `::1`. The corresponding C constant is `IN6ADDR_LOOPBACK_INIT`.
    public static let loopback = IPv6Address(high: 0, low: 1)
    /// The all-nodes multicast group `ff02::1` (RFC 4291 §2.7.1), where unsolicited neighbour
    /// advertisements go.
    public static let allNodes = IPv6Address(high: 0xff02_0000_0000_0000, low: 1)

    /// Whether the address is `::1`.
    public var isLoopback: Bool { self == .loopback }
    /// Whether the address is `::`.
    public var isUnspecified: Bool { self == .any }
    /// Whether the address is multicast, in `ff00::/8`.
    public var isMulticast: Bool { high >> 56 == 0xff }
    /// Whether the address is link-local unicast, in `fe80::/10`: it means something only
    /// together with an interface.
    public var isLinkLocal: Bool { high >> 54 == 0xfe80 >> 6 }
    /// Whether the address is IPv4-mapped, in `::ffff:0:0/96`.
    public var isIPv4Mapped: Bool { high == 0 && low >> 32 == 0xffff }

    /// The network address: this address with all but the first `prefixLength` bits cleared.
    /// Requires `0...128`.
    public func masked(prefixLength: Int) -> IPv6Address {
        precondition((0...128).contains(prefixLength), "IPv6 prefix length \(prefixLength) is not in 0...128")
        func mask(_ bits: Int) -> UInt64 { bits <= 0 ? 0 : bits >= 64 ? .max : UInt64.max << (64 - bits) }
        return IPv6Address(high: high & mask(prefixLength), low: low & mask(prefixLength - 64))
    }

    /// Whether this address lies in `network/prefixLength`.
    public func isIn(_ network: IPv6Address, prefixLength: Int) -> Bool {
        masked(prefixLength: prefixLength) == network.masked(prefixLength: prefixLength)
    }

    /// The solicited-node multicast group of the address, `ff02::1:ffXX:XXXX` (RFC 4291 §2.7.1),
    /// to which duplicate address detection sends its neighbour solicitations.
    public var solicitedNode: IPv6Address {
        IPv6Address(high: 0xff02_0000_0000_0000, low: 0x0000_0001_ff00_0000 | (low & 0x00ff_ffff))
    }

    /// One group: 1-4 hex digits.
    private static func group(_ text: ArraySlice<UInt8>) -> UInt16? {
        guard (1...4).contains(text.count) else { return nil }
        var value: UInt16 = 0
        for character in text {
            let digit: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = character - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}
