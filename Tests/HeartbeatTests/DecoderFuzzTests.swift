import HAKitTestSupport
import Heartbeat
import Testing

/// Decodes thousands of random and mutated packets from a fixed seed: nothing may trap, and whatever
/// decodes must re-encode and decode to the same message.
@Suite("decoder robustness")
struct DecoderFuzzTests {
    static let key = AuthKey(index: 1, method: .sha1, secret: "fuzz")
    static let keys = AuthKeys(active: key, entries: [1: key])

    /// Valid packets to mutate: the golden packet in both formats and a few variations.
    static var corpus: [[UInt8]] {
        let golden = GoldenPacketTests.message
        var withBinary = HeartbeatMessage(["t": "resource", "rsc_hold": "foreign", "info": "a=b,c"])
        withBinary.append("destuuid", binary: (0..<16).map { UInt8(255 - $0) })
        return [
            golden.netstringEncoded(signingWith: GoldenPacketTests.key),
            golden.classicEncoded,
            withBinary.netstringEncoded(signingWith: key),
            withBinary.signed(with: key).classicEncoded,
            HeartbeatMessage().netstringEncoded(signingWith: key),
        ]
    }

    /// Decodes `bytes`; on success checks verification runs and, when the message fits in a packet,
    /// that it survives a netstring round trip with a valid signature.
    static func exercise(_ bytes: [UInt8]) -> Bool {
        guard let packet = try? ReceivedPacket(decoding: bytes) else { return false }
        _ = packet.isAuthentic(with: keys)
        _ = packet.message.signingText
        let encoded = packet.message.netstringEncoded(signingWith: key)
        if encoded.count <= HeartbeatMessage.maximumPacketSize {
            let again = try? ReceivedPacket(decoding: encoded)
            // Compared as Bools so that a failure does not print a 200 000-field message.
            let sameMessage = again?.message == packet.message
            let verifies = again?.isAuthentic(with: keys) == true
            #expect(sameMessage, "round trip changed a decoded message of \(bytes.count) bytes")
            #expect(verifies)
        } else {
            #expect((try? ReceivedPacket(decoding: encoded)) == nil)
        }
        return true
    }

    @Test("random bytes, with and without a start marker")
    func randomBytes() {
        var random = SeededGenerator(seed: 0x4845_4152_5442_4541)
        let prefixes = [[UInt8](), "###\n".bytes, ">>>\n".bytes]
        // Bytes weighted towards the format's own characters, so parsing gets past the first field.
        let alphabet = "0123456789:,()=\n%#<>ab\0".bytes
        var decoded = 0
        for round in 0..<4000 {
            let length = Int.random(in: 0...200, using: &random)
            var bytes = prefixes[round % prefixes.count]
            for _ in 0..<length {
                bytes.append(
                    Bool.random(using: &random)
                        ? alphabet.randomElement(using: &random)! : UInt8.random(in: 0...255, using: &random)
                )
            }
            if Self.exercise(bytes) { decoded += 1 }
        }
        // Most random input must be refused (the exact number only guards against a decoder that accepts all).
        #expect(decoded < 2000)
    }

    @Test("mutations of valid packets: flips, overwrites, truncation, deletion, duplication, insertion")
    func mutations() {
        var random = SeededGenerator(seed: 0x4C49_4E55_5848_4121)
        let corpus = Self.corpus
        var accepted = 0
        var authentic = 0
        for _ in 0..<6000 {
            var bytes = corpus.randomElement(using: &random)!
            let mutationCount = Int.random(in: 1...4, using: &random)
            for _ in 0..<mutationCount where !bytes.isEmpty {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<6, using: &random) {
                case 0: bytes[at] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
                case 1: bytes[at] = UInt8.random(in: 0...255, using: &random)
                case 2: bytes.removeSubrange(at...)
                case 3: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...8, using: &random)))
                case 4:
                    let end = min(bytes.count, at + Int.random(in: 1...16, using: &random))
                    bytes.insert(contentsOf: bytes[at..<end], at: at)
                default: bytes.insert(contentsOf: String(Int.random(in: 0...999_999, using: &random)).utf8, at: at)
                }
            }
            if Self.exercise(bytes) {
                accepted += 1
                if (try? ReceivedPacket(decoding: bytes))?.isAuthentic(with: Self.keys) == true { authentic += 1 }
            }
        }
        // Some mutations only touch padding-free places and still decode, but a mutated packet that
        // still verifies would mean a signature that does not cover what it should.
        #expect(accepted > 0)
        #expect(authentic == 0)
    }

    @Test("pathological lengths and repetition")
    func pathological() {
        let cases: [[UInt8]] = [
            "###\n".bytes + [UInt8](repeating: UInt8(ascii: "9"), count: 100_000),
            "###\n".bytes + Array(repeating: "1:,".bytes, count: 20_000).flatMap { $0 },
            "###\n".bytes + Array(repeating: "5:(0)a=,".bytes, count: 30_000).flatMap { $0 } + "%%%\n".bytes,
            ">>>\n".bytes + [UInt8](repeating: UInt8(ascii: "\n"), count: 200_000),
            ">>>\n".bytes + Array(repeating: "a=b\n".bytes, count: 60_000).flatMap { $0 } + "<<<\n".bytes,
            ">>>\n".bytes + [UInt8](repeating: UInt8(ascii: "("), count: 100_000),
            [UInt8](repeating: 0, count: 300_000),
        ]
        let outcomes = cases.map { Self.exercise($0) }
        #expect(outcomes == [false, false, true, false, true, false, false])
    }
}
