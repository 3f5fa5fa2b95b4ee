import CHAKitShims
import HAKitSystem
import Heartbeat
import Netlink

#if canImport(Glibc)
import Glibc
#endif

/// One heartbeat medium from ha.cf as a UDP socket bound to its interface: it sends to the
/// medium's destination (the peer, the interface's broadcast address or the group) and receives
/// what arrives on that interface only, so every packet is known by the medium it came in on.
final class MediumSocket {
    /// The ha.cf medium.
    let medium: Medium
    /// The socket, non-blocking.
    let descriptor: Int32
    private var destination: sockaddr_in

    /// Opens the medium. Errors name the medium and the step (`ucast v0 192.0.2.2: binding to v0: …`).
    init(_ medium: Medium) throws {
        self.medium = medium
        let interface = medium.interface
        let fd = try syscall("\(medium): socket") { socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        var ok = false
        defer { if !ok { close(fd) } }
        var one: Int32 = 1
        try syscall("\(medium): SO_REUSEADDR") { setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, 4) }
        _ = try interface.withCString { name in
            try syscall("\(medium): binding to device \(interface)") {
                setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, socklen_t(strlen(name) + 1))
            }
        }
        var bindAddress = Self.address(INADDR_ANY, port: medium.port)
        switch medium {
        case .broadcast(_, let port):
            try syscall("\(medium): SO_BROADCAST") { setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, 4) }
            destination = Self.address(try Self.broadcastAddress(of: interface), port: port)
        case .unicast(_, let peer, let port):
            destination = Self.address(try Self.resolve(peer, medium: medium), port: port)
        case .multicast(_, let group, let port, let ttl, let loop):
            let groupAddress = try Self.resolve(group, medium: medium)
            var request = ip_mreqn()
            request.imr_multiaddr.s_addr = groupAddress.bigEndian
            request.imr_ifindex = Int32(if_nametoindex(interface))
            guard request.imr_ifindex != 0 else { throw SystemError(errno: ENODEV, "\(medium): interface \(interface)") }
            try syscall("\(medium): joining \(group)") {
                setsockopt(fd, Int32(IPPROTO_IP), IP_ADD_MEMBERSHIP, &request, socklen_t(MemoryLayout<ip_mreqn>.size))
            }
            try syscall("\(medium): IP_MULTICAST_IF") {
                setsockopt(fd, Int32(IPPROTO_IP), IP_MULTICAST_IF, &request, socklen_t(MemoryLayout<ip_mreqn>.size))
            }
            var hops = Int32(ttl)
            try syscall("\(medium): IP_MULTICAST_TTL") { setsockopt(fd, Int32(IPPROTO_IP), IP_MULTICAST_TTL, &hops, 4) }
            var looping: Int32 = loop ? 1 : 0
            try syscall("\(medium): IP_MULTICAST_LOOP") { setsockopt(fd, Int32(IPPROTO_IP), IP_MULTICAST_LOOP, &looping, 4) }
            destination = Self.address(groupAddress, port: port)
            bindAddress = Self.address(groupAddress, port: port)
        case .serial:
            throw SystemError(errno: EINVAL, "\(medium): not a UDP medium")
        }
        _ = try withUnsafePointer(to: &bindAddress) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                try syscall("\(medium): binding to port \(medium.port)") {
                    bind(fd, address, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        descriptor = fd
        ok = true
    }

    deinit { close(descriptor) }

    /// Sends one packet; a full or unreachable path is not an error here (heartbeats are
    /// periodic), so the errno is returned for counting.
    func send(_ bytes: [UInt8]) -> Int32? {
        let sent = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &destination) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                    sendto(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT), address, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        return sent < 0 ? errno : nil
    }

    /// Reads every waiting datagram (up to `limit`), each with its true length so an oversized one
    /// is seen as such.
    func receiveAll(limit: Int = 64) -> [[UInt8]] {
        var packets: [[UInt8]] = []
        var buffer = [UInt8](repeating: 0, count: HeartbeatMessage.maximumPacketSize + 1)
        while packets.count < limit {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT) | Int32(MSG_TRUNC)) }
            if count < 0 { break }
            packets.append(count > buffer.count ? [UInt8](repeating: 0, count: count) : Array(buffer[..<count]))
        }
        return packets
    }

    private static func address(_ host: UInt32, port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = host.bigEndian
        return address
    }

    /// A dotted address, else a host name through the resolver; host byte order.
    private static func resolve(_ host: String, medium: Medium) throws -> UInt32 {
        if let address = IPv4Address(host) { return address.rawValue }
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &result)
        guard status == 0, let first = result, let socketAddress = first.pointee.ai_addr else {
            throw SystemError(errno: ENOENT, "\(medium): cannot resolve \(host)")
        }
        defer { freeaddrinfo(result) }
        return socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr) }
    }

    /// The broadcast address of the interface's first IPv4 address that has one, else the limited
    /// broadcast 255.255.255.255 (which the device binding keeps on that interface).
    private static func broadcastAddress(of interface: String) throws -> UInt32 {
        let netlink = try NetlinkSocket()
        guard let link = try netlink.link(named: interface) else {
            throw SystemError(errno: ENODEV, "bcast \(interface): no such interface")
        }
        let broadcast = try netlink.addresses().first { $0.interfaceIndex == link.index && $0.broadcast != nil }?.broadcast
        return broadcast?.rawValue ?? UInt32.max
    }
}
