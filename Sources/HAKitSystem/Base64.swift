/// Standard padded base64 (RFC 4648 alphabet): heartbeat's binary fields in the classic format, HTTP basic authentication.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, char) in alphabet.enumerated() { table[Int(char)] = UInt8(value) }
        return table
    }()

    /// The padded base64 text of `bytes`.
    public static func encode(_ bytes: [UInt8]) -> String {
        String(decoding: encodeBytes(bytes), as: UTF8.self)
    }

    /// The padded base64 of `bytes`, as ASCII bytes.
    public static func encodeBytes(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let remaining = bytes.count - index
            let b0 = UInt32(bytes[index])
            let b1 = remaining > 1 ? UInt32(bytes[index + 1]) : 0
            let b2 = remaining > 2 ? UInt32(bytes[index + 2]) : 0
            let triple = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(triple >> 18 & 0x3F)])
            out.append(alphabet[Int(triple >> 12 & 0x3F)])
            out.append(remaining > 1 ? alphabet[Int(triple >> 6 & 0x3F)] : UInt8(ascii: "="))
            out.append(remaining > 2 ? alphabet[Int(triple & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return out
    }

    /// The bytes of strict, canonical padded base64 text, or `nil` if it is not that.
    ///
    /// Canonical means the unused bits before the padding are zero, so that the text is the only
    /// encoding of its bytes: a signature check that re-renders the message then sees the same text.
    public static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        let chars = Array(text)
        guard chars.count % 4 == 0 else { return nil }
        let equals = UInt8(ascii: "=")
        var padding = 0
        if let last = chars.last, last == equals { padding = chars[chars.count - 2] == equals ? 2 : 1 }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 4 * 3)
        var index = 0
        while index < chars.count {
            let groupPadding = index + 4 == chars.count ? padding : 0
            var triple: UInt32 = 0
            for offset in 0..<4 {
                var value: UInt8 = 0
                if offset < 4 - groupPadding {
                    value = reverse[Int(chars[index + offset])]
                    guard value != 0xFF else { return nil }
                }
                triple = triple << 6 | UInt32(value)
            }
            if groupPadding == 2 && triple & 0xFFFF != 0 { return nil }
            if groupPadding == 1 && triple & 0xFF != 0 { return nil }
            out.append(UInt8(truncatingIfNeeded: triple >> 16))
            if groupPadding < 2 { out.append(UInt8(truncatingIfNeeded: triple >> 8)) }
            if groupPadding < 1 { out.append(UInt8(truncatingIfNeeded: triple)) }
            index += 4
        }
        return out
    }
}
