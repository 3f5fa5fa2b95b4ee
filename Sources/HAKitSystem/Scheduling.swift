#if canImport(Glibc)
import Glibc
#endif

/// A Linux scheduling policy, as `sched_setscheduler(2)` takes it.
public struct SchedulingPolicy: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The C value.
    public var rawValue: Int32
    /// Wraps a C value.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The normal time-sharing policy. The corresponding C constant is `SCHED_OTHER` (0).
    public static let other = SchedulingPolicy(rawValue: 0)
    /// Realtime first-in first-out. The corresponding C constant is `SCHED_FIFO` (1).
    public static let fifo = SchedulingPolicy(rawValue: 1)
    /// Realtime round-robin. The corresponding C constant is `SCHED_RR` (2).
    public static let roundRobin = SchedulingPolicy(rawValue: 2)
    /// Batch. The corresponding C constant is `SCHED_BATCH` (3).
    public static let batch = SchedulingPolicy(rawValue: 3)
    /// Very low priority. The corresponding C constant is `SCHED_IDLE` (5).
    public static let idle = SchedulingPolicy(rawValue: 5)
    /// Deadline. The corresponding C constant is `SCHED_DEADLINE` (6).
    public static let deadline = SchedulingPolicy(rawValue: 6)

    /// Whether threads under it preempt every normal thread (FIFO, RR, DEADLINE).
    public var isRealtime: Bool { self == .fifo || self == .roundRobin || self == .deadline }

    /// The C name, as `chrt` prints it: `SCHED_RR`.
    public var description: String {
        switch self {
        case .other: "SCHED_OTHER"
        case .fifo: "SCHED_FIFO"
        case .roundRobin: "SCHED_RR"
        case .batch: "SCHED_BATCH"
        case .idle: "SCHED_IDLE"
        case .deadline: "SCHED_DEADLINE"
        default: "policy \(rawValue)"
        }
    }
}

/// The scheduling of the calling thread and its memory locking: what a realtime daemon loop needs.
///
/// On Linux `sched_setscheduler(0, …)` changes the calling *thread* only; threads started before
/// keep theirs, threads started after inherit it (unless created with `PTHREAD_EXPLICIT_SCHED`),
/// and so do processes forked or spawned from it.
public enum Scheduling {
    /// Added to a realtime policy: children (threads and processes) the thread creates start at
    /// SCHED_OTHER. The corresponding C constant is `SCHED_RESET_ON_FORK` (0x40000000).
    public static let resetOnFork: Int32 = 0x4000_0000

    /// The calling thread's policy (without `resetOnFork`) and priority.
    public static func current() -> (policy: SchedulingPolicy, priority: Int32, resetOnFork: Bool) {
        let raw = sched_getscheduler(0)
        var parameter = sched_param()
        _ = sched_getparam(0, &parameter)
        return (SchedulingPolicy(rawValue: max(raw, 0) & ~resetOnFork), parameter.sched_priority, raw >= 0 && raw & resetOnFork != 0)
    }

    /// Sets the calling thread's policy and priority (`sched_setscheduler(0, …)`).
    ///
    /// - Throws: `SystemError`: EPERM without CAP_SYS_NICE and with RLIMIT_RTPRIO below `priority`,
    ///   EINVAL for a priority outside the policy's range.
    public static func setCurrent(_ policy: SchedulingPolicy, priority: Int32, resetOnFork: Bool = false) throws {
        var parameter = sched_param()
        parameter.sched_priority = priority
        let raw = policy.rawValue | (resetOnFork ? Self.resetOnFork : 0)
        _ = try syscall("sched_setscheduler(\(policy), \(priority))") { sched_setscheduler(0, raw, &parameter) }
    }

    /// No limit. The corresponding C constant is `RLIM_INFINITY` (all ones; Swift cannot import it).
    static let infinity = rlim_t.max

    /// The soft and hard limit of `resource` (`getrlimit`); `nil` stands for RLIM_INFINITY.
    public static func limit(_ resource: ResourceLimit) -> (soft: UInt64?, hard: UInt64?) {
        var value = rlimit()
        guard getrlimit(__rlimit_resource_t(resource.rawValue), &value) == 0 else { return (0, 0) }
        func finite(_ raw: rlim_t) -> UInt64? { raw == Self.infinity ? nil : UInt64(raw) }
        return (finite(value.rlim_cur), finite(value.rlim_max))
    }

    /// Raises `resource`'s soft limit as far as allowed: to unlimited when the process may raise
    /// the hard limit (CAP_SYS_RESOURCE), else to the hard limit. Returns the soft limit now.
    @discardableResult
    public static func raiseLimit(_ resource: ResourceLimit) -> UInt64? {
        let which = __rlimit_resource_t(resource.rawValue)
        var unlimited = rlimit(rlim_cur: Self.infinity, rlim_max: Self.infinity)
        if setrlimit(which, &unlimited) != 0 {
            var value = rlimit()
            if getrlimit(which, &value) == 0 {
                value.rlim_cur = value.rlim_max
                _ = setrlimit(which, &value)
            }
        }
        return limit(resource).soft
    }

    /// Locks every page the process has, and every page it maps from now on, in memory
    /// (`mlockall(MCL_CURRENT | MCL_FUTURE)`). Not inherited: a forked child has no locks, and
    /// `execve` clears them (mlockall(2)).
    ///
    /// - Throws: `SystemError`: ENOMEM when RLIMIT_MEMLOCK is too small (without CAP_IPC_LOCK),
    ///   EPERM when it is 0.
    public static func lockAllMemory() throws {
        _ = try syscall("mlockall(MCL_CURRENT|MCL_FUTURE)") { mlockall(MCL_CURRENT | MCL_FUTURE) }
    }
}

/// A resource limit (`getrlimit(2)`).
public struct ResourceLimit: RawRepresentable, Hashable, Sendable {
    /// The C value.
    public var rawValue: Int32
    /// Wraps a C value.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Bytes a process may lock in memory. The corresponding C constant is `RLIMIT_MEMLOCK` (8).
    public static let lockedMemory = ResourceLimit(rawValue: 8)
    /// The highest realtime priority without CAP_SYS_NICE. The corresponding C constant is `RLIMIT_RTPRIO` (14).
    public static let realtimePriority = ResourceLimit(rawValue: 14)
}
