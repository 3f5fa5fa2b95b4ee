import Heartbeat
import Testing

@Suite("wire codec")
struct WireCodecTests {
    static let key = AuthKey(index: 1, method: .sha1, secret: "k")

    @Test("message accessors")
    func accessors() {
        var message = HeartbeatMessage(["t": "ip-request", "ipaddr": "10.0.0.1"])
        message.append("dest", "node2")
        message.append("destuuid", binary: [1, 2, 3])
        message.append("t", "second")
        #expect(message.type == "ip-request")
        #expect(message["dest"] == "node2")
        #expect(message["missing"] == nil)
        #expect(message.field(named: "destuuid")?.value == [1, 2, 3])
        #expect(message.field(named: "destuuid")?.description == "destuuid=AQID")
        message.removeAll(named: "t")
        #expect(message.fields.map(\.name) == ["ipaddr", "dest", "destuuid"])
        #expect(FieldType.string.rawValue == 0 && FieldType.binary.rawValue == 1)
    }

    @Test("netstring values are raw bytes: separators and newlines survive a round trip")
    func netstringRoundTrip() throws {
        var message = HeartbeatMessage(["t": "x", "info": "a=b,c:d\n%%%\n###\n,"])
        message.append("bin", binary: (0...255).map { UInt8($0) })
        message.append("empty", "")
        let encoded = message.netstringEncoded(signingWith: Self.key)
        let packet = try ReceivedPacket(decoding: encoded)
        #expect(packet.message == message)
        #expect(packet.isAuthentic(with: AuthKeys(active: Self.key, entries: [1: Self.key])))
    }

    @Test(
        "classic binary fields are padded base64 and round-trip",
        arguments: [
            ([UInt8](), ""), ([0], "AA=="), ([0, 1], "AAE="), ([0, 1, 2], "AAEC"),
            ([0xFF, 0xFE, 0xFD, 0xFC], "//79/A=="),
        ]
    )
    func classicBase64(value: [UInt8], text: String) throws {
        var message = HeartbeatMessage(["t": "x"])
        message.append("b", binary: value)
        #expect(message.classicEncoded == ">>>\nt=x\n(1)b=\(text)\n<<<\n".bytes)
        #expect(try ReceivedPacket(decoding: message.classicEncoded).message == message)
    }

    @Test("classic reading: CRLF lines and blank lines, NUL padding after the end")
    func classicLenient() throws {
        let packet = try ReceivedPacket(
            decoding: ">>>\r\n".bytes.isEmpty ? [] : ">>>\nt=x\r\n\r\n\na=b=c\n<<<\r\n\0\0".bytes
        )
        #expect(packet.message == HeartbeatMessage(["t": "x", "a": "b=c"]))
        let netstring = try ReceivedPacket(decoding: "###\n6:(0)a=b,%%%\n\0".bytes)
        #expect(netstring.message == HeartbeatMessage(["a": "b"]))
        #expect(netstring.trailer == nil)
    }

    @Test(
        "decoding errors are typed",
        arguments: [
            ("", WireError.Code.truncated),
            ("##", .truncated),
            (">>", .truncated),
            ("hello", .unknownFormat),
            (">>>\r\nt=x\n<<<\n", .unknownFormat),
            ("###\n", .truncated),
            ("###\n6:(0)a=b,", .truncated),
            ("###\n6:(0)a=b", .truncated),
            ("###\n6:(0)a=", .truncated),
            ("###\n6", .truncated),
            ("###\n5:(0)a=b,%%%\n", .malformed),
            ("###\n6:(0)a=bX%%%\n", .malformed),
            ("###\n6;(0)a=b,%%%\n", .malformed),
            ("###\n:(0)a=b,%%%\n", .malformed),
            ("###\n12345678:(0)a=b,%%%\n", .malformed),
            ("###\n6:(2)a=b,%%%\n", .unsupportedFieldType),
            ("###\n6:(4)a=b,%%%\n", .unsupportedFieldType),
            ("###\n6:(x)a=b,%%%\n", .malformed),
            ("###\n6:[0]a=b,%%%\n", .malformed),
            ("###\n6:(0)=ab,%%%\n", .malformed),
            ("###\n6:(0)abc,%%%\n", .malformed),
            ("###\n3:(0),%%%\n", .malformed),
            ("###\n6:(0)a=b,%%%\n3:1 f", .truncated),
            ("###\n6:(0)a=b,%%%\n3:1 f,junk", .trailingBytes),
            ("###\n6:(0)a=b,%%%\n3:1\tf,", .malformed),
            ("###\n6:(0)a=b,%%%\nxyz", .malformed),
            (">>>\n", .truncated),
            (">>>\nt=x\n", .truncated),
            (">>>\nt=x", .truncated),
            (">>>\nnoequals\n<<<\n", .malformed),
            (">>>\n=x\n<<<\n", .malformed),
            (">>>\n(1)u=!!!!\n<<<\n", .malformed),
            (">>>\n(1)u=AAF=\n<<<\n", .malformed),
            (">>>\n(1)u=AA=\n<<<\n", .malformed),
            (">>>\n(1)u=A===\n<<<\n", .malformed),
            (">>>\n(3)x=y\n<<<\n", .unsupportedFieldType),
            (">>>\n(1x=y\n<<<\n", .malformed),
            (">>>\n(\n<<<\n", .malformed),
            (">>>\nt=x\n<<<\nXX", .trailingBytes),
        ]
    )
    func decodeErrors(text: String, code: WireError.Code) {
        #expect(expectWireError(text.bytes)?.code == code)
    }

    @Test("a field name must be UTF-8 text without NUL")
    func badNames() {
        #expect(expectWireError("###\n6:(0)".bytes + [0xFF] + "=b,%%%\n".bytes)?.code == .malformed)
        #expect(expectWireError("###\n6:(0)".bytes + [0x00] + "=b,%%%\n".bytes)?.code == .malformed)
        #expect(expectWireError(">>>\n".bytes + [0xC3] + "=b\n<<<\n".bytes)?.code == .malformed)
    }

    @Test("packets over 256 KiB are refused before parsing; up to the limit they decode")
    func sizeLimit() throws {
        let limit = HeartbeatMessage.maximumPacketSize
        #expect(limit == 262_144)
        var big = HeartbeatMessage(["t": "x"])
        big.append("pad", String(repeating: "p", count: limit - 200))
        let encoded = big.netstringEncoded(signingWith: Self.key)
        #expect(encoded.count < limit)
        #expect(try ReceivedPacket(decoding: encoded).message == big)

        let tooBig = "###\n".bytes + [UInt8](repeating: 0x30, count: limit - 3)
        let error = expectWireError(tooBig)
        #expect(error?.code == .tooLarge)
        #expect(error?.description == "packet of 262145 bytes exceeds the 262144-byte limit (at byte 262144)")
    }

    @Test("a length pointing past the end is truncated, never an out-of-bounds read")
    func lengthPastEnd() {
        #expect(expectWireError("###\n9999999:(0)a=b,%%%\n".bytes)?.code == .truncated)
        #expect(expectWireError("###\n6:(0)a=b,%%%\n999999:1 f,".bytes)?.code == .truncated)
    }

    @Test("errors report the byte offset")
    func offsets() {
        #expect(expectWireError("###\n6:(0)a=b,7:(0)a=bcX".bytes)?.offset == 22)
        #expect(expectWireError(">>>\nt=x\nbad\n<<<\n".bytes)?.offset == 8)
    }
}
