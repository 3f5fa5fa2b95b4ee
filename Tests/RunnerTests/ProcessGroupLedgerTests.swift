#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import HAKitTestSupport
import Testing

/// The ledger a daemon's successor uses to end the process groups of actions it left running.
@Suite struct ProcessGroupLedgerTests {
    let bootID = ((try? FileSystem.read("/proc/sys/kernel/random/boot_id")) ?? nil)?.filter { !$0.isWhitespace } ?? ""

    /// `sh -c SCRIPT` leading a group of its own.
    func spawnGroup(_ script: String) throws -> ChildProcess {
        try ChildProcess.spawn(
            path: "/bin/sh", arguments: ["sh", "-c", script], environment: ["PATH": "/usr/bin:/bin"], captureOutput: false)
    }

    func withLedger(_ body: (ProcessGroupLedger, String) throws -> Void) throws {
        let directory = try TestSupport.temporaryDirectory("ledger")
        defer { TestSupport.removeTree(directory) }
        try body(ProcessGroupLedger(directory: "\(directory)/actions"), "\(directory)/actions")
    }

    @Test func recordedGroupIsEndedWithItsChildren() throws {
        try withLedger { ledger, directory in
            let child = try spawnGroup("trap '' TERM; sleep 30 & wait")
            defer { child.signalGroup(SIGKILL); child.reap(blocking: true) }
            try ledger.record(leader: child.pid)
            #expect(FileSystem.directoryEntries(directory) == ["\(child.pid)"])
            let deadline = MonotonicClock.milliseconds() + 2000
            while !ProcessTable.liveMembers(ofGroup: child.pid).contains(where: { ProcessTable.commandLine($0).hasPrefix("sleep") })
                && MonotonicClock.milliseconds() < deadline
            {
                MonotonicClock.sleep(milliseconds: 5)
            }
            let ended = ledger.endRecordedGroups(graceMilliseconds: 300)
            #expect(ended.map(\.processGroup) == [child.pid])
            #expect(ended.first?.survived == false)
            #expect(ended.first?.commandLines.contains { $0.hasPrefix("sleep 30") } == true, "\(ended)")
            #expect(!child.groupAlive, "the leader ignored SIGTERM: SIGKILL after the grace")
            #expect(FileSystem.directoryEntries(directory).isEmpty)
        }
    }

    @Test func groupWhoseLeaderHasExitedIsStillEnded() throws {
        try withLedger { ledger, _ in
            let child = try spawnGroup("sleep 30 & echo started")
            try ledger.record(leader: child.pid)
            child.reap(blocking: true)
            #expect(ProcessTable.liveMembers(ofGroup: child.pid).count == 1, "its sleep remains in the group")
            let ended = ledger.endRecordedGroups(graceMilliseconds: 300)
            #expect(ended.map(\.processGroup) == [child.pid])
            #expect(ProcessTable.liveMembers(ofGroup: child.pid).isEmpty)
        }
    }

    /// A record whose pid now names another process (another start time), or that comes from
    /// another boot, ends nothing: the group it named is gone.
    @Test(arguments: ["other start time", "other boot"])
    func reusedPidIsNeverSignalled(mismatch: String) throws {
        try withLedger { ledger, directory in
            let child = try spawnGroup("sleep 30")
            defer { child.signalGroup(SIGKILL); child.reap(blocking: true) }
            let startTime = try #require(ProcessTable.entry(child.pid)?.startTime)
            let record = mismatch == "other boot" ? "\(startTime) 00000000-0000-0000-0000-000000000000" : "\(startTime + 1) \(bootID)"
            try FileSystem.makeDirectories(directory)
            try FileSystem.writeAtomically("\(directory)/\(child.pid)", contents: record + "\n")
            #expect(ledger.endRecordedGroups(graceMilliseconds: 300).isEmpty)
            #expect(child.groupAlive)
            #expect(FileSystem.directoryEntries(directory).isEmpty, "the stale record is dropped")
        }
    }

    /// ProcessRun records the program's group while it runs and drops the record once it is reaped;
    /// a ledger it cannot write to means the program is killed and the run fails.
    /// The record is written right after the spawn, so the program may start before it exists: the
    /// script waits (up to 2 s) for its entry before listing.
    @Test func processRunRecordsWhileTheProgramRuns() throws {
        try withLedger { ledger, directory in
            let script = "for i in $(seq 100); do [ -e \"$0/$$\" ] && break; sleep 0.02; done; ls \"$0\"; echo $$"
            let result = try ProcessRun.run(
                path: "/bin/sh", arguments: ["sh", "-c", script, directory],
                environment: ["PATH": "/usr/bin:/bin"], timeoutMilliseconds: 5000, ledger: ledger)
            let lines = String(decoding: result.output, as: UTF8.self).split(separator: "\n")
            #expect(lines.count == 2 && lines.first == lines.last, "listed while it ran: \(lines) \(result.errorOutput)")
            #expect(FileSystem.directoryEntries(directory).isEmpty)
            try FileSystem.writeAtomically("\(directory)/file", contents: "")
            #expect(throws: SystemError.self) {
                try ProcessRun.run(
                    path: "/bin/sh", arguments: ["sh", "-c", "sleep 30"], environment: [:], timeoutMilliseconds: 5000,
                    ledger: ProcessGroupLedger(directory: "\(directory)/file/sub"))
            }
        }
    }

    @Test func forgottenGroupIsLeftAlone() throws {
        try withLedger { ledger, _ in
            let child = try spawnGroup("sleep 30")
            defer { child.signalGroup(SIGKILL); child.reap(blocking: true) }
            try ledger.record(leader: child.pid)
            ledger.forget(leader: child.pid)
            #expect(ledger.endRecordedGroups(graceMilliseconds: 300).isEmpty)
            #expect(child.groupAlive)
        }
    }
}
