#if canImport(Glibc)
import Glibc
#endif

/// Structured entries to the systemd journal through `sd_journal_sendv`.
///
/// libsystemd is loaded with `dlopen` on the first entry rather than linked: it drags in
/// libgcrypt, liblzma, libzstd and more, which would cost every agent action — a fresh process —
/// about a millisecond of dynamic loading even when it logs nothing. Without libsystemd, or when
/// no journald runs, entries are dropped silently, so callers always log elsewhere too.
public enum Journal {
    private typealias SendV = @convention(c) (UnsafePointer<iovec>?, Int32) -> Int32

    private static func resolve() -> SendV? {
        guard let library = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL),
            let symbol = dlsym(library, "sd_journal_sendv")
        else { return nil }
        return unsafeBitCast(symbol, to: SendV.self)
    }

    /// Sends one entry with `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER` and extra `NAME=value` fields.
    /// Field names must be upper-case letters, digits and underscores.
    public static func send(message: String, priority: Int, identifier: String, fields: [(String, String)] = []) {
        guard let sendv = resolve() else { return }
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
        _ = sendv(&vectors, Int32(vectors.count))
    }
}
