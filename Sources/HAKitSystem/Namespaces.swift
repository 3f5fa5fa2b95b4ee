#if canImport(Glibc)
import Glibc
#endif
import CHAKitShims

/// Moving the calling thread into other namespaces.
public enum Namespaces {
    /// Where `ip netns add` bind-mounts named network namespaces.
    public static let networkDirectory = "/run/netns"

    /// Moves the calling thread — in a single-threaded program, the whole process and every child
    /// it starts afterwards — into the network namespace `/run/netns/NAME`.
    public static func enterNetworkNamespace(named name: String) throws {
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/") else {
            throw SystemError(errno: EINVAL, "entering network namespace \"\(name)\"")
        }
        let path = "\(networkDirectory)/\(name)"
        let fd = try syscall("opening network namespace \(path)") { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        try syscall("entering network namespace \(path)") { CHAKitShims_setns(fd, Int32(CLONE_NEWNET)) }
    }

    /// Opens a socket inside the network namespace `/run/netns/NAME` and returns its descriptor;
    /// the caller's thread never changes namespace.
    ///
    /// `setns(CLONE_NEWNET)` moves only the calling thread, so a dedicated thread does it, creates
    /// the socket (a socket belongs to the namespace it was created in for good) and exits.
    public static func socket(
        inNetworkNamespace name: String, domain: Int32, type: Int32, protocol: Int32, purpose: String
    ) throws -> Int32 {
        // `ip netns` refuses the same names: they must stay one path component under /run/netns.
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/") else {
            throw SystemError(errno: EINVAL, "opening network namespace \"\(name)\"")
        }
        let path = "\(networkDirectory)/\(name)"
        let namespace = try syscall("opening network namespace \(path)") { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(namespace) }

        let job = Unmanaged.passRetained(
            SocketJob(namespace: namespace, path: path, domain: domain, type: type | Int32(SOCK_CLOEXEC.rawValue),
                      protocol: `protocol`, purpose: purpose))
        defer { job.release() }
        var thread = pthread_t()
        let started = pthread_create(
            &thread,
            nil,
            { context in
                guard let context else { return nil }
                Unmanaged<SocketJob>.fromOpaque(context).takeUnretainedValue().run()
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
        let domain: Int32
        let type: Int32
        let `protocol`: Int32
        let purpose: String
        var result: Result<Int32, SystemError> = .failure(SystemError(errno: ECHILD, "thread did not run"))

        init(namespace: Int32, path: String, domain: Int32, type: Int32, protocol: Int32, purpose: String) {
            self.namespace = namespace
            self.path = path
            self.domain = domain
            self.type = type
            self.protocol = `protocol`
            self.purpose = purpose
        }

        func run() {
            do {
                try syscall("entering network namespace \(path)") { CHAKitShims_setns(namespace, Int32(CLONE_NEWNET)) }
                let descriptor = try syscall("opening \(purpose) in \(path)") { Glibc.socket(domain, type, `protocol`) }
                result = .success(descriptor)
            } catch let error as SystemError {
                result = .failure(error)
            } catch {
                preconditionFailure("syscall threw \(error)")
            }
        }
    }
}
