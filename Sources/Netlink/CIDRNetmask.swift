/// A `cidr_netmask` value that is neither a prefix length of 1-32 nor a contiguous dotted netmask.
public struct NetmaskError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The value as given.
    public let value: String
    /// What is wrong with it.
    public let reason: String

    /// `invalid cidr_netmask "33": prefix length must be 1-32`.
    public var description: String { "invalid cidr_netmask \"\(value)\": \(reason)" }
}

/// Parses a `cidr_netmask` parameter, given as bits (`24`) or dotted (`255.255.255.0`), into a
/// prefix length of 1-32.
///
/// A dotted netmask must be contiguous ones followed by zeros; `0` and `0.0.0.0` are refused
/// because a virtual address with a /0 netmask would claim every address.
public func parseCIDRNetmask(_ value: String) throws(NetmaskError) -> Int {
    let prefixLength: Int
    if value.contains(".") {
        guard let netmask = IPv4Address(value) else {
            throw NetmaskError(value: value, reason: "not a dotted netmask")
        }
        guard let length = netmask.prefixLengthOfNetmask else {
            throw NetmaskError(value: value, reason: "not a contiguous netmask")
        }
        prefixLength = length
    } else {
        guard !value.isEmpty, value.utf8.count <= 3, value.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let length = Int(value)
        else {
            throw NetmaskError(value: value, reason: "not a prefix length or a dotted netmask")
        }
        prefixLength = length
    }
    guard (1...32).contains(prefixLength) else {
        throw NetmaskError(value: value, reason: "prefix length must be 1-32")
    }
    return prefixLength
}

/// Parses a `cidr_netmask` parameter for an IPv6 address: a prefix length of 1-128 in decimal
/// digits (findif's `prefixcheck`); IPv6 has no dotted netmasks.
public func parseIPv6PrefixLength(_ value: String) throws(NetmaskError) -> Int {
    guard !value.isEmpty, value.utf8.count <= 3, value.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
        let length = Int(value)
    else {
        throw NetmaskError(value: value, reason: "an IPv6 prefix length is a number of 1-128")
    }
    guard (1...128).contains(length) else {
        throw NetmaskError(value: value, reason: "prefix length must be 1-128")
    }
    return length
}
