#if canImport(Glibc)
import Glibc
#endif

/// The outcome of running a program to completion under a timeout.
public struct ProcessResult: Sendable {
    /// How the program ended; `nil` only if it could not be reaped (it will not die).
    public var termination: Termination?
    /// Whether the timeout expired and the process group was signalled.
    public var timedOut: Bool
    /// Whether processes of its group were still alive after the final SIGKILL.
    public var survivors: Bool
    /// What is kept of its standard output: head and tail.
    public var standardOutput: OutputCapture
    /// What is kept of its standard error: head and tail, and the last line with the prefix asked for.
    public var standardError: OutputCapture
    /// Time from spawn to reaping, in nanoseconds.
    public var elapsedNanoseconds: UInt64

    /// Elapsed time in milliseconds, with fractions.
    public var elapsedMilliseconds: Double { Double(elapsedNanoseconds) / 1_000_000 }

    /// What it wrote to standard output: all of it, or its head and tail around a line `[N bytes cut]`.
    public var output: [UInt8] { standardOutput.bytes() }
    /// What it wrote to standard error: all of it, or its head and tail around a line `[N bytes cut]`.
    public var errorOutput: [UInt8] { standardError.bytes() }
}

/// Runs programs to completion: captures their output, and on timeout sends SIGTERM to the whole
/// process group, then SIGKILL after a grace period.
public enum ProcessRun {
    /// The most bytes kept of each output stream, half from its start and half from its end;
    /// what lies between is read and dropped.
    public static let outputLimit = 1 << 20

    /// Runs a program in its own process group and waits for it.
    ///
    /// Output is read while the program runs; once it exits, what is left in the pipes is drained
    /// without waiting for end-of-file, because a daemon it started may hold the pipes open.
    ///
    /// - Parameters:
    ///   - timeoutMilliseconds: when to give up; `nil` waits for ever.
    ///   - killGraceMilliseconds: how long after SIGTERM before SIGKILL.
    ///   - errorLinePrefix: lines of standard error to look for in the whole stream, kept part or
    ///     not (`ProcessResult.standardError.lastPrefixedLine`).
    ///   - ledger: where the program's process group is recorded while it runs, so that a successor
    ///     of a caller that dies can end it; when it cannot be recorded, the program is killed and
    ///     the error thrown.
    public static func run(
        path: String, arguments: [String], environment: [String: String], timeoutMilliseconds: Int?,
        killGraceMilliseconds: Int = 2000, errorLinePrefix: String? = nil, ledger: ProcessGroupLedger? = nil
    ) throws -> ProcessResult {
        let started = MonotonicClock.nanoseconds()
        let child = try ChildProcess.spawn(path: path, arguments: arguments, environment: environment)
        if let ledger {
            do {
                try ledger.record(leader: child.pid)
            } catch {
                child.signalGroup(SIGKILL)
                child.reap(blocking: true)
                throw error
            }
        }
        var output = OutputCapture(headLimit: outputLimit / 2, tailLimit: outputLimit / 2)
        var errorOutput = OutputCapture(headLimit: outputLimit / 2, tailLimit: outputLimit / 2, linePrefix: errorLinePrefix)
        let deadline = timeoutMilliseconds.map { MonotonicClock.nanosecondDeadline(afterMilliseconds: $0, from: started) }

        var timedOut = false
        if !pump(child, until: deadline, &output, &errorOutput) {
            timedOut = true
            child.signalGroup(SIGTERM)
            let graceEnd = MonotonicClock.nanosecondDeadline(afterMilliseconds: killGraceMilliseconds)
            // Wait through the grace period for the whole group, not only the leader, to be gone.
            while child.groupAlive && MonotonicClock.nanoseconds() < graceEnd {
                _ = pump(child, until: min(graceEnd, MonotonicClock.nanoseconds() + 10_000_000), &output, &errorOutput)
            }
            if child.groupAlive { child.signalGroup(SIGKILL) }
        }
        let termination = timedOut ? child.reap(blocking: true) : child.termination
        let elapsed = MonotonicClock.nanoseconds() - started
        drain(child, &output, &errorOutput)

        var survivors = false
        if timedOut {
            let killEnd = MonotonicClock.nanoseconds() + 1_000_000_000
            while child.groupAlive && MonotonicClock.nanoseconds() < killEnd {
                child.signalGroup(SIGKILL)
                MonotonicClock.sleep(milliseconds: 5)
            }
            survivors = child.groupAlive
        }
        // Survivors of SIGKILL stay recorded, for a successor to try again.
        if !survivors { ledger?.forget(leader: child.pid) }
        child.closeOutput()
        return ProcessResult(
            termination: termination, timedOut: timedOut, survivors: survivors, standardOutput: output,
            standardError: errorOutput, elapsedNanoseconds: elapsed)
    }

    /// Reads output until the child exits (true) or the deadline passes (false).
    private static func pump(
        _ child: ChildProcess, until deadline: UInt64?, _ output: inout OutputCapture, _ errorOutput: inout OutputCapture
    ) -> Bool {
        var outOpen = child.outputFD >= 0
        var errOpen = child.errorFD >= 0
        while true {
            if child.reap() != nil { return true }
            var fds = [pollfd(fd: child.pidfd, events: Int16(POLLIN), revents: 0)]
            if outOpen { fds.append(pollfd(fd: child.outputFD, events: Int16(POLLIN), revents: 0)) }
            if errOpen { fds.append(pollfd(fd: child.errorFD, events: Int16(POLLIN), revents: 0)) }
            var wait: Int32 = -1
            if let deadline {
                let now = MonotonicClock.nanoseconds()
                if now >= deadline { return false }
                wait = Int32(min(UInt64(Int32.max), (deadline - now) / 1_000_000 + 1))
            }
            let ready = poll(&fds, nfds_t(fds.count), wait)
            if ready < 0 && errno == EINTR { continue }
            for entry in fds.dropFirst() where entry.revents != 0 {
                if entry.fd == child.outputFD {
                    outOpen = readChunk(entry.fd, into: &output)
                } else {
                    errOpen = readChunk(entry.fd, into: &errorOutput)
                }
            }
        }
    }

    /// Reads what is already in the pipes without blocking.
    private static func drain(_ child: ChildProcess, _ output: inout OutputCapture, _ errorOutput: inout OutputCapture) {
        for (fd, isOutput) in [(child.outputFD, true), (child.errorFD, false)] where fd >= 0 {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            if isOutput {
                while readChunk(fd, into: &output) {}
            } else {
                while readChunk(fd, into: &errorOutput) {}
            }
        }
    }

    /// Reads one chunk; returns false at end-of-file or when nothing more is available now.
    private static func readChunk(_ fd: Int32, into capture: inout OutputCapture) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = read(fd, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return false }
            capture.append(chunk[0..<count])
            return true
        }
    }
}
