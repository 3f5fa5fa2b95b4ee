#if canImport(Glibc)
import Glibc
#endif

/// Reads process facts from `/proc`.
public enum ProcessTable {
    /// One process's state and group, from `/proc/PID/stat`.
    public struct Entry: Sendable, Hashable {
        /// The process id.
        public var pid: pid_t
        /// The state letter (`R`, `S`, `D`, `Z`, …).
        public var state: Character
        /// The process group id.
        public var processGroup: pid_t
        /// The parent process id.
        public var parent: pid_t
        /// When the process started, in clock ticks after boot (`starttime`): with the pid, it
        /// names one process, however often the pid is reused.
        public var startTime: UInt64
    }

    /// Reads `/proc/PID/stat`; `nil` when the process is gone.
    public static func entry(_ pid: pid_t) -> Entry? {
        guard let text = try? FileSystem.read("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else {
            return nil
        }
        // After "pid (comm) ": state ppid pgrp … starttime (field 22 of proc(5)); comm may contain
        // spaces and parentheses.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count >= 20, let state = fields[0].first, let parent = pid_t(fields[1]),
            let group = pid_t(fields[2]), let startTime = UInt64(fields[19])
        else { return nil }
        return Entry(pid: pid, state: state, processGroup: group, parent: parent, startTime: startTime)
    }

    /// A process's command line, arguments joined by spaces; empty when it is gone.
    public static func commandLine(_ pid: pid_t) -> String {
        guard let text = try? FileSystem.read("/proc/\(pid)/cmdline") else { return "" }
        return String(text.map { $0 == "\0" ? " " : $0 })
    }

    /// Whether a process exists and is not a zombie.
    public static func isRunning(_ pid: pid_t) -> Bool {
        guard let entry = entry(pid) else { return false }
        return entry.state != "Z" && entry.state != "X"
    }

    /// The processes of a group that are not zombies.
    public static func liveMembers(ofGroup group: pid_t) -> [pid_t] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var members: [pid_t] = []
        while let item = readdir(directory) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = pid_t(name), let entry = entry(pid) else { continue }
            if entry.processGroup == group && entry.state != "Z" && entry.state != "X" { members.append(pid) }
        }
        return members
    }
}
