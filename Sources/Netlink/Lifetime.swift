/// The preferred or valid lifetime of an address, in seconds; `forever` means it does not expire.
public struct Lifetime: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// Seconds left; `UInt32.max` means forever.
    public let rawValue: UInt32

    /// Creates a lifetime from seconds, or `UInt32.max` for forever.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// A lifetime of `seconds`.
    public static func seconds(_ seconds: UInt32) -> Lifetime { Lifetime(rawValue: seconds) }

    /// No expiry. The corresponding C constant is `INFINITY_LIFE_TIME` (0xFFFFFFFF).
    public static let forever = Lifetime(rawValue: UInt32.max)

    /// `forever` or `300sec`, as `ip` prints it.
    public var description: String { self == .forever ? "forever" : "\(rawValue)sec" }
}
