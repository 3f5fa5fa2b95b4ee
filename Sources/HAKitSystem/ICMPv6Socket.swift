#if canImport(Glibc)
import Glibc
#endif

/// A raw `IPPROTO_ICMPV6` socket that sends neighbour-discovery messages from one local address
/// out of one interface. The kernel builds the IPv6 header and computes the ICMPv6 checksum
/// (RFC 3542 §3.1: always, for ICMPv6 raw sockets). Owns its descriptor.
public final class ICMPv6Socket {
    /// The descriptor.
    public let fd: Int32
    /// The interface index it sends on.
    public let interfaceIndex: Int32

    /// Opens a socket bound to `source` (sixteen bytes, network order; it must be on the
    /// interface and no longer tentative, or bind fails with `EADDRNOTAVAIL`), sending multicast
    /// out of `interfaceIndex` with hop limit 255, which RFC 4861 §7.1.2 requires of every
    /// neighbour advertisement a receiver accepts. Needs `CAP_NET_RAW`.
    public init(source: [UInt8], interfaceIndex: Int32) throws {
        precondition(source.count == 16, "an IPv6 address has 16 bytes, not \(source.count)")
        fd = try syscall("opening an ICMPv6 socket") {
            socket(AF_INET6, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), Int32(IPPROTO_ICMPV6))
        }
        self.interfaceIndex = interfaceIndex
        do {
            try setOption(IPV6_MULTICAST_IF, Int32(interfaceIndex), "IPV6_MULTICAST_IF")
            try setOption(IPV6_MULTICAST_HOPS, 255, "IPV6_MULTICAST_HOPS")
            try setOption(IPV6_UNICAST_HOPS, 255, "IPV6_UNICAST_HOPS")
            // This host needs no copy of its own announcement.
            try setOption(IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP")
            var address = Self.socketAddress(source, scope: interfaceIndex)
            try syscall("binding an ICMPv6 socket to its address on interface \(interfaceIndex)") {
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                    }
                }
            }
        } catch {
            close(fd)
            throw error
        }
    }

    deinit { close(fd) }

    /// Sends one ICMPv6 message (type, code, checksum placeholder and body) to `destination`
    /// (sixteen bytes); a link-local or multicast destination goes out of the bound interface.
    public func send(_ message: [UInt8], to destination: [UInt8]) throws {
        precondition(destination.count == 16, "an IPv6 address has 16 bytes, not \(destination.count)")
        var address = Self.socketAddress(destination, scope: interfaceIndex)
        let sent = try syscall("sending ICMPv6 on interface \(interfaceIndex)") {
            message.withUnsafeBytes { bytes in
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(fd, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                    }
                }
            }
        }
        if sent != message.count { throw SystemError(errno: EMSGSIZE, "sending ICMPv6 on interface \(interfaceIndex)") }
    }

    private func setOption(_ option: Int32, _ value: Int32, _ name: String) throws {
        var value = value
        try syscall("setting \(name) on an ICMPv6 socket") {
            setsockopt(fd, Int32(IPPROTO_IPV6), option, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// A `sockaddr_in6`; the scope id matters only for link-local and multicast addresses.
    private static func socketAddress(_ bytes: [UInt8], scope: Int32) -> sockaddr_in6 {
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        withUnsafeMutableBytes(of: &address.sin6_addr) { raw in
            for (index, byte) in bytes.prefix(16).enumerated() { raw[index] = byte }
        }
        let linkScoped = bytes.first == 0xff || (bytes.first == 0xfe && (bytes.dropFirst().first ?? 0) & 0xc0 == 0x80)
        address.sin6_scope_id = linkScoped ? UInt32(bitPattern: scope) : 0
        return address
    }
}
