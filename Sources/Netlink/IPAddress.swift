#if canImport(Glibc)
import Glibc
#endif

/// An address of a family that rtnetlink reports addresses and routes for: `IPv4Address` or
/// `IPv6Address`. What differs between the families is said here once, so that address entries,
/// routes and their decoding are written once for both.
public protocol IPAddress: Hashable, Sendable, LosslessStringConvertible {
    /// The address family. The corresponding C constants are `AF_INET` (2) and `AF_INET6` (10).
    static var family: Int32 { get }
    /// The address's length in bits, the longest prefix: 32 or 128.
    static var bitWidth: Int { get }
    /// The unspecified address, a default route's destination: `0.0.0.0` or `::`.
    static var any: Self { get }
    /// The metric the kernel gives the prefix route of an address it adds: 0 for IPv4, 256 for IPv6.
    static var prefixRouteMetric: UInt32 { get }
    /// The scope of a directly connected route: link for IPv4; `nil` for IPv6, whose routes all
    /// have universe scope, so that there the scope says nothing.
    static var connectedRouteScope: Scope? { get }

    /// Creates an address from its bytes in network order; `nil` unless there are exactly as many
    /// as the family has.
    init?(bytes: some Collection<UInt8>)

    /// Whether this address lies in `network/prefixLength`; `prefixLength` is at most `bitWidth`.
    func isIn(_ network: Self, prefixLength: Int) -> Bool
}

extension IPv4Address: IPAddress {
    /// `AF_INET`.
    public static var family: Int32 { AF_INET }
    /// 32.
    public static var bitWidth: Int { 32 }
    /// 0.
    public static var prefixRouteMetric: UInt32 { 0 }
    /// Link.
    public static var connectedRouteScope: Scope? { .link }
}

extension IPv6Address: IPAddress {
    /// `AF_INET6`.
    public static var family: Int32 { AF_INET6 }
    /// 128.
    public static var bitWidth: Int { 128 }
    /// 256.
    public static var prefixRouteMetric: UInt32 { 256 }
    /// None: IPv6 routes all have universe scope.
    public static var connectedRouteScope: Scope? { nil }
}
