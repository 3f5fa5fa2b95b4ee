#if canImport(Glibc)
import Glibc
#endif

/// A Merkle–Damgård hash over 64-byte blocks, as MD5 and SHA-1 are: the message is padded with
/// 0x80, zeros and its bit length (little-endian for MD5, big-endian for SHA-1) to a whole number
/// of blocks, and each block updates the state.
protocol BlockDigest {
    /// The state before the first block.
    static var initialState: [UInt32] { get }
    /// Whether words and the length are big-endian (SHA-1) or little-endian (MD5).
    static var bigEndian: Bool { get }
    /// Folds one 64-byte block into the state: `words[0..<16]` holds it (16 words in the digest's
    /// byte order); `words` has room for 80, which the digest may use as its own schedule.
    static func compress(_ state: UnsafeMutableBufferPointer<UInt32>, _ words: UnsafeMutableBufferPointer<UInt32>)
}

/// HMAC's work that depends on the key only: the states after the inner (0x36) and the outer
/// (0x5c) pad block. Computed once per key, so that checking a packet costs its own blocks and
/// two more, not four more.
struct HMACStates: Hashable, Sendable {
    let inner: [UInt32]
    let outer: [UInt32]
}

extension BlockDigest {
    static var blockSize: Int { 64 }

    /// The digest of the concatenation of `parts`: the state's words in the digest's byte order.
    static func hash(_ parts: [UInt8]...) -> [UInt8] {
        var hasher = BlockHasher<Self>()
        for part in parts { hasher.update(part) }
        return hasher.finish()
    }

    /// The pad-block states of `key` (RFC 2104): keys longer than a block are hashed first.
    static func hmacStates(key: [UInt8]) -> HMACStates {
        var block = key.count > blockSize ? hash(key) : key
        block += [UInt8](repeating: 0, count: blockSize - block.count)
        func state(after pad: UInt8) -> [UInt32] {
            var hasher = BlockHasher<Self>()
            hasher.update(block.map { $0 ^ pad })
            return hasher.state
        }
        return HMACStates(inner: state(after: 0x36), outer: state(after: 0x5c))
    }

    /// HMAC of `message` from a key's pad-block states.
    static func hmac(_ states: HMACStates, message: [UInt8]) -> [UInt8] {
        var hasher = BlockHasher<Self>(state: states.inner, length: UInt64(blockSize))
        hasher.update(message)
        let inner = hasher.finish()
        hasher = BlockHasher<Self>(state: states.outer, length: UInt64(blockSize))
        hasher.update(inner)
        return hasher.finish()
    }

    /// HMAC (RFC 2104) of `message` under `key`.
    static func hmac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        hmac(hmacStates(key: key), message: message)
    }
}

/// One digest computation, block by block, with fixed buffers: a packet that must be verified costs
/// no allocation per word or block (the hostile flood showed per-word arrays, then per-byte
/// absorption, as the daemon's largest costs). Whole blocks are read straight from the input.
struct BlockHasher<Digest: BlockDigest> {
    private(set) var state: [UInt32]
    private var words = [UInt32](repeating: 0, count: 80)
    private var block = [UInt8](repeating: 0, count: 64)
    private var filled = 0
    private var length: UInt64
    /// `Digest.bigEndian`, read once rather than per word.
    private let bigEndian = Digest.bigEndian

    /// A hasher at the start of a message, or after `length` bytes that left `state` (whole blocks).
    init(state: [UInt32] = Digest.initialState, length: UInt64 = 0) {
        self.state = state
        self.length = length
    }

    mutating func update(_ bytes: [UInt8]) {
        length &+= UInt64(bytes.count)
        bytes.withUnsafeBufferPointer { input in
            var offset = 0
            // Complete a block begun by an earlier update.
            if filled > 0 {
                let taken = min(64 - filled, input.count)
                for index in 0..<taken { block[filled + index] = input[index] }
                filled += taken
                offset = taken
                if filled == 64 {
                    block.withUnsafeBufferPointer {
                        Self.compress(UnsafeRawBufferPointer($0), bigEndian: bigEndian, state: &state, words: &words)
                    }
                    filled = 0
                }
            }
            while input.count - offset >= 64 {
                let whole = UnsafeBufferPointer(rebasing: input[offset..<(offset + 64)])
                Self.compress(UnsafeRawBufferPointer(whole), bigEndian: bigEndian, state: &state, words: &words)
                offset += 64
            }
            for index in offset..<input.count { block[filled + index - offset] = input[index] }
            filled += input.count - offset
        }
    }

    /// Pads with 0x80, zeros and the bit length, and returns the digest.
    mutating func finish() -> [UInt8] {
        let bits = length &* 8
        var padding: [UInt8] = [0x80]
        padding += [UInt8](repeating: 0, count: (119 - filled) % 64)
        for index in 0..<8 {
            let shift = Digest.bigEndian ? 8 * (7 - index) : 8 * index
            padding.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift)))
        }
        let counted = length
        update(padding)
        length = counted
        var out: [UInt8] = []
        out.reserveCapacity(state.count * 4)
        for word in state {
            for index in 0..<4 {
                let shift = Digest.bigEndian ? 8 * (3 - index) : 8 * index
                out.append(UInt8(truncatingIfNeeded: word >> UInt32(shift)))
            }
        }
        return out
    }

    /// Folds the 64 bytes at `bytes` into `state`, with `words` as the schedule.
    private static func compress(
        _ bytes: UnsafeRawBufferPointer, bigEndian: Bool, state: inout [UInt32], words: inout [UInt32]
    ) {
        words.withUnsafeMutableBufferPointer { words in
            for i in 0..<16 {
                let b0 = UInt32(bytes[4 * i]), b1 = UInt32(bytes[4 * i + 1])
                let b2 = UInt32(bytes[4 * i + 2]), b3 = UInt32(bytes[4 * i + 3])
                words[i] = bigEndian ? b0 << 24 | b1 << 16 | b2 << 8 | b3 : b3 << 24 | b2 << 16 | b1 << 8 | b0
            }
            state.withUnsafeMutableBufferPointer { state in Digest.compress(state, words) }
        }
    }
}

/// MD5 (RFC 1321). Only for heartbeat's `md5` authkeys method, an HMAC, never for new designs.
enum MD5: BlockDigest {
    static let initialState: [UInt32] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476]
    static let bigEndian = false

    /// The per-step additive constants, floor(abs(sin(i + 1)) × 2^32).
    private static let constants: [UInt32] = (0..<64).map { UInt32(truncatingIfNeeded: Int64(abs(sin(Double($0 + 1))) * 4_294_967_296)) }
    /// The per-step left rotations, four per round.
    private static let shifts: [UInt32] = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21]

    static func compress(_ state: UnsafeMutableBufferPointer<UInt32>, _ words: UnsafeMutableBufferPointer<UInt32>) {
        var a = state[0], b = state[1], c = state[2], d = state[3]
        for i in 0..<64 {
            let round = i / 16
            let f: UInt32, g: Int
            switch round {
            case 0: (f, g) = ((b & c) | (~b & d), i)
            case 1: (f, g) = ((d & b) | (~d & c), (5 * i + 1) % 16)
            case 2: (f, g) = (b ^ c ^ d, (3 * i + 5) % 16)
            default: (f, g) = (c ^ (b | ~d), (7 * i) % 16)
            }
            let sum = a &+ f &+ constants[i] &+ words[g]
            let shift = shifts[round * 4 + i % 4]
            (a, d, c) = (d, c, b)
            b = b &+ (sum << shift | sum >> (32 - shift))
        }
        state[0] &+= a
        state[1] &+= b
        state[2] &+= c
        state[3] &+= d
    }
}

/// SHA-1 (RFC 3174). Only for heartbeat's `sha1` authkeys method, an HMAC.
enum SHA1: BlockDigest {
    static let initialState: [UInt32] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476, 0xc3d2_e1f0]
    static let bigEndian = true

    static func compress(_ state: UnsafeMutableBufferPointer<UInt32>, _ w: UnsafeMutableBufferPointer<UInt32>) {
        for i in 16..<80 {
            let x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]
            w[i] = x << 1 | x >> 31
        }
        var a = state[0], b = state[1], c = state[2], d = state[3], e = state[4]
        // Four rounds of 20 steps, each with its own function and constant.
        @inline(__always) func step(_ f: UInt32, _ k: UInt32, _ word: UInt32) {
            let t = (a << 5 | a >> 27) &+ f &+ e &+ k &+ word
            (e, d, c, b, a) = (d, c, b << 30 | b >> 2, a, t)
        }
        for i in 0..<20 { step((b & c) | (~b & d), 0x5a82_7999, w[i]) }
        for i in 20..<40 { step(b ^ c ^ d, 0x6ed9_eba1, w[i]) }
        for i in 40..<60 { step((b & c) | (b & d) | (c & d), 0x8f1b_bcdc, w[i]) }
        for i in 60..<80 { step(b ^ c ^ d, 0xca62_c1d6, w[i]) }
        state[0] &+= a
        state[1] &+= b
        state[2] &+= c
        state[3] &+= d
        state[4] &+= e
    }
}
