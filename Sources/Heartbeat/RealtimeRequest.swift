import HAKitSystem

/// What the daemon asks of the kernel for its loop thread, decided from ha.cf's `realtime` and
/// `rtprio` alone (no system calls): heartbeat 3.0.6's `cl_make_realtime(-1, hb_realtime_prio, …)`.
///
/// heartbeat passes policy -1, which `cl_make_realtime` turns into SCHED_RR, and priority -1
/// unless `rtprio` is given, which becomes `sched_get_priority_min(SCHED_RR)` (1); it then locks
/// its memory (`mlockall(MCL_CURRENT|MCL_FUTURE)`). `realtime off` (`cl_disable_realtime`) skips
/// all of it.
public struct RealtimeRequest: Hashable, Sendable, CustomStringConvertible {
    /// The policy for the loop thread: `.roundRobin`, or `.other` when realtime is off.
    public var policy: SchedulingPolicy
    /// Its priority: 1-99 for a realtime policy, 0 for SCHED_OTHER.
    public var priority: Int32
    /// Whether to lock the process's memory.
    public var lockMemory: Bool

    /// The realtime policy heartbeat uses (its `DEFAULT_REALTIME`).
    public static let realtimePolicy = SchedulingPolicy.roundRobin

    /// A request as given.
    public init(policy: SchedulingPolicy, priority: Int32, lockMemory: Bool) {
        self.policy = policy
        self.priority = priority
        self.lockMemory = lockMemory
    }

    /// The request for `cf`.
    public init(_ cf: HaCf) {
        if cf.realtime {
            policy = Self.realtimePolicy
            priority = Int32(cf.realtimePriority ?? HaCf.realtimePriorities.lowerBound)
            lockMemory = true
        } else {
            policy = .other
            priority = 0
            lockMemory = false
        }
    }

    /// Whether anything is to change (`realtime on`).
    public var isRealtime: Bool { policy.isRealtime }

    /// `SCHED_RR priority 50, memory locked`, or `SCHED_OTHER, memory not locked`.
    public var description: String {
        "\(policy)\(policy.isRealtime ? " priority \(priority)" : ""), memory \(lockMemory ? "locked" : "not locked")"
    }
}
