#if canImport(Glibc)
import Glibc
#endif

extension ProcessTable {
    /// The ids of all processes visible in `/proc`.
    public static func allProcesses() -> [pid_t] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var pids: [pid_t] = []
        while let item = readdir(directory) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if let pid = pid_t(name) { pids.append(pid) }
        }
        return pids
    }

    /// A process's arguments from `/proc/PID/cmdline`; `nil` when it is gone (empty for kernel threads).
    public static func commandLine(_ pid: pid_t) -> [String]? {
        guard let text = try? FileSystem.read("/proc/\(pid)/cmdline") else { return nil }
        return text.split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// The program a process runs (`/proc/PID/exe`), without the ` (deleted)` mark an upgrade
    /// leaves; `nil` when it is gone or not readable.
    public static func executable(_ pid: pid_t) -> String? {
        guard var path = FileSystem.readLink("/proc/\(pid)/exe") else { return nil }
        if path.hasSuffix(" (deleted)") { path.removeLast(" (deleted)".count) }
        return path
    }

    /// Whether a process is in this process's network namespace (`/proc/PID/ns/net`): whether it
    /// serves the same interfaces, addresses and ports. When either link cannot be read (no
    /// permission), it is taken to be the same, as on a host without containers.
    public static func sharesNetworkNamespace(_ pid: pid_t) -> Bool {
        guard let theirs = FileSystem.readLink("/proc/\(pid)/ns/net"), let ours = FileSystem.readLink("/proc/self/ns/net")
        else { return true }
        return theirs == ours
    }

    /// The live children of a process, from `/proc/PID/task/*/children`.
    public static func children(of pid: pid_t) -> [pid_t] {
        guard let directory = opendir("/proc/\(pid)/task") else { return [] }
        defer { closedir(directory) }
        var children: [pid_t] = []
        while let item = readdir(directory) {
            let task = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard pid_t(task) != nil, let text = try? FileSystem.read("/proc/\(pid)/task/\(task)/children") else {
                continue
            }
            children += text.split(separator: " ").compactMap { pid_t($0.trimmingNewline()) }
        }
        return children.filter(isRunning)
    }
}

extension Substring {
    fileprivate func trimmingNewline() -> Substring { hasSuffix("\n") ? dropLast() : self }
}
