extension AuthKey {
    /// The signature of `bytes` as heartbeat writes it: lowercase hex HMAC for md5/sha1, `%lx` for crc.
    public func digest(of bytes: some Collection<UInt8>) -> String {
        String(decoding: digestText(of: Array(bytes)), as: UTF8.self)
    }

    /// `digest(of:)` as bytes, without building a String: what a received packet is checked against.
    func digestText(of bytes: [UInt8]) -> [UInt8] {
        switch (method, hmacStates) {
        case (.md5, let states?): Hex.lowercaseBytes(MD5.hmac(states, message: bytes))
        case (.sha1, let states?): Hex.lowercaseBytes(SHA1.hmac(states, message: bytes))
        default: Array(HeartbeatCRC.hex(bytes).utf8)
        }
    }

    /// The token heartbeat puts in the `auth` field and the netstring trailer: `"<N> <hex>"`.
    public func token(of bytes: some Collection<UInt8>) -> String {
        "\(index) \(digest(of: bytes))"
    }
}

/// Lowercase hex rendering of bytes.
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Two lowercase hex digits per byte.
    static func lowercaseBytes(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return out
    }
}
