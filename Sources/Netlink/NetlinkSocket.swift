import CMnl
import HAKitSystem

#if canImport(Glibc)
import Glibc
#endif

/// A route netlink (rtnetlink) socket over libmnl: sends one request at a time and reads its
/// reply, an ack or a multi-part dump, matched by sequence number.
///
/// The socket works in the network namespace it was opened in, whichever thread later uses it.
/// It is not `Sendable`: keep it in one task. Operations throw `NetlinkError` when the kernel refuses
/// a request, and `SystemError` when the socket itself fails.
public final class NetlinkSocket {
    /// Bytes per receive: the most the kernel puts in one dump datagram (`MNL_SOCKET_DUMP_SIZE`, 32 KiB).
    static let receiveBufferSize = 32768
    /// How often a dump is retried after the kernel flagged it `NLM_F_DUMP_INTR`.
    static let dumpAttempts = 3

    private let socket: OpaquePointer
    private let portID: UInt32
    /// The named network namespace the socket works in, or `nil` for the caller's own.
    public private(set) var namespace: String?
    private var lastSequence: UInt32 = 0

    /// Opens a socket in the calling thread's network namespace.
    public convenience init() throws {
        let descriptor = try syscall("opening a netlink socket") {
            Glibc.socket(AF_NETLINK, Int32(SOCK_RAW.rawValue | SOCK_CLOEXEC.rawValue), NETLINK_ROUTE)
        }
        try self.init(adopting: descriptor)
    }

    /// Opens a socket inside the network namespace `/run/netns/<name>`, as `ip netns add` creates it.
    ///
    /// The calling thread stays where it is: a short-lived thread enters the namespace and creates
    /// the socket there.
    public convenience init(networkNamespace name: String) throws {
        try self.init(adopting: NetworkNamespace.routeSocket(inNamespaceNamed: name))
        namespace = name
    }

    /// Takes over a netlink socket descriptor: closes it on failure, binds it, and asks for extended acks.
    private init(adopting descriptor: Int32) throws {
        var handle: OpaquePointer?
        do {
            try syscall("opening a netlink socket") {
                handle = mnl_socket_fdopen(descriptor)
                return handle == nil ? -1 : 0
            }
        } catch {
            close(descriptor)
            throw error
        }
        guard let handle else { preconditionFailure("mnl_socket_fdopen succeeded without a socket") }
        do {
            var on: Int32 = 1
            // Best effort, kernels before 4.12 lack both: the kernel's text for a refused request
            // (NETLINK_EXT_ACK), and acks without a copy of the request (NETLINK_CAP_ACK).
            _ = mnl_socket_setsockopt(handle, NETLINK_EXT_ACK, &on, socklen_t(MemoryLayout<Int32>.size))
            _ = mnl_socket_setsockopt(handle, NETLINK_CAP_ACK, &on, socklen_t(MemoryLayout<Int32>.size))
            try syscall("binding a netlink socket") { mnl_socket_bind(handle, 0, pid_t(MNL_SOCKET_AUTOPID)) }
        } catch {
            mnl_socket_close(handle)
            throw error
        }
        socket = handle
        portID = mnl_socket_get_portid(handle)
    }

    deinit {
        mnl_socket_close(socket)
    }

    /// Sends a request that the kernel acks; returns the data messages that came before the ack.
    func exchange(_ request: Request, _ operation: @autoclosure () -> String) throws -> [NetlinkMessage] {
        try transact(request, operation).messages
    }

    /// Sends a dump request and returns its messages, retrying while the kernel reports that the
    /// dump changed under it (`NLM_F_DUMP_INTR`).
    func dump(_ request: Request, _ operation: @autoclosure () -> String) throws -> [NetlinkMessage] {
        precondition(request.isDump, "not a dump request")
        for _ in 1..<Self.dumpAttempts {
            let reply = try transact(request, operation)
            if !reply.interrupted { return reply.messages }
        }
        let reply = try transact(request, operation)
        guard !reply.interrupted else {
            throw NetlinkError(errno: EINTR, extendedAck: "the dump kept changing while it was read", operation())
        }
        return reply.messages
    }

    /// Sends one request and reads replies with its sequence number until the ack, the end of the
    /// dump, or an error.
    private func transact(
        _ request: Request,
        _ operation: () -> String
    ) throws -> (messages: [NetlinkMessage], interrupted: Bool) {
        lastSequence &+= 1
        let sequence = lastSequence
        let bytes = request.encoded(sequence: sequence)
        try bytes.withUnsafeBytes { raw in
            _ = try syscall("\(operation()): sending the request") {
                mnl_socket_sendto(socket, raw.baseAddress, raw.count)
            }
        }
        var messages: [NetlinkMessage] = []
        var interrupted = false
        var buffer = [UInt8](repeating: 0, count: Self.receiveBufferSize)
        while true {
            let received = try buffer.withUnsafeMutableBytes { raw in
                try syscall("\(operation()): receiving the reply") {
                    mnl_socket_recvfrom(socket, raw.baseAddress, raw.count)
                }
            }
            let datagram = buffer.withUnsafeBytes {
                NetlinkMessage.split(UnsafeRawBufferPointer(rebasing: $0[..<received]))
            }
            // Replies to an earlier request that failed part way are skipped by their sequence number.
            for message in datagram where message.sequence == sequence && message.portID == portID {
                // The kernel marks any part of a dump, NLMSG_DONE included, when the table changed under it.
                interrupted = interrupted || message.flags & UInt16(NLM_F_DUMP_INTR) != 0
                switch Reply(message) {
                case .data(let data):
                    messages.append(data)
                case .done:
                    return (messages, interrupted)
                case .failure(let errno, let extendedAck):
                    throw NetlinkError(errno: errno, extendedAck: extendedAck, operation())
                case .ignored:
                    continue
                }
            }
        }
    }
}
