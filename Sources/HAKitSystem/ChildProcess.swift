#if canImport(Glibc)
import Glibc
#endif
import CHAKitShims

/// How a child process ended.
public enum Termination: Hashable, Sendable, CustomStringConvertible {
    /// It called exit with this status.
    case exited(Int32)
    /// A signal ended it.
    case signaled(Int32)

    /// Decodes a `waitpid` status word.
    public init(waitStatus status: Int32) {
        let signal = status & 0x7f
        self = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }

    /// `exit 3` or `signal 9 (Killed)`.
    public var description: String {
        switch self {
        case .exited(let code): "exit \(code)"
        case .signaled(let signal): "signal \(signal) (\(String(cString: strsignal(signal))))"
        }
    }
}

/// A child process started with `posix_spawn`, optionally leading its own process group, with its
/// standard output and error captured through pipes and its exit watched through a pidfd.
///
/// The type owns the pidfd and the pipe ends and closes them when it goes away.
public final class ChildProcess {
    /// The child's process id (and, with `newProcessGroup`, its process group id).
    public let pid: pid_t
    /// Whether the child leads its own process group.
    public let leadsGroup: Bool
    /// A pidfd: readable once the child has exited.
    public let pidfd: Int32
    /// The read end of the child's standard output, or -1.
    public private(set) var outputFD: Int32
    /// The read end of the child's standard error, or -1.
    public private(set) var errorFD: Int32
    /// Set once the child has been reaped.
    public private(set) var termination: Termination?

    private init(pid: pid_t, leadsGroup: Bool, pidfd: Int32, outputFD: Int32, errorFD: Int32) {
        self.pid = pid
        self.leadsGroup = leadsGroup
        self.pidfd = pidfd
        self.outputFD = outputFD
        self.errorFD = errorFD
    }

    deinit {
        closeOutput()
        if pidfd >= 0 { close(pidfd) }
    }

    /// Closes the pipe ends.
    public func closeOutput() {
        if outputFD >= 0 { close(outputFD); outputFD = -1 }
        if errorFD >= 0 { close(errorFD); errorFD = -1 }
    }

    /// Starts a program.
    ///
    /// The child gets default signal dispositions and an empty signal mask (as Pacemaker's executor
    /// resets them), `/dev/null` as standard input, no other inherited descriptors, and — with
    /// `newProcessGroup` — its own process group, so that a timeout can end it and all its children.
    /// Spawned from a realtime thread (a daemon loop at SCHED_FIFO or SCHED_RR) it starts at
    /// SCHED_OTHER, priority 0 (`POSIX_SPAWN_SETSCHEDULER`), as Pacemaker's executor and
    /// heartbeat's `hb_setup_child` reset it: agents run at normal priority. Memory locks
    /// (`mlockall`) need no reset: `execve` drops them.
    ///
    /// - Parameters:
    ///   - path: the program; searched in `PATH` when it contains no slash.
    ///   - arguments: the whole `argv`, `argv[0]` included.
    ///   - environment: the whole environment.
    ///   - captureOutput: pipe standard output and error to the parent (otherwise inherited).
    ///   - inheriting: descriptors the child gets as 3, 4, … (all others above 2 are closed).
    public static func spawn(
        path: String, arguments: [String], environment: [String: String], newProcessGroup: Bool = true,
        captureOutput: Bool = true, inheriting: [Int32] = []
    ) throws -> ChildProcess {
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        if captureOutput {
            try syscall("creating a pipe") { CHAKitShims_pipe2(&outPipe, O_CLOEXEC) }
            do {
                try syscall("creating a pipe") { CHAKitShims_pipe2(&errPipe, O_CLOEXEC) }
            } catch {
                close(outPipe[0]); close(outPipe[1])
                throw error
            }
        }
        defer {
            if captureOutput { close(outPipe[1]); close(errPipe[1]) }
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if captureOutput {
            posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
            posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        }
        // dup2 clears close-on-exec on the copy (glibc does so too when a descriptor is already
        // in place, as POSIX.1-2024 asks).
        for (offset, descriptor) in inheriting.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, descriptor, 3 + Int32(offset))
        }
        CHAKitShims_posix_spawn_file_actions_addclosefrom_np(&actions, 3 + Int32(inheriting.count))

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if newProcessGroup { flags |= Int32(POSIX_SPAWN_SETPGROUP) }
        if Scheduling.current().policy.isRealtime {
            // Not POSIX_SPAWN_RESETIDS (that is about the effective user and group); glibc calls
            // sched_setscheduler(0, SCHED_OTHER, {0}) in the child before exec.
            flags |= Int32(POSIX_SPAWN_SETSCHEDULER)
            posix_spawnattr_setschedpolicy(&attributes, SchedulingPolicy.other.rawValue)
            var normal = sched_param()
            normal.sched_priority = 0
            posix_spawnattr_setschedparam(&attributes, &normal)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        posix_spawnattr_setpgroup(&attributes, 0)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }

        var pid: pid_t = 0
        let status =
            path.contains("/")
            ? posix_spawn(&pid, path, &actions, &attributes, argv, envp)
            : posix_spawnp(&pid, path, &actions, &attributes, argv, envp)
        if status != 0 {
            if captureOutput { close(outPipe[0]); close(errPipe[0]) }
            throw SystemError(errno: status, "starting \(path)")
        }
        let pidfd = CHAKitShims_pidfd_open(pid, 0)
        precondition(pidfd >= 0, "pidfd_open of our own child \(pid) failed: errno \(errno)")
        return ChildProcess(
            pid: pid, leadsGroup: newProcessGroup, pidfd: pidfd,
            outputFD: captureOutput ? outPipe[0] : -1, errorFD: captureOutput ? errPipe[0] : -1)
    }

    /// Reaps the child if it has exited; returns how it ended, or `nil` while it runs.
    @discardableResult
    public func reap(blocking: Bool = false) -> Termination? {
        if let termination { return termination }
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, blocking ? 0 : WNOHANG)
            if result == -1 && errno == EINTR { continue }
            if result == pid {
                termination = Termination(waitStatus: status)
            }
            return termination
        }
    }

    /// Sends a signal to the child's whole process group (or to the child alone when it does not
    /// lead one). Returns false when no process was left to signal.
    @discardableResult
    public func signalGroup(_ signal: Int32) -> Bool {
        if leadsGroup { return kill(-pid, signal) == 0 }
        return CHAKitShims_pidfd_send_signal(pidfd, signal) == 0
    }

    /// Whether any process of the child's group is still running. Zombies do not count: a killed
    /// grandchild stays in the group until init reaps it, but it runs nothing.
    public var groupAlive: Bool {
        guard leadsGroup else { return reap() == nil }
        guard kill(-pid, 0) == 0 else { return false }
        return !ProcessTable.liveMembers(ofGroup: pid).isEmpty
    }
}
