import CHAKitShims
import CMnl
import HAKitSystem

#if canImport(Glibc)
import Glibc
#endif

/// Creates netlink sockets inside named network namespaces (`/run/netns/<name>`).
enum NetworkNamespace {
    /// Where `ip netns add` bind-mounts namespaces.
    static let directory = "/run/netns"

    /// Opens an `AF_NETLINK`/`NETLINK_ROUTE` socket inside the named namespace and returns its descriptor.
    ///
    /// `setns(CLONE_NEWNET)` moves only the calling thread, so a dedicated thread does it, creates
    /// the socket (a socket belongs to the namespace it was created in for good) and exits; the
    /// caller's thread, and so the rest of the process, never changes namespace.
    static func routeSocket(inNamespaceNamed name: String) throws -> Int32 {
        // `ip netns` refuses the same names: they must stay one path component under /run/netns.
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/") else {
            throw SystemError(errno: EINVAL, "opening network namespace \"\(name)\"")
        }
        let path = "\(directory)/\(name)"
        let namespace = try syscall("opening network namespace \(path)") { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(namespace) }

        let job = Unmanaged.passRetained(SocketJob(namespace: namespace, path: path))
        defer { job.release() }
        var thread = pthread_t()
        let started = pthread_create(
            &thread,
            nil,
            { context in
                Unmanaged<SocketJob>.fromOpaque(context!).takeUnretainedValue().run()
                return nil
            },
            job.toOpaque()
        )
        guard started == 0 else { throw SystemError(errno: started, "starting a thread to enter \(path)") }
        // pthread_join orders the thread's write of `result` before this read.
        pthread_join(thread, nil)
        return try job.takeUnretainedValue().result.get()
    }

    /// The work of the namespace thread and its result, shared with the creating thread only
    /// across pthread_create and pthread_join.
    private final class SocketJob {
        let namespace: Int32
        let path: String
        var result: Result<Int32, SystemError> = .failure(SystemError(errno: ECHILD, "thread did not run"))

        init(namespace: Int32, path: String) {
            self.namespace = namespace
            self.path = path
        }

        func run() {
            do {
                try syscall("entering network namespace \(path)") { CHAKitShims_setns(namespace, CLONE_NEWNET) }
                let descriptor = try syscall("opening a netlink socket in \(path)") {
                    socket(AF_NETLINK, Int32(SOCK_RAW.rawValue | SOCK_CLOEXEC.rawValue), NETLINK_ROUTE)
                }
                result = .success(descriptor)
            } catch let error as SystemError {
                result = .failure(error)
            } catch {
                preconditionFailure("syscall threw \(error)")
            }
        }
    }
}
