extension IPv4Address {
    /// The netmask of a prefix length: 24 gives `255.255.255.0`. Requires `0...32`.
    public static func netmask(prefixLength: Int) -> IPv4Address {
        precondition((0...32).contains(prefixLength), "IPv4 prefix length \(prefixLength) is not in 0...32")
        return IPv4Address(rawValue: prefixLength == 0 ? 0 : UInt32.max << (32 - prefixLength))
    }

    /// The prefix length of a contiguous netmask (`255.255.255.0` gives 24); `nil` if the ones are not contiguous.
    public var prefixLengthOfNetmask: Int? {
        let ones = (~rawValue).leadingZeroBitCount
        return Self.netmask(prefixLength: ones) == self ? ones : nil
    }

    /// The network address: this address with the host bits cleared.
    public func masked(prefixLength: Int) -> IPv4Address {
        IPv4Address(rawValue: rawValue & Self.netmask(prefixLength: prefixLength).rawValue)
    }

    /// Whether this address lies in `network/prefixLength`.
    public func isIn(_ network: IPv4Address, prefixLength: Int) -> Bool {
        masked(prefixLength: prefixLength) == network.masked(prefixLength: prefixLength)
    }

    /// The broadcast address of this address's subnet: the highest address in it
    /// (`192.0.2.3`, 27 gives `192.0.2.31`).
    ///
    /// `nil` for /31 and /32, which have no broadcast address (RFC 3021 point-to-point links, host routes).
    public func broadcast(prefixLength: Int) -> IPv4Address? {
        guard prefixLength <= 30 else { return nil }
        return IPv4Address(rawValue: rawValue | ~Self.netmask(prefixLength: prefixLength).rawValue)
    }
}
