#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import HAKitTestSupport
import Testing

/// ha.cf's `watchdog DEVICE` (seed 002) against a stand-in that records the writes: a FIFO read by
/// `cat` into a file. A real watchdog (softdog, a hardware timer) reboots the node when the writes
/// stop without the magic `V`; the stand-in shows what the daemon writes and when.
@Suite(.serialized) struct WatchdogTests {
    /// A FIFO with a reader recording into `recording`, in a directory of the test's own.
    final class StandIn {
        let directory: String
        let fifo: String
        let recording: String
        private(set) var reader: ChildProcess?

        init() throws {
            directory = try TestSupport.temporaryDirectory("watchdog", mode: 0o755)
            fifo = "\(directory)/watchdog"
            recording = "\(directory)/recording"
            guard mkfifo(fifo, 0o600) == 0 else { throw TestFailure("mkfifo \(fifo): \(String(cString: strerror(errno)))") }
        }

        /// Starts the reader (it opens the FIFO; the daemon's open for writing needs one).
        func listen() throws {
            reader = try ChildProcess.spawn(
                path: "/bin/sh", arguments: ["sh", "-c", "exec cat \"$0\" > \"$1\"", fifo, recording],
                environment: ["PATH": "/usr/bin:/bin"], captureOutput: false)
            let deadline = MonotonicClock.milliseconds() + 5000
            while !FileSystem.exists(recording) && MonotonicClock.milliseconds() < deadline { MonotonicClock.sleep(milliseconds: 5) }
            MonotonicClock.sleep(milliseconds: 50)  // cat is in open(2) on the FIFO by now
        }

        /// What was written so far.
        var written: [UInt8] { Array((((try? FileSystem.read(recording)) ?? nil) ?? "").utf8) }

        /// Waits for the reader to see the end of the FIFO (the writer closed); kills it otherwise.
        func finish(timeoutMilliseconds: Int = 5000) -> Bool {
            guard let reader else { return false }
            let ended = reader.waitForExit(timeoutMilliseconds: timeoutMilliseconds) != nil
            if !ended { kill(reader.pid, SIGKILL) }
            reader.reap(blocking: true)
            return ended
        }

        deinit {
            if let reader, reader.reap() == nil {
                kill(reader.pid, SIGKILL)
                reader.reap(blocking: true)
            }
            TestSupport.removeTree(directory)
        }
    }

    /// Armed at start, a NUL byte every keepalive while the loop runs, `V` then close on a clean
    /// stop; `status` shows it. After SIGKILL the writes stop with no `V`: a real watchdog reboots.
    @Test func writtenEveryKeepaliveAndDisarmedOnACleanStop() throws {
        let standIn = try StandIn()
        try HeartbeatCluster.with("wd", extra: "watchdog \(standIn.fifo)", prefix: "hk-wd") { cluster in
            try standIn.listen()
            try cluster.node1.start()
            let deadline = MonotonicClock.milliseconds() + 10_000
            while standIn.written.count < 5 {
                guard MonotonicClock.milliseconds() < deadline else {
                    throw TestFailure("fewer than 5 watchdog writes in 10 s: \(standIn.written)\n\(cluster.node1.log)")
                }
                MonotonicClock.sleep(milliseconds: 20)
            }
            let status = try cluster.node1.control("status").output
            #expect(status.contains("watchdog \(standIn.fifo): armed, "), "\(status)")
            #expect(cluster.node1.log.contains("Using watchdog device: \(standIn.fifo)"))
            cluster.node1.signal(SIGTERM)
            #expect(cluster.node1.waitForExit(timeoutMilliseconds: 30_000) == .exited(0))
            #expect(standIn.finish(), "the daemon did not close the watchdog")
            let bytes = standIn.written
            #expect(bytes.last == UInt8(ascii: "V"), "a clean stop ends with the magic V: \(bytes.suffix(5))")
            #expect(bytes.dropLast().allSatisfy { $0 == 0 }, "every keepalive writes one NUL byte")
            #expect(cluster.node1.log.contains("disarmed ('V' written)"))
        }
    }

    @Test func aKilledDaemonLeavesTheWatchdogArmed() throws {
        let standIn = try StandIn()
        try HeartbeatCluster.with("wk", extra: "watchdog \(standIn.fifo)", prefix: "hk-wd") { cluster in
            try standIn.listen()
            try cluster.node1.start()
            let deadline = MonotonicClock.milliseconds() + 10_000
            while standIn.written.count < 3 && MonotonicClock.milliseconds() < deadline { MonotonicClock.sleep(milliseconds: 20) }
            cluster.node1.killHard()
            #expect(standIn.finish(), "the kernel closes a killed daemon's descriptor")
            let bytes = standIn.written
            #expect(bytes.count >= 3 && bytes.allSatisfy { $0 == 0 }, "no V after SIGKILL: \(bytes.suffix(5))")
        }
    }

    /// A watchdog that cannot be used is refused, never ignored: `check` names the line for a
    /// missing device or one that is not a device; `run` does not start when the device cannot be
    /// opened (a FIFO nobody reads: ENXIO).
    @Test func aWatchdogThatCannotBeUsedIsRefused() throws {
        let standIn = try StandIn()
        let plain = "\(standIn.directory)/plain"
        try FileSystem.writeAtomically(plain, contents: "")
        try HeartbeatCluster.with("wr", extra: "watchdog \(standIn.fifo)", prefix: "hk-wd") { cluster in
            let node = cluster.node1
            let haCf = try #require(try FileSystem.read("\(node.configDirectory)/ha.cf"))
            let line = haCf.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("watchdog ") }.map { $0 + 1 }
            func check() throws -> TestSupport.CommandResult {
                try TestSupport.run([TestSupport.binary("heartbeat-lite"), "check", "--config-dir", node.configDirectory, "--node", "node1"])
            }
            for (device, problem) in [
                ("\(standIn.directory)/missing", "watchdog device \(standIn.directory)/missing does not exist"),
                (plain, "watchdog device \(plain) is a regular file, not a watchdog"),
            ] {
                try FileSystem.writeAtomically(
                    "\(node.configDirectory)/ha.cf", contents: haCf.replacing("watchdog \(standIn.fifo)", with: "watchdog \(device)"))
                let result = try check()
                #expect(result.status == 1)
                #expect(result.errorOutput.contains("\(node.configDirectory)/ha.cf:\(line ?? 0): \(problem)"), "\(result.errorOutput)")
            }
            try FileSystem.writeAtomically("\(node.configDirectory)/ha.cf", contents: haCf)
            #expect(try check().status == 0, "a FIFO passes check: it is only opened by run")
            try node.launch()
            #expect(node.waitForExit(timeoutMilliseconds: 20_000) == .exited(1))
            #expect(node.stderr.contains("cannot open watchdog device \(standIn.fifo): No such device or address"), "\(node.stderr)")
            #expect(node.stderr.contains("not started"))
        }
    }
}
