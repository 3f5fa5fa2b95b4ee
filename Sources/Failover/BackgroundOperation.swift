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
        try Self.spawnThread(task)
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

    private final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    private static func spawnThread(_ body: @escaping @Sendable () -> Void) throws {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { argument in
            let box = Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue()
            box.body()
            return nil
        }, box)
        guard status == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            throw SystemError(errno: status, "starting the group operation thread")
        }
        pthread_detach(thread)
    }
}
