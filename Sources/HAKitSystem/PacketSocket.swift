#if canImport(Glibc)
import Glibc
#endif
import CHAKitShims

/// A raw `AF_PACKET` socket bound to one interface and one ethertype: whole link-layer frames
/// out, and frames of that ethertype in. Owns its descriptor.
public final class PacketSocket {
    /// The descriptor.
    public let fd: Int32
    /// The interface index it is bound to.
    public let interfaceIndex: Int32

    /// Opens a socket bound to an interface for one ethertype (e.g. `0x0806` for ARP).
    public init(interfaceIndex: Int32, etherType: UInt16) throws {
        // Protocol 0 at creation, the ethertype at bind: a socket created with a protocol is hooked
        // on every interface at once, and binding it to one interface unhooks it first, which waits
        // for an RCU grace period (synchronize_net in packet_do_bind: 10 to 20 ms here). Created
        // unhooked, it is hooked once, by bind, with no wait: a takeover's first ARP goes out that
        // much sooner. (Closing one still waits, in packet_release.)
        fd = try syscall("opening a packet socket") {
            socket(AF_PACKET, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        self.interfaceIndex = interfaceIndex
        var address = sockaddr_ll()
        address.sll_family = UInt16(AF_PACKET)
        address.sll_protocol = etherType.bigEndian
        address.sll_ifindex = interfaceIndex
        do {
            try syscall("binding a packet socket to interface \(interfaceIndex)") {
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_ll>.size))
                    }
                }
            }
        } catch {
            close(fd)
            throw error
        }
    }

    deinit { close(fd) }

    /// Sends one whole frame (link-layer header included).
    public func send(_ frame: [UInt8]) throws {
        let sent = try syscall("sending a frame on interface \(interfaceIndex)") {
            frame.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
        }
        if sent != frame.count { throw SystemError(errno: EMSGSIZE, "sending a frame on interface \(interfaceIndex)") }
    }

    /// Receives one frame, waiting at most `timeoutMilliseconds`; `nil` when none arrived.
    public func receive(timeoutMilliseconds: Int) throws -> [UInt8]? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = try syscall("waiting for a frame") { poll(&poller, 1, Int32(max(0, timeoutMilliseconds))) }
        guard ready > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 2048)
        let count = try syscall("receiving a frame") { recv(fd, &buffer, buffer.count, 0) }
        return Array(buffer[0..<count])
    }
}
