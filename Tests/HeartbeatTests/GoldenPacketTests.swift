import Heartbeat
import Testing

/// A status heartbeat shaped like the packet captured in spec §4.7, signed with a known key.
///
/// The capture's signatures are elided, so the expected bytes here were written by hand from the
/// format and the signatures computed independently (Python's hmac/hashlib).
@Suite("golden heartbeat packet")
struct GoldenPacketTests {
    static let uuid = (0..<16).map { UInt8($0) }
    static let sender = SenderStamp(
        node: "node1",
        uuid: uuid,
        sequence: 2,
        generation: 0x6b03_2eb4,
        timestamp: 0x6b03_2eb3,
        load: "1.88 1.17 0.54 5/178 26",
        ttl: 3
    )
    static let key = AuthKey(index: 1, method: .sha1, secret: "CHANGEME")
    static let keys = AuthKeys(active: key, entries: [1: key])
    static let body = HeartbeatMessage(["t": "status", "st": "up", "dt": "2710", "protocol": "1"])
    static let message = body.stamped(by: sender, signingWith: key)

    /// The 16 UUID bytes 00…0f as they appear raw in a netstring field.
    static let rawUUID = "\u{00}\u{01}\u{02}\u{03}\u{04}\u{05}\u{06}\u{07}\u{08}\t\n\u{0B}\u{0C}\r\u{0E}\u{0F}"

    static let expectedNetstring =
        "###\n11:(0)t=status,8:(0)st=up,10:(0)dt=2710,13:(0)protocol=1,12:(0)src=node1,"
        + "27:(1)srcuuid=\(rawUUID),8:(0)seq=2,14:(0)hg=6b032eb4,14:(0)ts=6b032eb3,"
        + "29:(0)ld=1.88 1.17 0.54 5/178 26,8:(0)ttl=3,50:(0)auth=1 09c7667fb3eb20b76844ab4b99e454e08581956d,%%%\n"
        + "42:1 5557990a7378623745f96ca4702b52e47fc718ff,"

    static let expectedSigningText =
        "t=status\nst=up\ndt=2710\nprotocol=1\nsrc=node1\n(1)srcuuid=AAECAwQFBgcICQoLDA0ODw==\nseq=2\n"
        + "hg=6b032eb4\nts=6b032eb3\nld=1.88 1.17 0.54 5/178 26\nttl=3\n"

    static let expectedClassic =
        ">>>\n" + expectedSigningText + "auth=1 09c7667fb3eb20b76844ab4b99e454e08581956d\n<<<\n"

    @Test("the builder appends heartbeat's sender fields in order, then auth")
    func fieldOrder() {
        #expect(
            Self.message.fields.map(\.name) == [
                "t", "st", "dt", "protocol", "src", "srcuuid", "seq", "hg", "ts", "ld", "ttl", "auth",
            ]
        )
        #expect(
            Self.message.field(named: "srcuuid") == HeartbeatField(name: "srcuuid", type: .binary, value: Self.uuid)
        )
        #expect(Self.message["seq"] == "2")
        #expect(Self.message["hg"] == "6b032eb4")
        #expect(Self.message["srcuuid"] == nil)  // binary fields have no string value
        #expect(Self.message["auth"] == "1 09c7667fb3eb20b76844ab4b99e454e08581956d")
        #expect(Self.message.type == "status")
    }

    @Test("netstring bytes match the hand-written packet exactly")
    func netstringBytes() {
        let encoded = Self.message.netstringEncoded(signingWith: Self.key)
        #expect(encoded == Self.expectedNetstring.bytes)
        #expect(encoded.count == Self.expectedNetstring.utf8.count)
        // The lengths that the capture in spec §4.7 shows for the same fields.
        for piece in ["27:(1)srcuuid=", ",29:(0)ld=1.88 1.17 0.54 5/178 26,", ",50:(0)auth=1 ", "%%%\n42:1 "] {
            #expect(String(decoding: encoded, as: UTF8.self).contains(piece))
        }
    }

    @Test("the auth field signs the classic rendering without markers or auth")
    func signingText() {
        #expect(Self.message.signingText == Self.expectedSigningText.bytes)
        #expect(Self.key.token(of: Self.expectedSigningText.bytes) == Self.message["auth"])
        #expect(Self.message.classicEncoded == Self.expectedClassic.bytes)
    }

    @Test("md5 and crc keys sign the same text")
    func otherMethods() {
        let md5 = Self.body.stamped(by: Self.sender, signingWith: AuthKey(index: 2, method: .md5, secret: "s3cret"))
        #expect(md5["auth"] == "2 9e3c617a1e29bfa92f29ebf7385fccbe")
        let crc = Self.body.stamped(by: Self.sender, signingWith: AuthKey(index: 1, method: .crc))
        #expect(crc["auth"] == "1 8275857f")
    }

    @Test("the netstring packet decodes to the same message and verifies both ways")
    func decodeNetstring() throws {
        let packet = try ReceivedPacket(decoding: Self.expectedNetstring.bytes)
        #expect(packet.format == .netstring)
        #expect(packet.message == Self.message)
        #expect(packet.trailer == "1 5557990a7378623745f96ca4702b52e47fc718ff")
        #expect(packet.signedBytes == Self.message.netstringPayload)
        try packet.verify(with: Self.keys)
        try packet.verifyTrailer(with: Self.keys)
        try packet.message.verifyAuthField(with: Self.keys)
        #expect(packet.isAuthentic(with: Self.keys))
    }

    @Test("the classic packet decodes to the same message and verifies by its auth field")
    func decodeClassic() throws {
        let packet = try ReceivedPacket(decoding: Self.expectedClassic.bytes)
        #expect(packet.format == .classic)
        #expect(packet.message == Self.message)
        #expect(packet.trailer == nil)
        #expect(packet.signedBytes.isEmpty)
        try packet.verify(with: Self.keys)
        #expect(packet.isAuthentic(with: Self.keys))
        // Classic packets have no trailer to check.
        let error = expectAuthenticationError { () throws(AuthenticationError) in
            try packet.verifyTrailer(with: Self.keys)
        }
        #expect(error?.code == .missingSignature)
    }

    @Test("changing any byte of the netstring packet makes it fail", arguments: [UInt8(0x01), 0x20, 0x80])
    func tamperNetstring(mask: UInt8) {
        let original = Self.expectedNetstring.bytes
        for index in original.indices {
            var tampered = original
            tampered[index] ^= mask
            let accepted = (try? ReceivedPacket(decoding: tampered))?.isAuthentic(with: Self.keys) ?? false
            #expect(!accepted, "byte \(index) ^ \(mask) was accepted")
        }
    }

    @Test("changing any byte of the classic packet makes it fail", arguments: [UInt8(0x01), 0x20, 0x80])
    func tamperClassic(mask: UInt8) {
        let original = Self.expectedClassic.bytes
        for index in original.indices {
            var tampered = original
            tampered[index] ^= mask
            let accepted = (try? ReceivedPacket(decoding: tampered))?.isAuthentic(with: Self.keys) ?? false
            #expect(!accepted, "byte \(index) ^ \(mask) was accepted")
        }
    }

    @Test("a peer with another secret, an unknown key index, or no signature is refused")
    func wrongKeys() throws {
        let packet = try ReceivedPacket(decoding: Self.expectedNetstring.bytes)
        let otherSecret = AuthKey(index: 1, method: .sha1, secret: "changeme")
        let other = AuthKeys(active: otherSecret, entries: [1: otherSecret])
        #expect(
            expectAuthenticationError { () throws(AuthenticationError) in try packet.verify(with: other) }?.code
                == .mismatch
        )
        #expect(
            expectAuthenticationError { () throws(AuthenticationError) in
                try packet.message.verifyAuthField(with: other)
            }?.code == .mismatch
        )

        let otherIndex = AuthKey(index: 2, method: .sha1, secret: "CHANGEME")
        let indexed = AuthKeys(active: otherIndex, entries: [2: otherIndex])
        let unknown = expectAuthenticationError { () throws(AuthenticationError) in try packet.verify(with: indexed) }
        #expect(unknown?.code == .unknownKey)
        #expect(unknown?.description == "trailer is signed with key 1, which authkeys does not define")

        // Any shared entry may sign: a receiver whose active key is 2 still checks key 1.
        let both = AuthKeys(active: otherIndex, entries: [1: Self.key, 2: otherIndex])
        #expect(packet.isAuthentic(with: both))

        let unsigned = try ReceivedPacket(decoding: Self.message.netstringPayload)
        #expect(unsigned.trailer == nil)
        #expect(
            expectAuthenticationError { () throws(AuthenticationError) in try unsigned.verify(with: Self.keys) }?.code
                == .missingSignature
        )
        var noAuth = Self.message
        noAuth.removeAll(named: "auth")
        #expect(
            expectAuthenticationError { () throws(AuthenticationError) in try noAuth.verifyAuthField(with: Self.keys) }?
                .code == .missingSignature
        )
    }

    @Test(
        "malformed signature tokens",
        arguments: ["1", "1 ", " abc", "1 ABCDEF", "x abc", "123 abc", "1  abc", "1 abc "]
    )
    func malformedTokens(token: String) {
        var message = Self.message
        message.removeAll(named: "auth")
        message.append("auth", token)
        let error = expectAuthenticationError { () throws(AuthenticationError) in
            try message.verifyAuthField(with: Self.keys)
        }
        #expect(error?.code == .malformedSignature)
    }

    @Test("NS_ control messages carry no seq or ld; restamping replaces sender fields")
    func controlMessages() {
        let ack = HeartbeatMessage(["t": "NS_ackmsg", "dest": "node2", "ackseq": "5"])
        #expect(!ack.carriesSequence)
        #expect(Self.body.carriesSequence)
        let stamp = SenderStamp(
            node: "node1",
            uuid: Self.uuid,
            sequence: nil,
            generation: 1,
            timestamp: 0x10,
            load: nil,
            ttl: 3
        )
        let stamped = ack.stamped(by: stamp, signingWith: Self.key)
        #expect(stamped.fields.map(\.name) == ["t", "dest", "ackseq", "src", "srcuuid", "hg", "ts", "ttl", "auth"])
        #expect(stamped["ts"] == "10")

        let again = Self.message.stamped(by: stamp, signingWith: Self.key)
        #expect(again.fields.map(\.name) == ["t", "st", "dt", "protocol", "src", "srcuuid", "hg", "ts", "ttl", "auth"])
        #expect(again["hg"] == "1")
        #expect(again["auth"] == Self.key.token(of: again.signingText))
    }
}
