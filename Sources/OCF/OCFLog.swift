#if canImport(Glibc)
import Glibc
#endif

/// The severity of a log line, with the words `ocf_log` prints.
public enum LogLevel: Int, Comparable, Sendable {
    /// Only shown when `HA_DEBUG` is set.
    case debug
    /// Normal progress.
    case info
    /// Something odd that did not stop the action.
    case warning
    /// The action failed.
    case error
    /// The resource or the host is in danger.
    case critical

    /// The word in the line: `DEBUG`, `INFO`, `WARNING`, `ERROR`, `CRIT`.
    public var word: String {
        switch self {
        case .debug: "DEBUG"
        case .info: "INFO"
        case .warning: "WARNING"
        case .error: "ERROR"
        case .critical: "CRIT"
        }
    }

    /// The syslog priority (LOG_DEBUG … LOG_CRIT).
    public var syslogPriority: Int {
        switch self {
        case .debug: 7
        case .info: 6
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One log entry as it reaches a sink.
public struct LogEntry: Sendable {
    /// The severity.
    public var level: LogLevel
    /// The agent type, e.g. `IPaddr2`.
    public var agent: String
    /// The resource instance, when known.
    public var instance: String?
    /// The action being run.
    public var action: String?
    /// The message.
    public var message: String

    /// The tag `ocf_log` prints: `IPaddr2(vip)[1234]`.
    public var tag: String {
        let pid = Int(getpid())
        if let instance { return "\(agent)(\(instance))[\(pid)]" }
        return "\(agent)[\(pid)]"
    }
}

/// Somewhere log lines go: stderr, a file, the journal.
public protocol LogSink: Sendable {
    /// Writes one entry; a sink that cannot write drops the entry silently.
    func write(_ entry: LogEntry)
}

/// Where an agent's output goes: the process's standard output and error, or a test's capture.
public struct AgentIO: Sendable {
    /// Writes to standard output.
    public var standardOutput: @Sendable (String) -> Void
    /// Writes to standard error.
    public var standardError: @Sendable (String) -> Void

    /// Creates an IO pair.
    public init(standardOutput: @escaping @Sendable (String) -> Void, standardError: @escaping @Sendable (String) -> Void) {
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    /// The process's own standard output and error.
    public static let process = AgentIO(standardOutput: writeStandardOutput, standardError: writeStandardError)
}

/// Writes `TAG: LEVEL: message` lines to standard error, as `ocf_log` does on a terminal.
public struct StandardErrorSink: LogSink {
    /// Where the lines go.
    public let io: AgentIO

    /// Creates the sink.
    public init(io: AgentIO = .process) { self.io = io }

    public func write(_ entry: LogEntry) {
        io.standardError("\(entry.tag): \(entry.level.word): \(entry.message)\n")
    }
}

/// Appends timestamped lines to a file (`HA_LOGFILE`, `HA_DEBUGLOG`), as heartbeat's shell functions do.
public struct FileSink: LogSink {
    /// The file appended to.
    public let path: String
    /// The lowest level written.
    public let minimumLevel: LogLevel

    /// Creates a sink appending to `path`.
    public init(path: String, minimumLevel: LogLevel = .debug) {
        self.path = path
        self.minimumLevel = minimumLevel
    }

    public func write(_ entry: LogEntry) {
        guard entry.level >= minimumLevel, let file = fopen(path, "a") else { return }
        defer { fclose(file) }
        fputs("\(LogTimestamp.now()) \(entry.tag):    \(entry.level.word): \(entry.message)\n", file)
    }
}

/// heartbeat's log timestamp, local time: `2026/11/22_21:30:00`, optionally with milliseconds.
public enum LogTimestamp {
    /// The current time in heartbeat's format; `.123` appended when `milliseconds` is set.
    public static func now(milliseconds: Bool = false) -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        localtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y/%m/%d_%H:%M:%S", &parts)
        var text = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if milliseconds {
            let ms = spec.tv_nsec / 1_000_000
            text += ms < 10 ? ".00\(ms)" : ms < 100 ? ".0\(ms)" : ".\(ms)"
        }
        return text
    }
}

/// An agent's logger: `ocf_log`-style lines to every sink, and the exit reason.
///
/// Standard error always gets the line, because the journal silently drops entries when no
/// journald runs.
public struct OCFLog: Sendable {
    /// The agent type.
    public let agent: String
    /// The resource instance.
    public let instance: String?
    /// The action being run.
    public let action: String?
    /// Whether debug lines are written.
    public let debugEnabled: Bool
    /// The sinks written to.
    public let sinks: [any LogSink]
    /// Where the exit reason goes.
    public let io: AgentIO

    /// Creates a logger.
    public init(
        agent: String, instance: String?, action: String?, debugEnabled: Bool, sinks: [any LogSink],
        io: AgentIO = .process
    ) {
        self.io = io
        self.agent = agent
        self.instance = instance
        self.action = action
        self.debugEnabled = debugEnabled
        self.sinks = sinks
    }

    /// Logs a message at a level.
    public func log(_ level: LogLevel, _ message: String) {
        if level == .debug && !debugEnabled { return }
        let entry = LogEntry(level: level, agent: agent, instance: instance, action: action, message: message)
        for sink in sinks { sink.write(entry) }
    }

    /// Logs at debug level (shown only with `HA_DEBUG`).
    public func debug(_ message: String) { log(.debug, message) }
    /// Logs at info level.
    public func info(_ message: String) { log(.info, message) }
    /// Logs a warning.
    public func warning(_ message: String) { log(.warning, message) }
    /// Logs an error.
    public func error(_ message: String) { log(.error, message) }
    /// Logs a critical error.
    public func critical(_ message: String) { log(.critical, message) }

    /// Logs the failure at error level and writes the `ocf-exit-reason:` line Pacemaker reads.
    public func exitReason(_ reason: String) {
        log(.error, reason)
        io.standardError("\(OCFError.reasonPrefix)\(reason)\n")
    }
}

/// Writes text to standard error, unbuffered.
public func writeStandardError(_ text: String) { writeAll(2, text) }

/// Writes text to standard output, unbuffered.
public func writeStandardOutput(_ text: String) { writeAll(1, text) }

/// Writes all of `text` to a file descriptor, retrying on EINTR; gives up silently on other errors.
func writeAll(_ fd: Int32, _ text: String) {
    var text = text
    text.withUTF8 { bytes in
        guard var next = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let written = Glibc.write(fd, next, left)
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            next += written
            left -= written
        }
    }
}
