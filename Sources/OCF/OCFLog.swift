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
    /// Whether standard error may get the line; false for the error an exit reason repeats, which
    /// is already on standard error (`__ha_log --ignore-stderr`).
    public var toStandardError: Bool = true

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
    /// Whether a person runs the agent: standard input is a terminal (the shell functions' `tty`).
    public var isInteractive: Bool

    /// Creates an IO pair.
    public init(
        standardOutput: @escaping @Sendable (String) -> Void, standardError: @escaping @Sendable (String) -> Void,
        isInteractive: Bool = false
    ) {
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.isInteractive = isInteractive
    }

    /// The process's own standard output and error.
    public static let process = AgentIO(
        standardOutput: writeStandardOutput, standardError: writeStandardError, isInteractive: isatty(0) == 1)
}

/// When a log line goes to standard error, decided as ocf-shellfuncs' `ha_log` and `ha_debug`
/// decide it. Standard error is where a cluster manager's executor reads the exit reason, and it
/// logs everything else there again as "error output", so a line that went to a log file or to
/// syslog must not go there too.
///
/// - On a terminal (standard input is a tty), standard error only.
/// - With `HA_LOGD=yes` (or `HA_use_logd` true, which Pacemaker sets), the log daemon takes the line.
/// - Otherwise `ha_log` writes standard error only when neither `HA_LOGFACILITY` (other than
///   `none`) nor `HA_LOGFILE` is set; `ha_debug` only when neither `HA_LOGFACILITY` nor
///   `HA_DEBUGLOG` is — and ocf-directories sets `HA_DEBUGLOG` to /dev/null when it is empty, so
///   debug lines reach standard error only on a terminal.
public struct StandardErrorRouting: Hashable, Sendable {
    /// Standard input is a terminal.
    public var interactive: Bool
    /// A log daemon takes the lines (`HA_LOGD=yes`, `HA_use_logd`).
    public var logDaemon: Bool
    /// `HA_LOGFACILITY` is set (and not `none`): the lines go to syslog.
    public var syslog: Bool
    /// `HA_LOGFILE` is set.
    public var logFile: Bool
    /// `HA_DEBUGLOG` is set; always true outside tests of the rule, as ocf-directories defaults it.
    public var debugLogFile: Bool

    /// The routing for an environment and whether standard input is a terminal.
    public init(environment: OCFEnvironment, interactive: Bool) {
        self.interactive = interactive
        logDaemon = environment.nonEmpty("HA_LOGD") == "yes" || environment.nonEmpty("HA_use_logd").map(isTrue) == true
        syslog = environment.nonEmpty("HA_LOGFACILITY").map { $0 != "none" } ?? false
        logFile = environment.logFile != nil
        debugLogFile = true  // `: ${HA_DEBUGLOG:=/dev/null}`
    }

    /// Creates a routing from its parts.
    public init(interactive: Bool, logDaemon: Bool, syslog: Bool, logFile: Bool, debugLogFile: Bool) {
        self.interactive = interactive
        self.logDaemon = logDaemon
        self.syslog = syslog
        self.logFile = logFile
        self.debugLogFile = debugLogFile
    }

    /// Whether a line of this level goes to standard error.
    public func writesStandardError(_ level: LogLevel) -> Bool {
        if interactive { return true }
        if logDaemon { return false }
        return !syslog && !(level == .debug ? debugLogFile : logFile)
    }
}

/// ocf_is_true's words: yes, true, 1, YES, TRUE, ja, on, ON.
func isTrue(_ value: String) -> Bool { ["yes", "true", "1", "YES", "TRUE", "ja", "on", "ON"].contains(value) }

/// Writes `TAG: LEVEL: message` lines to standard error, as `ocf_log` does on a terminal, when
/// the routing lets it.
public struct StandardErrorSink: LogSink {
    /// Where the lines go.
    public let io: AgentIO
    /// When they go there.
    public let routing: StandardErrorRouting

    /// Creates the sink; by default it writes every line (a terminal's routing).
    public init(
        io: AgentIO = .process,
        routing: StandardErrorRouting = StandardErrorRouting(
            interactive: true, logDaemon: false, syslog: false, logFile: false, debugLogFile: false)
    ) {
        self.io = io
        self.routing = routing
    }

    public func write(_ entry: LogEntry) {
        guard entry.toStandardError, routing.writesStandardError(entry.level) else { return }
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
/// Standard error gets a line as `StandardErrorRouting` says: outside a cluster manager's log
/// settings always, so nothing is lost when no journald runs.
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

    /// Writes the `ocf-exit-reason:` line Pacemaker reads and logs the failure at error level
    /// everywhere but standard error, which has it already (as `ocf_exit_reason` does).
    public func exitReason(_ reason: String) {
        io.standardError("\(OCFError.reasonPrefix)\(reason)\n")
        var entry = LogEntry(level: .error, agent: agent, instance: instance, action: action, message: reason)
        entry.toStandardError = false
        for sink in sinks { sink.write(entry) }
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
