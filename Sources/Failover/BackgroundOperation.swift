import CHAKitShims
import HAKitSystem
import Heartbeat
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Runs one group operation on its own thread so heartbeats keep flowing while agents run, and
/// wakes the poll loop through an eventfd when it is done.
final class BackgroundOperation: Sendable {
    /// Readable (poll) once the operation has finished.
    let wakeDescriptor: Int32
    private let outcome = Mutex<ResourceNegotiation.Outcome?>(nil)

    init() throws {
        wakeDescriptor = try syscall("eventfd") { eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK)) }
    }

    deinit { close(wakeDescriptor) }

    /// Starts `body` on a new thread.
    func start(_ body: @escaping @Sendable () -> ResourceNegotiation.Outcome) throws {
        let task: @Sendable () -> Void = { [self] in
            let result = body()
            outcome.withLock { $0 = result }
            var one: UInt64 = 1
            _ = write(wakeDescriptor, &one, 8)
        }
        try DetachedThread.start("the group operation thread", task)
    }

    /// The finished operation's outcome, once; `nil` while it runs.
    func take() -> ResourceNegotiation.Outcome? {
        var counter: UInt64 = 0
        _ = read(wakeDescriptor, &counter, 8)
        return outcome.withLock { value in
            defer { value = nil }
            return value
        }
    }
}
