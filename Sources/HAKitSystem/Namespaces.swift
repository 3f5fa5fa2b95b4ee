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
}
