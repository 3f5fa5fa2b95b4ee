import Heartbeat
import Testing

/// `SerialFrameDecoder` against heartbeat 3.0.6's serial_read/ttygets rules.
@Suite("Serial framing")
struct SerialFrameDecoderTests {
    static let message = Array(">>>\nt=status\nst=up\n<<<\n".utf8)

    @Test("a message split at every byte comes out once, whole")
    func splitReads() {
        var decoder = SerialFrameDecoder()
        var out: [[UInt8]] = []
        for byte in Self.message { out += decoder.feed([byte]) }
        #expect(out == [Self.message])
        #expect(decoder.isIdle)
    }

    @Test("two messages in one read, and one split across reads at every point")
    func severalPerRead() {
        for cut in 0...(Self.message.count * 2) {
            var decoder = SerialFrameDecoder()
            let both = Self.message + Self.message
            let out = decoder.feed(both[..<cut]) + decoder.feed(both[cut...])
            #expect(out == [Self.message, Self.message])
        }
    }

    @Test("garbage before the start line is skipped, line by line")
    func garbageSkipped() {
        var decoder = SerialFrameDecoder()
        let noise: [UInt8] = Array("noise\n<<<\n\u{1}\u{2}\u{ff}\n".utf8) + [0, 0x41, 0x0a]
        let out = decoder.feed(noise + Self.message)
        #expect(out == [Self.message])
        #expect(decoder.skippedLines == 4)
    }

    @Test("a line starting with >>> starts a message and one starting with <<< ends it (prefix match)")
    func prefixMarkers() {
        var decoder = SerialFrameDecoder()
        let out = decoder.feed(Array(">>>junk\nt=x\n<<<tail\n".utf8))
        #expect(out == [Array(">>>junk\nt=x\n<<<tail\n".utf8)])
        // It then fails to decode, as in heartbeat.
        #expect(throws: WireError.self) { try ReceivedPacket(decoding: out[0]) }
    }

    @Test("a lost <<< makes the next message part of this one, as in heartbeat (no resync on >>>)")
    func lostEnd() {
        var decoder = SerialFrameDecoder()
        let out = decoder.feed(Array(">>>\nt=a\n".utf8) + Self.message)
        #expect(out == [Array(">>>\nt=a\n".utf8) + Self.message])
    }

    @Test("a NUL cuts the line's content")
    func nulCutsLine() {
        var decoder = SerialFrameDecoder()
        let out = decoder.feed(Array(">>>\nt=st".utf8) + [0] + Array("garbage\n<<<\n".utf8))
        #expect(out == [Array(">>>\nt=st\n<<<\n".utf8)])
    }

    @Test("an over-long message is dropped and the decoder recovers at the next >>>")
    func overlongMessage() {
        var decoder = SerialFrameDecoder(limit: 64)
        var long = Array(">>>\n".utf8)
        for _ in 0..<20 { long += Array("f=0123\n".utf8) }
        long += Array("<<<\n".utf8)
        let out = decoder.feed(long + Self.message)
        #expect(out == [Self.message])
        #expect(decoder.overlong == 1)
    }

    @Test("an over-long line without a newline is cut at the limit; memory stays bounded")
    func overlongLine() {
        var decoder = SerialFrameDecoder(limit: 64)
        let flood = [UInt8](repeating: 0x61, count: 10_000)
        #expect(decoder.feed(flood).isEmpty)
        #expect(decoder.skippedLines == 10_000 / 64)
        #expect(decoder.feed([0x0a] + Self.message) == [Self.message])
        // A start line longer than the limit is cut too: its tail is a line of its own.
        var other = SerialFrameDecoder(limit: 64)
        let startFlood = Array(">>>".utf8) + [UInt8](repeating: 0x62, count: 200) + [0x0a]
        #expect(other.feed(startFlood + Self.message).isEmpty == false)
    }

    @Test("random bytes never trap and a message after them is found")
    func randomBytes() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            var decoder = SerialFrameDecoder(limit: 512)
            let noise = (0..<2000).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = decoder.feed(noise)
            // Whatever state the noise left, a newline, an end line and a message resynchronise.
            let out = decoder.feed(Array("\n<<<\n".utf8) + Self.message)
            #expect(out.last == Self.message)
        }
    }

    @Test("reset forgets a partial message")
    func reset() {
        var decoder = SerialFrameDecoder()
        _ = decoder.feed(Array(">>>\nt=a\nst=u".utf8))
        decoder.reset()
        #expect(decoder.isIdle)
        #expect(decoder.feed(Array("p\n<<<\n".utf8) + Self.message) == [Self.message])
    }

    @Test("a signed classic message survives the framing and verifies")
    func signedRoundTrip() throws {
        let key = AuthKey(index: 1, method: .sha1, secret: "secret")
        var body = HeartbeatMessage()
        body.append("t", "status")
        body.append("st", "up")
        let bytes = body.signed(with: key).classicEncoded
        var decoder = SerialFrameDecoder()
        let out = decoder.feed(bytes)
        #expect(out == [bytes])
        let packet = try ReceivedPacket(decoding: out[0])
        #expect(packet.format == .classic)
        #expect(packet.message["st"] == "up")
        try packet.verify(with: AuthKeys(active: key, entries: [1: key]))
    }
}
