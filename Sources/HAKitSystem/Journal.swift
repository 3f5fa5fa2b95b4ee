#if canImport(Glibc)
import Glibc
#endif
import CSystemd

/// Structured entries to the systemd journal through `sd_journal_sendv`.
///
/// The journal drops entries silently when no journald runs, so callers always log elsewhere too.
public enum Journal {
    /// Sends one entry with `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER` and extra `NAME=value` fields.
    /// Field names must be upper-case letters, digits and underscores.
    public static func send(message: String, priority: Int, identifier: String, fields: [(String, String)] = []) {
        var lines = ["MESSAGE=\(message)", "PRIORITY=\(priority)", "SYSLOG_IDENTIFIER=\(identifier)"]
        for (name, value) in fields { lines.append("\(name)=\(value)") }
        let bytes = lines.map { Array($0.utf8) }
        let storage = UnsafeMutableRawBufferPointer.allocate(
            byteCount: max(1, bytes.reduce(0) { $0 + $1.count }), alignment: 1)
        defer { storage.deallocate() }
        var vectors: [iovec] = []
        var offset = 0
        for field in bytes {
            let start = storage.baseAddress! + offset
            field.withUnsafeBytes { start.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            vectors.append(iovec(iov_base: start, iov_len: field.count))
            offset += field.count
        }
        _ = sd_journal_sendv(&vectors, Int32(vectors.count))
    }
}
