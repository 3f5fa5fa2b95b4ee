#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import OCF

/// The processes of one Apache instance: the main process found from the pid file, leftovers by
/// the binary and the `-f` configuration file on their command line; launched, and stopped.
struct HttpdProcesses {
    /// The httpd binary, links resolved.
    let binary: String
    /// The configuration file given to `-f`.
    let configFile: String
    /// The pid file Apache writes.
    let pidFile: String

    /// The main (parent) process, or `nil` when the instance is not running.
    ///
    /// Only the pid file says which process that is, as in the reference agent. A process that
    /// merely runs `binary -f configFile` may be a worker left behind by a main process that was
    /// killed (its parent is then init): taking it for the server would report a dead instance
    /// running, and stop would wait on a worker that ignores the graceful-stop signals. A pid
    /// file whose process runs another program is stale (its pid was reused) and ignored.
    func main() -> pid_t? {
        guard let pid = try? PidFile.read(pidFile), ProcessTable.isRunning(pid), runsBinary(pid) else { return nil }
        return pid
    }

    /// Every live process running `binary` with `-f configFile`: the parent and its workers, or
    /// the leftovers of an instance whose main process died. A process in another network
    /// namespace (a container, or another node under test on the same host) serves other
    /// addresses: it belongs to another instance, so it is never stopped here. (Not the mount
    /// namespace: `ip netns exec` gives each command a mount namespace of its own.)
    func members() -> [pid_t] {
        ProcessTable.allProcesses().filter { pid in
            guard ProcessTable.executable(pid) == binary, let arguments = ProcessTable.commandLine(pid),
                ProcessTable.sharesNetworkNamespace(pid)
            else {
                return false
            }
            let usesConfig = zip(arguments, arguments.dropFirst()).contains { $0 == ("-f", configFile) }
            return usesConfig && ProcessTable.isRunning(pid)
        }
    }

    /// Whether a process runs the binary. Without permission to read `/proc/PID/exe`, a live pid
    /// is the best evidence there is.
    private func runsBinary(_ pid: pid_t) -> Bool {
        ProcessTable.executable(pid).map { $0 == binary } ?? true
    }

    /// Starts Apache in the foreground (`-DFOREGROUND`) in its own process group: the agent then
    /// sees at once if it dies while starting, and reads why from its output. Apache keeps
    /// running when the agent exits.
    func launch(_ arguments: [String], environment: [String: String]) throws -> ChildProcess {
        try ChildProcess.spawn(path: binary, arguments: [binary, "-DFOREGROUND"] + arguments, environment: environment)
    }

    /// Runs `httpd -t` with the setup's arguments; returns its complaint, or `nil` when it accepts them.
    func syntaxProblem(_ setup: ApacheSetup) -> String? {
        let run = try? ProcessRun.run(
            path: binary, arguments: [binary, "-t"] + setup.arguments, environment: setup.environment,
            timeoutMilliseconds: 10_000)
        guard let result = run, result.termination != .exited(0) else { return nil }
        let output = String(decoding: result.errorOutput + result.output, as: UTF8.self)
        return Self.summary(output) ?? "httpd -t: \(result.termination.map { "\($0)" } ?? "no exit")"
    }

    /// httpd's first lines of complaint on one line (a syntax error takes two: where, then what).
    static func summary(_ output: String) -> String? {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        let lines = output.split(separator: "\n").map { line in
            String(line.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
        }
        let complaint = lines.filter { !$0.isEmpty }.prefix(2)
        return complaint.isEmpty ? nil : complaint.joined(separator: " ")
    }

    /// Stops the instance within a time budget and reports whether nothing is left.
    ///
    /// First a graceful stop (SIGWINCH), which lets requests in progress finish, for up to half
    /// the budget; then SIGTERM for half of what is left; then SIGKILL. Any process still running
    /// the binary with this configuration (a worker whose parent died) is a leftover: it gets
    /// TERM and, after a short grace, KILL — at once, not at the end of the budget, since
    /// without its parent it serves nothing that a graceful stop could let finish.
    func stop(_ pid: pid_t?, budgetMilliseconds: Int, log: OCFLog) -> Bool {
        let deadline = MonotonicClock.milliseconds() + Int64(budgetMilliseconds)
        func left() -> Int { Int(max(0, deadline - MonotonicClock.milliseconds())) }
        if let pid, let main = ProcessHandle(pid: pid) {
            log.info("graceful stop of apache (pid \(pid))")
            if !gracefulStop(main, within: left() / 2) {
                log.warning("apache (pid \(pid)) did not stop gracefully; sending TERM")
                _ = try? main.signal(SIGTERM)
                if !main.waitForExit(timeoutMilliseconds: left() / 2) {
                    log.warning("apache (pid \(pid)) ignored TERM; sending KILL")
                    _ = try? main.signal(SIGKILL)
                    _ = main.waitForExit(timeoutMilliseconds: left())
                }
            }
        }
        return endStragglers(within: left(), log: log)
    }

    /// SIGWINCH, then waits for the workers to finish. Apache's parent only notices that on its
    /// once-a-second check; SIGTERM wakes it, and during a graceful stop it then exits at once,
    /// with nothing left to interrupt.
    private func gracefulStop(_ main: ProcessHandle, within milliseconds: Int) -> Bool {
        let deadline = MonotonicClock.milliseconds() + Int64(milliseconds)
        func left() -> Int { Int(max(0, deadline - MonotonicClock.milliseconds())) }
        guard (try? main.signal(SIGWINCH)) == true else { return main.hasExited }
        var workers = ProcessTable.children(of: main.pid).compactMap(ProcessHandle.init(pid:))
        while !workers.isEmpty {
            guard let index = ProcessHandle.waitForAnyExit([main] + workers, timeoutMilliseconds: left()) else {
                return false
            }
            if index == 0 { return true }
            workers.remove(at: index - 1)
        }
        if !main.hasExited { _ = try? main.signal(SIGTERM) }
        return main.waitForExit(timeoutMilliseconds: left())
    }

    /// How long leftovers get to end on SIGTERM before SIGKILL.
    static let leftoverGraceMilliseconds = 300

    /// TERM, then KILL, to processes of this instance still running; returns whether none is left.
    private func endStragglers(within milliseconds: Int, log: OCFLog) -> Bool {
        let deadline = MonotonicClock.milliseconds() + Int64(milliseconds)
        for signal in [SIGTERM, SIGKILL] {
            let left = members().compactMap(ProcessHandle.init(pid:))
            if left.isEmpty { return true }
            log.info("sending signal \(signal) to \(left.count) leftover apache process(es)")
            for process in left { _ = try? process.signal(signal) }
            // TERM gets a short grace (workers of a dead parent may ignore it), KILL what is left.
            let remaining = Int(max(0, deadline - MonotonicClock.milliseconds()))
            let share = signal == SIGTERM ? min(Self.leftoverGraceMilliseconds, remaining / 2) : remaining
            let end = MonotonicClock.milliseconds() + Int64(share)
            for process in left {
                _ = process.waitForExit(timeoutMilliseconds: Int(max(0, end - MonotonicClock.milliseconds())))
            }
        }
        return members().isEmpty
    }
}
