import CMnl

/// The flags of an interface address, as in the `IFA_FLAGS` attribute (a superset of `ifa_flags`).
public struct AddressFlags: OptionSet, Hashable, Sendable {
    /// The raw flag bits.
    public let rawValue: UInt32

    /// Creates flags from raw bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// A secondary address in a subnet that already has one. The corresponding C constant is `IFA_F_SECONDARY`.
    public static let secondary = AddressFlags(rawValue: UInt32(IFA_F_SECONDARY))
    /// Skip duplicate address detection (IPv6). The corresponding C constant is `IFA_F_NODAD`.
    public static let noDAD = AddressFlags(rawValue: UInt32(IFA_F_NODAD))
    /// Duplicate address detection failed (IPv6). The corresponding C constant is `IFA_F_DADFAILED`.
    public static let dadFailed = AddressFlags(rawValue: UInt32(IFA_F_DADFAILED))
    /// The preferred lifetime has run out. The corresponding C constant is `IFA_F_DEPRECATED`.
    public static let deprecated = AddressFlags(rawValue: UInt32(IFA_F_DEPRECATED))
    /// Duplicate address detection is still running (IPv6). The corresponding C constant is `IFA_F_TENTATIVE`.
    public static let tentative = AddressFlags(rawValue: UInt32(IFA_F_TENTATIVE))
    /// The address does not expire. The corresponding C constant is `IFA_F_PERMANENT`.
    public static let permanent = AddressFlags(rawValue: UInt32(IFA_F_PERMANENT))
    /// Do not add a prefix route for the address's subnet. The corresponding C constant is `IFA_F_NOPREFIXROUTE`.
    public static let noPrefixRoute = AddressFlags(rawValue: UInt32(IFA_F_NOPREFIXROUTE))
}
