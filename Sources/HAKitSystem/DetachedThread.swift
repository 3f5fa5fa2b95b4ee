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

    /// Runs `body` on a new detached thread.
    ///
    /// - Throws: `SystemError` when `pthread_create` fails (EAGAIN: too many threads); `body`
    ///   has not run then.
    public static func start(_ what: String, _ body: @escaping @Sendable () -> Void) throws {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { argument in
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
