import HAKitSystem
import Heartbeat

#if canImport(Glibc)
import Glibc
#endif

/// What the daemon got of its `RealtimeRequest`, and why not all of it: the kernel side.
struct RealtimeOutcome: Sendable {
    /// The loop thread's policy now.
    var policy: SchedulingPolicy
    /// Its priority now.
    var priority: Int32
    /// Whether `mlockall` succeeded.
    var memoryLocked: Bool
    /// What could not be had, each with its reason; empty when everything asked for was had.
    var fallbacks: [String]

    /// `running SCHED_RR priority 50, memory locked`.
    var summary: String {
        "running \(policy)\(policy.isRealtime ? " priority \(priority)" : ""), memory \(memoryLocked ? "locked" : "not locked")"
    }

    /// Makes the calling thread (the poll loop) realtime and locks memory as `request` asks, as far
    /// as CAP_SYS_NICE/RLIMIT_RTPRIO and CAP_IPC_LOCK/RLIMIT_MEMLOCK allow; never fails.
    ///
    /// The thread also gets SCHED_RESET_ON_FORK, so that no thread or process it creates starts
    /// realtime, even one not made through `DetachedThread` or `ChildProcess` (which set
    /// SCHED_OTHER themselves).
    static func apply(_ request: RealtimeRequest) -> RealtimeOutcome {
        var fallbacks: [String] = []
        if request.isRealtime {
            do {
                try Scheduling.setCurrent(request.policy, priority: request.priority, resetOnFork: true)
            } catch let error as SystemError {
                let allowed = Scheduling.limit(.realtimePriority).soft.map { Int32(clamping: $0) } ?? request.priority
                var reason = "cannot run \(request.policy) priority \(request.priority): \(error.message)"
                if error.errno == EPERM {
                    reason += " (needs CAP_SYS_NICE or RLIMIT_RTPRIO >= \(request.priority); RLIMIT_RTPRIO is \(allowed))"
                    if allowed >= 1, allowed < request.priority,
                        (try? Scheduling.setCurrent(request.policy, priority: allowed, resetOnFork: true)) != nil
                    {
                        reason += "; using priority \(allowed), the most RLIMIT_RTPRIO allows"
                    }
                }
                fallbacks.append(reason)
            } catch {
                fallbacks.append("cannot run \(request.policy) priority \(request.priority): \(error)")
            }
        }
        var locked = false
        if request.lockMemory {
            let limit = Scheduling.raiseLimit(.lockedMemory)
            do {
                try Scheduling.lockAllMemory()
                locked = true
            } catch let error as SystemError {
                let shown = limit.map { "\($0 / 1024) KiB" } ?? "unlimited"
                fallbacks.append(
                    "cannot lock memory: \(error.message) (needs CAP_IPC_LOCK or a larger RLIMIT_MEMLOCK; it is \(shown))")
            } catch {
                fallbacks.append("cannot lock memory: \(error)")
            }
        }
        let now = Scheduling.current()
        return RealtimeOutcome(policy: now.policy, priority: now.priority, memoryLocked: locked, fallbacks: fallbacks)
    }
}
