import HAKitSystem
import OCF
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's log, as heartbeat writes it: `heartbeat-lite[PID]: 2026/11/22_21:30:00.123 info: …`
/// lines appended to ha.cf's `logfile` (and every level to `debugfile`), entries to journald
/// unless `logfacility none` (with `SYSLOG_FACILITY` when ha.cf names one, as heartbeat passes it
/// to syslog), and the same lines on standard error when asked. Safe to call from
/// the group-operation thread.
final class DaemonLog: Sendable {
    typealias Level = LogLevel

    private let logfile: String?
    private let debugfile: String?
    private let journal: Bool
    private let facility: Int?
    private let standardError: Bool
    private let node: String
    private let lock = Mutex<Void>(())

    init(logfile: String?, debugfile: String?, journal: Bool, facility: Int? = nil, standardError: Bool, node: String) {
        self.logfile = logfile
        self.debugfile = debugfile
        self.journal = journal
        self.facility = facility
        self.standardError = standardError
        self.node = node
    }

    func debug(_ message: String) { write(.debug, message) }
    func info(_ message: String) { write(.info, message) }
    func warning(_ message: String) { write(.warning, message) }
    func error(_ message: String) { write(.error, message) }
    func critical(_ message: String) { write(.critical, message) }

    func write(_ level: Level, _ message: String) {
        let line = "heartbeat-lite[\(getpid())]: \(LogTimestamp.now(milliseconds: true)) \(Self.word(level)): \(message)\n"
        lock.withLock { _ in
            if level != .debug, let logfile { append(line, to: logfile) }
            if let debugfile { append(line, to: debugfile) }
            if standardError { let bytes = Array(line.utf8); _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) } }
        }
        if journal && level != .debug {
            Journal.send(
                message: message, priority: level.syslogPriority, identifier: "heartbeat-lite",
                fields: [("HA_NODE", node)] + (facility.map { [("SYSLOG_FACILITY", String($0))] } ?? []))
        }
    }

    /// heartbeat's words: `info`, `WARN`, `ERROR`, `CRIT`, `debug`.
    private static func word(_ level: LogLevel) -> String {
        switch level {
        case .debug: "debug"
        case .info: "info"
        case .warning: "WARN"
        case .error, .critical: level.word
        }
    }

    private func append(_ line: String, to path: String) {
        guard let file = fopen(path, "a") else { return }
        fputs(line, file)
        fclose(file)
    }
}
