/// Dotted-quad IPv4 text, checked strictly (four decimal octets 0–255, no leading zeros).
///
/// Leading zeros are refused because `inet_aton` reads `010` as octal 8, so `192.168.010.1` would
/// not mean what it seems to.
public enum IPv4Text {
    /// The four octets, or `nil` when `text` is not a dotted quad.
    public static func octets(_ text: some StringProtocol) -> [UInt8]? {
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
    public static func isValid(_ text: some StringProtocol) -> Bool { octets(text) != nil }

    /// Whether `text` is an IPv4 multicast group (224.0.0.0/4).
    static func isMulticast(_ text: some StringProtocol) -> Bool {
        guard let first = octets(text)?.first else { return false }
        return (224...239).contains(first)
    }
}

/// Host names as the resolver takes them (RFC 1123 §2.1): dot-separated labels of 1 to 63 letters,
/// digits, `-` and `_`, not starting or ending with `-`, at most 253 bytes in all.
enum HostName {
    /// Whether `text` is a host name. Digits and dots alone are not one (RFC 3696 §2: a top-level
    /// label is never all-numeric), so `300.1.1.1` is a bad address, not a name to look up.
    static func isValid(_ text: some StringProtocol) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 253 else { return false }
        guard !text.allSatisfy({ $0 == "." || $0.isASCIIDigit }) else { return false }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        let body = text.hasSuffix(".") ? labels.dropLast() : labels[...]
        return body.allSatisfy { label in
            (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }
}
