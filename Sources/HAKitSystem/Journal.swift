#if canImport(Glibc)
import Glibc
#endif

/// Structured entries to the systemd journal over its native protocol: one datagram to
/// `/run/systemd/journal/socket` per entry, as `sd_journal_sendv` sends it.
///
/// No libsystemd: loading it drags in libgcrypt, liblzma, libzstd and more, which cost every agent
/// action that logs — a fresh process — about a millisecond of dynamic loading, and the daemon a
/// few megabytes of mapped pages. When no journald listens, entries are dropped silently, so
/// callers always log elsewhere too.
public enum Journal {
    /// journald's socket for native entries.
    public static let socketPath = "/run/systemd/journal/socket"
    /// The most bytes of a message sent: a datagram must fit the socket's send buffer (journald
    /// takes larger entries only through a memfd, which no log line here needs).
    static let messageLimit = 48 * 1024

    /// Sends one entry with `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER` and extra `NAME=value` fields.
    /// Field names must be upper-case letters, digits and underscores.
    public static func send(message: String, priority: Int, identifier: String, fields: [(String, String)] = []) {
        var text = message
        if text.utf8.count > messageLimit {
            text = String(decoding: text.utf8.prefix(messageLimit), as: UTF8.self) + " (truncated)"
        }
        let payload = encode([("MESSAGE", text), ("PRIORITY", String(priority)), ("SYSLOG_IDENTIFIER", identifier)] + fields)
        UnixDatagram.send(payload, to: socketPath)
    }

    /// The native encoding: `NAME=value\n` for a value without a newline, else `NAME\n`, the
    /// value's length as a little-endian 64-bit number, the value and `\n`.
    static func encode(_ fields: [(String, String)]) -> [UInt8] {
        var out: [UInt8] = []
        for (name, value) in fields {
            out += Array(name.utf8)
            if value.utf8.contains(UInt8(ascii: "\n")) {
                out.append(UInt8(ascii: "\n"))
                let count = UInt64(value.utf8.count)
                for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: count >> UInt64(shift))) }
            } else {
                out.append(UInt8(ascii: "="))
            }
            out += Array(value.utf8)
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }
}
