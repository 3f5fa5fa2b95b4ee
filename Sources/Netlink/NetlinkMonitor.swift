import CMnl
import HAKitSystem

#if canImport(Glibc)
import Glibc
#endif

/// A route netlink socket subscribed to the kernel's link and IPv4 address notifications
/// (`RTMGRP_LINK`, `RTMGRP_IPV4_IFADDR`), as `ip monitor link address` listens: non-blocking, for
/// a poll loop. keepalived keeps such a socket next to its command socket for the same reason.
///
/// Works in the network namespace it was opened in. Not `Sendable`: keep it on one thread.
public final class NetlinkMonitor {
    /// One notification.
    public enum Event: Hashable, Sendable {
        /// A link appeared or changed (`RTM_NEWLINK`).
        case link(Link)
        /// A link went away (`RTM_DELLINK`).
        case linkRemoved(index: Int32)
        /// An IPv4 address was added (`RTM_NEWADDR`).
        case addressAdded(AddressEntry)
        /// An IPv4 address was removed (`RTM_DELADDR`).
        case addressRemoved(AddressEntry)
        /// The kernel dropped notifications (`ENOBUFS`): dump links and addresses again.
        case overrun
    }

    /// `RTMGRP_LINK`: link notifications. The corresponding C constant is `RTMGRP_LINK` (1).
    static let linkGroup: UInt32 = 0x1
    /// `RTMGRP_IPV4_IFADDR`: IPv4 address notifications. The corresponding C constant is `RTMGRP_IPV4_IFADDR` (0x10).
    static let addressGroup: UInt32 = 0x10

    private let socket: OpaquePointer
    /// The socket's descriptor, to poll for `POLLIN`.
    public let descriptor: Int32

    /// Opens the subscription in the calling thread's network namespace.
    public convenience init() throws {
        guard let handle = mnl_socket_open2(NETLINK_ROUTE, Int32(SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue)) else {
            throw SystemError(errno: errno, "opening a netlink monitor socket")
        }
        try self.init(subscribing: handle)
    }

    /// Opens the subscription inside the network namespace `/run/netns/<name>`; the calling
    /// thread stays where it is.
    public convenience init(networkNamespace name: String) throws {
        let descriptor = try Namespaces.socket(
            inNetworkNamespace: name, domain: AF_NETLINK, type: Int32(SOCK_RAW.rawValue | SOCK_NONBLOCK.rawValue),
            protocol: NETLINK_ROUTE, purpose: "a netlink monitor socket")
        guard let handle = mnl_socket_fdopen(descriptor) else {
            let error = errno
            close(descriptor)
            throw SystemError(errno: error, "opening a netlink monitor socket")
        }
        try self.init(subscribing: handle)
    }

    /// Binds `handle` to the link and address groups; closes it on failure.
    private init(subscribing handle: OpaquePointer) throws {
        do {
            try syscall("subscribing to link and address notifications") {
                mnl_socket_bind(handle, Self.linkGroup | Self.addressGroup, pid_t(MNL_SOCKET_AUTOPID))
            }
        } catch {
            mnl_socket_close(handle)
            throw error
        }
        socket = handle
        descriptor = mnl_socket_get_fd(handle)
    }

    deinit { mnl_socket_close(socket) }

    /// Reads every notification waiting (at most `limit` datagrams); never blocks.
    public func read(limit: Int = 64) -> [Event] {
        var events: [Event] = []
        var buffer = [UInt8](repeating: 0, count: NetlinkSocket.receiveBufferSize)
        for _ in 0..<limit {
            let received = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if received < 0 {
                if errno == ENOBUFS { events.append(.overrun); continue }
                break
            }
            guard received > 0 else { break }
            let messages = buffer.withUnsafeBytes { NetlinkMessage.split(UnsafeRawBufferPointer(rebasing: $0[..<received])) }
            for message in messages {
                switch Int(message.type) {
                case Int(RTM_NEWLINK): if let link = Link(message) { events.append(.link(link)) }
                case Int(RTM_DELLINK): if let link = Link(message) { events.append(.linkRemoved(index: link.index)) }
                case Int(RTM_NEWADDR): if let entry = AddressEntry(message) { events.append(.addressAdded(entry)) }
                case Int(RTM_DELADDR): if let entry = AddressEntry(message) { events.append(.addressRemoved(entry)) }
                default: continue
                }
            }
        }
        return events
    }
}
