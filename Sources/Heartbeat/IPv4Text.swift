/// Dotted-quad IPv4 text, checked strictly (four decimal octets 0–255, no leading zeros).
///
/// Leading zeros are refused because `inet_aton` reads `010` as octal 8, so `192.168.010.1` would
/// not mean what it seems to.
enum IPv4Text {
    /// The four octets, or `nil` when `text` is not a dotted quad.
    static func octets(_ text: some StringProtocol) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCIIDigit) else { return nil }
            guard part.count == 1 || part.first != "0" else { return nil }
            guard let value = UInt8(part) else { return nil }
            octets.append(value)
        }
        return octets
    }

    /// Whether `text` is a dotted quad.
    static func isValid(_ text: some StringProtocol) -> Bool { octets(text) != nil }

    /// Whether `text` is an IPv4 multicast group (224.0.0.0/4).
    static func isMulticast(_ text: some StringProtocol) -> Bool {
        guard let first = octets(text)?.first else { return false }
        return (224...239).contains(first)
    }
}
