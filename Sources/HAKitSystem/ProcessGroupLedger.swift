#if canImport(Glibc)
import Glibc
#endif

/// A directory that records the process groups a program has started and not yet reaped, one
/// file per group (`<directory>/<pgid>`, holding the leader's start time and the boot it ran in),
/// so that the program's successor, after a crash or a SIGKILL, can end the groups it left running.
///
/// A recorded group is ended only while it still is the one that was recorded: its leader has the
/// recorded start time in the same boot, or — the leader gone — members started after it remain,
/// which no recycled pid can have (Linux gives no process the id of a group that still exists).
public struct ProcessGroupLedger: Sendable {
    /// Where the records are.
    public let directory: String

    /// A group ended by `endRecordedGroups`.
    public struct EndedGroup: Sendable, Hashable {
        /// The process group id.
        public var processGroup: pid_t
        /// The command lines of its live members when it was found.
        public var commandLines: [String]
        /// Whether it was still there after SIGKILL and the wait.
        public var survived: Bool
    }

    /// Uses `directory`; it is created when the first group is recorded.
    public init(directory: String) {
        self.directory = directory
    }

    /// Records a group whose leader has just been spawned (our unreaped child, so its pid names it).
    public func record(leader pid: pid_t) throws {
        guard let entry = ProcessTable.entry(pid) else {
            throw SystemError(errno: ESRCH, "recording process group \(pid)")
        }
        try FileSystem.makeDirectories(directory)
        try FileSystem.writeAtomically("\(directory)/\(pid)", contents: "\(entry.startTime) \(Self.bootID)\n")
    }

    /// Drops the record of a group once its leader has been reaped.
    public func forget(leader pid: pid_t) {
        try? FileSystem.remove("\(directory)/\(pid)")
    }

    /// Ends every recorded group that is still the one recorded — SIGTERM, then SIGKILL after
    /// `graceMilliseconds` — waits until it is gone (at most another second), and drops all records.
    public func endRecordedGroups(graceMilliseconds: Int = 2000) -> [EndedGroup] {
        var found: [(group: pid_t, members: [pid_t])] = []
        for name in FileSystem.directoryEntries(directory) {
            let path = "\(directory)/\(name)"
            guard let group = pid_t(name), group > 1 else {
                try? FileSystem.remove(path)  // a temporary file of an interrupted write
                continue
            }
            let recorded = ((try? FileSystem.read(path)) ?? nil)?.split(whereSeparator: \.isWhitespace) ?? []
            try? FileSystem.remove(path)
            guard recorded.count == 2, let startTime = UInt64(recorded[0]), recorded[1] == Self.bootID else { continue }
            let members = Self.members(ofGroup: group, startedAt: startTime)
            if !members.isEmpty { found.append((group, members)) }
        }
        guard !found.isEmpty else { return [] }
        let commandLines = found.map { $0.members.map { (pid: pid_t) -> String in ProcessTable.commandLine(pid) } }
        for (group, _) in found { kill(-group, SIGTERM) }
        let groups = found.map(\.group)
        Self.waitUntilGone(groups, milliseconds: graceMilliseconds)
        for group in groups where !ProcessTable.liveMembers(ofGroup: group).isEmpty { kill(-group, SIGKILL) }
        Self.waitUntilGone(groups, milliseconds: 1000)
        return zip(groups, commandLines).map { group, lines in
            EndedGroup(processGroup: group, commandLines: lines, survived: !ProcessTable.liveMembers(ofGroup: group).isEmpty)
        }
    }

    /// The live members of a group that are the recorded one: none when the leader's pid now
    /// names a process started at another time (the pid was reused; the old group is gone).
    static func members(ofGroup group: pid_t, startedAt startTime: UInt64) -> [pid_t] {
        if let leader = ProcessTable.entry(group), leader.startTime != startTime { return [] }
        return ProcessTable.liveMembers(ofGroup: group).filter { (ProcessTable.entry($0)?.startTime ?? 0) >= startTime }
    }

    private static func waitUntilGone(_ groups: [pid_t], milliseconds: Int) {
        let deadline = MonotonicClock.deadline(afterMilliseconds: milliseconds)
        while groups.contains(where: { !ProcessTable.liveMembers(ofGroup: $0).isEmpty })
            && MonotonicClock.milliseconds() < deadline
        {
            MonotonicClock.sleep(milliseconds: 10)
        }
    }

    /// This boot's id (`/proc/sys/kernel/random/boot_id`): start times count from the boot.
    static let bootID: String = {
        let text = (try? FileSystem.read("/proc/sys/kernel/random/boot_id")) ?? nil
        return text.map { String($0.filter { !$0.isWhitespace }) } ?? "unknown"
    }()
}
