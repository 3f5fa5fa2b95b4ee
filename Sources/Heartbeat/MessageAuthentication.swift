extension HeartbeatMessage {
    /// Checks the `auth` field: the token of the key it names over `signingText` (heartbeat's check
    /// for classic messages).
    ///
    /// The key is the authkeys entry with the token's index, so a peer may sign with any entry both
    /// sides share.
    public func verifyAuthField(with keys: AuthKeys) throws(AuthenticationError) {
        guard let field = field(named: "auth") else {
            throw AuthenticationError(.missingSignature, "message has no auth field")
        }
        guard field.type == .string else {
            throw AuthenticationError(.malformedSignature, "auth field is not a string")
        }
        try SignatureCheck.verify(token: field.value[...], over: signingText, keys: keys, what: "auth field")
    }
}

extension ReceivedPacket {
    /// Checks the netstring trailer: the token of the key it names over `signedBytes`.
    public func verifyTrailer(with keys: AuthKeys) throws(AuthenticationError) {
        guard let trailer else {
            throw AuthenticationError(.missingSignature, "packet has no netstring trailer")
        }
        try SignatureCheck.verify(token: Array(trailer.utf8)[...], over: signedBytes, keys: keys, what: "trailer")
    }

    /// Checks the packet as heartbeat's receivers do: the trailer for netstring, the `auth` field for classic.
    public func verify(with keys: AuthKeys) throws(AuthenticationError) {
        switch format {
        case .netstring: try verifyTrailer(with: keys)
        case .classic: try message.verifyAuthField(with: keys)
        }
    }

    /// Whether `verify(with:)` succeeds.
    public func isAuthentic(with keys: AuthKeys) -> Bool {
        do {
            try verify(with: keys)
            return true
        } catch {
            return false
        }
    }
}

/// Parsing a `N hex` token and comparing it in constant time.
enum SignatureCheck {
    static func verify(token: ArraySlice<UInt8>, over bytes: [UInt8], keys: AuthKeys, what: String)
        throws(AuthenticationError)
    {
        guard let space = token.firstIndex(of: UInt8(ascii: " ")) else {
            throw AuthenticationError(.malformedSignature, "\(what) is not \"N hex\"")
        }
        let indexText = token[..<space]
        let digest = token[(space + 1)...]
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let isHex = { (byte: UInt8) in isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f")) }
        guard (1...2).contains(indexText.count), indexText.allSatisfy(isDigit), !digest.isEmpty,
            digest.allSatisfy(isHex)
        else {
            throw AuthenticationError(.malformedSignature, "\(what) is not \"N hex\"")
        }
        let index = indexText.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard let key = keys.key(index: index) else {
            throw AuthenticationError(
                .unknownKey,
                "\(what) is signed with key \(index), which authkeys does not define"
            )
        }
        let expected = key.digestText(of: bytes)
        guard constantTimeEqual(expected, digest) else {
            throw AuthenticationError(
                .mismatch,
                "\(what) does not match the message (key \(index), \(key.method.rawValue))"
            )
        }
    }

    /// Compares without stopping at the first difference, so timing does not reveal how much matched.
    static func constantTimeEqual(_ a: [UInt8], _ b: ArraySlice<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
