import HAKitSystem

/// What this node remembers of its peers across its own restarts: each peer's last generation and
/// highest sequence number (`peers` in the state directory, one line `NODE GENERATION SEQUENCE`,
/// hex). A freshly started node refuses anything older, so a capture of a peer replayed after
/// this node restarted is not taken for the peer. heartbeat forgets this at every restart.
public enum PeerMemory {
    /// The file's name in the state directory.
    public static let fileName = "peers"

    /// Reads the records; a missing file is no record, and a line that does not parse is skipped
    /// (reported in `skipped`, with its line number), so a damaged file costs only the protection.
    public static func load(stateDirectory: String) throws -> (records: [String: Membership.Remembered], skipped: [Int]) {
        guard let text = try FileSystem.read("\(stateDirectory)/\(fileName)") else { return ([:], []) }
        var records: [String: Membership.Remembered] = [:]
        var skipped: [Int] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            let words = line.split(separator: " ")
            guard words.count == 3, let generation = UInt64(words[1], radix: 16), let sequence = UInt64(words[2], radix: 16)
            else {
                skipped.append(index + 1)
                continue
            }
            records[String(words[0])] = Membership.Remembered(generation: generation, sequence: sequence)
        }
        return (records, skipped)
    }

    /// Writes the records (atomically, mode 0600).
    public static func save(_ records: [String: Membership.Remembered], stateDirectory: String) throws {
        let lines = records.sorted { $0.key < $1.key }.map {
            "\($0.key) \(String($0.value.generation, radix: 16)) \(String($0.value.sequence, radix: 16))\n"
        }
        try FileSystem.writeAtomically("\(stateDirectory)/\(fileName)", contents: lines.joined(), mode: 0o600)
    }
}
