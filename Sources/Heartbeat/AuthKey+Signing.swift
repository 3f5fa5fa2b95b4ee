extension AuthKey {
    /// The signature of `bytes` as heartbeat writes it: lowercase hex HMAC for md5/sha1, `%lx` for crc.
    public func digest(of bytes: some Collection<UInt8>) -> String {
        switch method {
        case .crc:
            return HeartbeatCRC.hex(bytes)
        case .md5:
            return Hex.lowercase(MD5.hmac(key: secret, message: Array(bytes)))
        case .sha1:
            return Hex.lowercase(SHA1.hmac(key: secret, message: Array(bytes)))
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
    static func lowercase(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
