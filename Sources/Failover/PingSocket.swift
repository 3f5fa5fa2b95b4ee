import HAKitSystem
import Heartbeat

#if canImport(Glibc)
import Glibc
#endif

/// The raw ICMP socket the ping nodes are echoed through (heartbeat's ping medium opens one too;
/// the daemon runs as root). The kernel filter passes echo replies only; what passes is still
/// checked reply by reply (`PingTracker.receive`).
final class PingSocket {
    /// The socket, non-blocking.
    let descriptor: Int32

    /// `SOL_RAW` and `ICMP_FILTER` (linux/icmp.h, which Glibc does not export).
    private static let rawLevel: Int32 = 255
    private static let icmpFilter: Int32 = 1

    init() throws {
        let fd = try syscall("ping nodes: raw ICMP socket") {
            socket(AF_INET, Int32(SOCK_RAW.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), Int32(IPPROTO_ICMP))
        }
        // Every ICMP message of the namespace would reach a raw socket; the filter's set bits are
        // the types dropped: all but echo reply.
        var filter = ~(UInt32(1) << UInt32(ICMPEcho.echoReplyType))
        if setsockopt(fd, Self.rawLevel, Self.icmpFilter, &filter, 4) != 0 {
            // Best effort: the replies are checked one by one anyway.
            filter = 0
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Sends one echo request; the errno when it could not go (no route, prohibited, full).
    func send(_ bytes: [UInt8], to address: UInt32) -> Int32? {
        var destination = sockaddr_in()
        destination.sin_family = sa_family_t(AF_INET)
        destination.sin_addr.s_addr = address.bigEndian
        let sent = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &destination) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT), $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        return sent < 0 ? errno : nil
    }

    /// Every datagram waiting (IP header included), at most `limit`.
    func receiveAll(limit: Int = 256) -> [[UInt8]] {
        var datagrams: [[UInt8]] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while datagrams.count < limit {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count < 0 { break }
            datagrams.append(Array(buffer[..<count]))
        }
        return datagrams
    }
}
