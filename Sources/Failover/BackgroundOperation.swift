import CHAKitShims
import HAKitSystem
import Heartbeat
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The group operation thread: start, stop or restart of groups, one at a time.
typealias BackgroundOperation = BackgroundWork<ResourceNegotiation.Outcome>

/// Runs one piece of work (a group operation, a monitor) on its own thread so heartbeats keep
/// flowing while agents run, and wakes the poll loop through an eventfd when it is done.
final class BackgroundWork<Output: Sendable>: Sendable {
    /// Readable (poll) once the work has finished.
    let wakeDescriptor: Int32
    private let outcome = Mutex<Output?>(nil)
    private let label: String

    init(label: String = "the group operation thread") throws {
        self.label = label
        wakeDescriptor = try syscall("eventfd") { eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK)) }
    }

    deinit { close(wakeDescriptor) }

    /// Starts `body` on a new thread.
    func start(_ body: @escaping @Sendable () -> Output) throws {
        let task: @Sendable () -> Void = { [self] in
            let result = body()
            outcome.withLock { $0 = result }
            var one: UInt64 = 1
            _ = write(wakeDescriptor, &one, 8)
        }
        try DetachedThread.start(label, task)
    }

    /// The finished work's outcome, once; `nil` while it runs.
    func take() -> Output? {
        var counter: UInt64 = 0
        _ = read(wakeDescriptor, &counter, 8)
        return outcome.withLock { value in
            defer { value = nil }
            return value
        }
    }
}
