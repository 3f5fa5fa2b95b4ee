#if canImport(Glibc)
import Glibc
#endif

/// A request the kernel refused: the errno from its `NLMSG_ERROR` reply, the extended-ack text it
/// gave (`NETLINK_EXT_ACK`), and what was attempted.
public struct NetlinkError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The errno value, positive (`EEXIST`, `EADDRNOTAVAIL`, `EPERM`, ...).
    public let errno: Int32
    /// The kernel's own explanation, if it gave one (`NLMSGERR_ATTR_MSG`).
    public let extendedAck: String?
    /// What was attempted, e.g. `adding 203.0.113.10/24 to eth0`.
    public let operation: String

    /// Creates an error from an errno, the kernel's message and the operation that failed.
    public init(errno: Int32, extendedAck: String? = nil, _ operation: String) {
        self.errno = errno
        self.extendedAck = extendedAck
        self.operation = operation
    }

    /// The C library's text for the errno, e.g. `File exists`.
    public var message: String { String(cString: strerror(errno)) }

    /// `adding 203.0.113.10/24 to eth0: File exists`, followed by the kernel's text in parentheses if any.
    public var description: String {
        let base = "\(operation): \(message)"
        guard let extendedAck, !extendedAck.isEmpty else { return base }
        return "\(base) (\(extendedAck))"
    }
}
