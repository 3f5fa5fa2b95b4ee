#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem

/// What a node keeps across restarts, as heartbeat keeps `hb_generation` and `hb_uuid` in
/// `/var/lib/heartbeat`: a generation bumped at every start (peers drop anything older as a
/// replay) and a UUID that stays.
public struct NodeIdentity: Hashable, Sendable {
    /// This start's generation.
    public var generation: UInt64
    /// The node's UUID, 16 bytes.
    public var uuid: [UInt8]

    /// Reads the state directory, bumps the generation and writes it back before returning, so
    /// that a crash right after start cannot reuse a generation.
    ///
    /// - Throws: `SystemError` when the directory cannot be created or written, or
    ///   `ConfigError` when a state file is corrupt (naming the file).
    public static func advance(stateDirectory: String) throws -> NodeIdentity {
        try FileSystem.makeDirectories(stateDirectory, mode: 0o700)
        let generationFile = "\(stateDirectory)/hb_generation"
        let uuidFile = "\(stateDirectory)/hb_uuid"
        var generation: UInt64 = 0
        if let text = try FileSystem.read(generationFile) {
            guard let value = UInt64(text.filter { !$0.isWhitespace }) else {
                throw ConfigError(.corruptState, path: generationFile, line: 1, "not a generation number: \(text.prefix(40))")
            }
            generation = value
        }
        guard generation < UInt64.max else {
            throw ConfigError(.corruptState, path: generationFile, line: 1, "generation \(generation) cannot be advanced")
        }
        generation += 1
        try FileSystem.writeAtomically(generationFile, contents: "\(generation)\n", mode: 0o600)

        var uuid: [UInt8]
        if let text = try FileSystem.read(uuidFile) {
            guard let bytes = Self.bytes(hex: text.filter { !$0.isWhitespace }), bytes.count == 16 else {
                throw ConfigError(.corruptState, path: uuidFile, line: 1, "not a 16-byte hex UUID")
            }
            uuid = bytes
        } else {
            var random = SystemRandomNumberGenerator()  // getrandom(2) underneath
            uuid = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &random) }
            uuid[6] = (uuid[6] & 0x0f) | 0x40  // version 4
            uuid[8] = (uuid[8] & 0x3f) | 0x80  // RFC 4122 variant
            try FileSystem.writeAtomically(uuidFile, contents: uuid.map(Self.hex).joined() + "\n", mode: 0o600)
        }
        return NodeIdentity(generation: generation, uuid: uuid)
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xf)]])
    }

    static func bytes(hex text: String) -> [UInt8]? {
        let characters = Array(text)
        guard characters.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        for index in stride(from: 0, to: characters.count, by: 2) {
            guard let byte = UInt8(String(characters[index...index + 1]), radix: 16) else { return nil }
            result.append(byte)
        }
        return result
    }
}
