#if canImport(Glibc)
import Glibc
#endif

/// A POSIX thread nobody joins: for work that must not wait on the caller's loop (a group
/// operation while heartbeats go on, an HTTP request while the next one is sent).
public enum DetachedThread {
    private final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// The stack of each thread: 2 MiB rather than glibc's 8 MiB default (RLIMIT_STACK). Under
    /// `mlockall(MCL_FUTURE)` (heartbeat-lite's `realtime on`) every page of a new stack is made
    /// resident and locked, and glibc keeps a finished thread's stack for the next one; these
    /// threads run agents and requests, nothing deeply recursive.
    public static let stackSize = 2 << 20

    /// Runs `body` on a new detached thread, at normal priority (SCHED_OTHER) whatever the
    /// caller's: a realtime daemon loop's agent operations must not starve the rest of the system,
    /// nor inherit its priority (`PTHREAD_EXPLICIT_SCHED`; threads inherit it by default).
    ///
    /// - Throws: `SystemError` when `pthread_create` fails (EAGAIN: too many threads); `body`
    ///   has not run then.
    public static func start(_ what: String, _ body: @escaping @Sendable () -> Void) throws {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setinheritsched(&attributes, Int32(PTHREAD_EXPLICIT_SCHED))
        pthread_attr_setschedpolicy(&attributes, SchedulingPolicy.other.rawValue)
        var normal = sched_param()
        normal.sched_priority = 0
        pthread_attr_setschedparam(&attributes, &normal)
        pthread_attr_setstacksize(&attributes, stackSize)
        let status = pthread_create(&thread, &attributes, { argument in
            Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue().body()
            return nil
        }, box)
        guard status == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            throw SystemError(errno: status, "starting \(what)")
        }
        pthread_detach(thread)
    }
}
