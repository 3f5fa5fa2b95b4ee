/// An IPv4 address: four bytes, held as a 32-bit number in host byte order.
public struct IPv4Address: RawRepresentable, Hashable, Comparable, Sendable, LosslessStringConvertible {
    /// The address as a number, most significant byte first: `192.0.2.1` is `0xC000_0201`.
    public let rawValue: UInt32

    /// Creates an address from its numeric value in host byte order.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Creates an address from its four bytes, in the order they are written.
    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        rawValue = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Creates an address from four bytes in network order; `nil` unless there are exactly four.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 4 else { return nil }
        rawValue = bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Parses dotted-quad text strictly, as `inet_pton(AF_INET)` does: exactly four decimal parts
    /// of 0-255, no leading zeros, no sign, no spaces.
    public init?(_ description: String) {
        var value: UInt32 = 0
        var parts = 0
        for part in description.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard let octet = Self.octet(part) else { return nil }
            value = value << 8 | UInt32(octet)
            parts += 1
        }
        guard parts == 4 else { return nil }
        rawValue = value
    }

    /// The four bytes in network order, as they go on the wire.
    public var bytes: [UInt8] {
        [
            UInt8(rawValue >> 24), UInt8(truncatingIfNeeded: rawValue >> 16),
            UInt8(truncatingIfNeeded: rawValue >> 8), UInt8(truncatingIfNeeded: rawValue),
        ]
    }

    /// Dotted-quad text, e.g. `192.0.2.1`.
    public var description: String { bytes.map(String.init).joined(separator: ".") }

    /// Whether the address is in `127.0.0.0/8`.
    public var isLoopback: Bool { rawValue >> 24 == 127 }

    /// Orders addresses numerically.
    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The address `0.0.0.0`. The corresponding C constant is `INADDR_ANY`.
    public static let any = IPv4Address(rawValue: 0)

    /// One decimal part: 1-3 digits, no leading zero unless it is `0`, at most 255.
    private static func octet(_ text: Substring.UTF8View) -> UInt8? {
        guard (1...3).contains(text.count), text.count == 1 || text.first != UInt8(ascii: "0") else { return nil }
        var value = 0
        for character in text {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(character) else { return nil }
            value = value * 10 + Int(character - UInt8(ascii: "0"))
        }
        return UInt8(exactly: value)
    }
}
