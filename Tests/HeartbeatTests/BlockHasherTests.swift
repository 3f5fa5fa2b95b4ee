@testable import Heartbeat
import Testing

/// The hasher reads whole blocks straight from its input and keeps a partial block between
/// updates: any split of a message into updates gives the digest of the whole, and HMAC from a
/// key's precomputed pad states gives the HMAC computed from the key.
@Suite struct BlockHasherTests {
    static let message: [UInt8] = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }

    @Test(arguments: [[0], [1], [55], [56], [63], [64], [65], [1, 1, 1], [10, 54, 1, 63, 64], [130, 0, 70], [299]])
    func anySplitHashesLikeTheWhole(cuts: [Int]) {
        func pieces<Digest: BlockDigest>(_ digest: Digest.Type) -> [UInt8] {
            var hasher = BlockHasher<Digest>()
            var offset = 0
            for cut in cuts {
                let end = min(Self.message.count, offset + cut)
                hasher.update(Array(Self.message[offset..<end]))
                offset = end
            }
            hasher.update(Array(Self.message[offset...]))
            return hasher.finish()
        }
        #expect(pieces(SHA1.self) == SHA1.hash(Self.message), "\(cuts)")
        #expect(pieces(MD5.self) == MD5.hash(Self.message), "\(cuts)")
    }

    @Test func emptyMessagesHashToTheKnownDigests() {
        #expect(Hex.lowercaseBytes(SHA1.hash([])) == Array("da39a3ee5e6b4b0d3255bfef95601890afd80709".utf8))
        #expect(Hex.lowercaseBytes(MD5.hash([])) == Array("d41d8cd98f00b204e9800998ecf8427e".utf8))
    }

    @Test func precomputedPadStatesGiveTheSameHMAC() {
        for keyLength in [0, 1, 64, 65, 200] {
            let key = (0..<keyLength).map { UInt8(truncatingIfNeeded: $0 &* 17) }
            let states = SHA1.hmacStates(key: key)
            for length in [0, 1, 55, 56, 64, 119, 300] {
                let message = Array(Self.message.prefix(length))
                // The definition, RFC 2104: H(K ^ opad, H(K ^ ipad, m)).
                var block = key.count > 64 ? SHA1.hash(key) : key
                block += [UInt8](repeating: 0, count: 64 - block.count)
                let reference = SHA1.hash(block.map { $0 ^ 0x5c }, SHA1.hash(block.map { $0 ^ 0x36 }, message))
                #expect(SHA1.hmac(states, message: message) == reference, "key \(keyLength), message \(length)")
            }
        }
    }
}
