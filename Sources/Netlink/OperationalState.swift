import CMnl

/// An interface's operational state (RFC 2863), as in the `IFLA_OPERSTATE` attribute.
public struct OperationalState: RawRepresentable, Hashable, Sendable {
    /// The `IF_OPER_*` value.
    public let rawValue: UInt8

    /// Creates a state from its `IF_OPER_*` value.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The driver does not report a state. The corresponding C constant is `IF_OPER_UNKNOWN`.
    public static let unknown = OperationalState(rawValue: UInt8(IF_OPER_UNKNOWN))
    /// The interface is not present. The corresponding C constant is `IF_OPER_NOTPRESENT`.
    public static let notPresent = OperationalState(rawValue: UInt8(IF_OPER_NOTPRESENT))
    /// The interface is down. The corresponding C constant is `IF_OPER_DOWN`.
    public static let down = OperationalState(rawValue: UInt8(IF_OPER_DOWN))
    /// An interface it sits on is down. The corresponding C constant is `IF_OPER_LOWERLAYERDOWN`.
    public static let lowerLayerDown = OperationalState(rawValue: UInt8(IF_OPER_LOWERLAYERDOWN))
    /// The interface is in test mode. The corresponding C constant is `IF_OPER_TESTING`.
    public static let testing = OperationalState(rawValue: UInt8(IF_OPER_TESTING))
    /// The interface waits for an external event. The corresponding C constant is `IF_OPER_DORMANT`.
    public static let dormant = OperationalState(rawValue: UInt8(IF_OPER_DORMANT))
    /// The interface can pass packets. The corresponding C constant is `IF_OPER_UP`.
    public static let up = OperationalState(rawValue: UInt8(IF_OPER_UP))
}
