#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import HAKitTestSupport
import Testing

/// Two namespaces on one link for the IPv6 agent tests: the node (`hk6-<tag>-…`, with v0 and
/// 2001:db8::2/64) where the agent runs, and a peer (`hk6-<tag>p-…`, with v1 and 2001:db8::3/64)
/// that captures what goes on the wire or holds a conflicting address. Both addresses are added
/// with nodad, so the link is usable at once.
struct IPv6Lab {
    let runner: AgentRunner
    let peer: TestNamespace

    var node: TestNamespace { runner.namespace }

    static func with(_ tag: String, _ body: (IPv6Lab) throws -> Void) throws {
        try AgentRunner.with(tag, prefix: "hk6") { runner in
            try TestNamespace.with(prefix: "hk6", "\(tag)p") { peer in
                try runner.namespace.ip("link", "set", "v1", "netns", peer.name)
                try peer.ip("link", "set", "v1", "up")
                try runner.namespace.ip("addr", "add", "2001:db8::2/64", "dev", "v0", "nodad")
                try peer.ip("addr", "add", "2001:db8::3/64", "dev", "v1", "nodad")
                try body(IPv6Lab(runner: runner, peer: peer))
            }
        }
    }

    /// The `ip -o -6 addr` lines of the node.
    func lines(_ namespace: TestNamespace? = nil) throws -> [String] {
        try (namespace ?? node).ip("-o", "-6", "addr", "show").split(separator: "\n").map(String.init)
    }

    /// The node's `ip -o -6 addr` line for an address, if it is configured.
    func line(_ address: String) throws -> String? {
        try lines().first { $0.contains(" inet6 \(address)/") }
    }

    /// The node's global IPv6 addresses and their flags, as `ip` shows them, for comparing state.
    func globalState() throws -> [String] {
        try lines().filter { $0.contains("scope global") }.map {
            String($0.prefix { $0 != "\\" }).split(separator: " ").dropFirst().joined(separator: " ")
        }.sorted()
    }
}

/// Neighbour advertisements read from a pcap file that tcpdump wrote: the Ethernet source, IPv6
/// header fields and the ICMPv6 message.
struct CapturedAdvertisement: Equatable {
    var sourceMAC: [UInt8]
    var source: String
    var destination: String
    var hopLimit: UInt8
    var icmpType: UInt8
    var flags: UInt8
    var target: String
    var optionType: UInt8?
    var optionMAC: [UInt8]

    /// Every Ethernet/IPv6/ICMPv6 frame in a pcap file (microsecond, little-endian, as tcpdump writes on x86_64).
    static func read(pcap path: String) throws -> [CapturedAdvertisement] {
        guard let handle = fopen(path, "rb") else { return [] }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, handle)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        var frames: [CapturedAdvertisement] = []
        var offset = 24
        func u32(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24 }
        while offset + 16 <= bytes.count {
            let length = u32(offset + 8)
            let start = offset + 16
            offset = start + length
            guard offset <= bytes.count, length >= 14 + 40 + 24 else { continue }
            let frame = Array(bytes[start..<(start + length)])
            guard frame[12] == 0x86, frame[13] == 0xdd, frame[14 + 6] == 58 else { continue }
            let icmp = Array(frame[54...])
            var optionType: UInt8?
            var optionMAC: [UInt8] = []
            if icmp.count >= 32 {
                optionType = icmp[24]
                optionMAC = Array(icmp[26..<32])
            }
            frames.append(
                CapturedAdvertisement(
                    sourceMAC: Array(frame[6..<12]),
                    source: IPv6Text.of(frame[22..<38]), destination: IPv6Text.of(frame[38..<54]),
                    hopLimit: frame[21], icmpType: icmp[0], flags: icmp[4], target: IPv6Text.of(icmp[8..<24]),
                    optionType: optionType, optionMAC: optionMAC))
        }
        return frames
    }
}

/// IPv6 text of sixteen bytes, as inet_ntop writes it (RFC 5952).
enum IPv6Text {
    /// The RFC 5952 form of IPv6 text (inet_pton, then inet_ntop); the text itself if it is none.
    static func canonical(_ text: String) -> String {
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return text }
        return of(ArraySlice(withUnsafeBytes(of: address) { Array($0) }))
    }

    static func of(_ bytes: ArraySlice<UInt8>) -> String {
        var address = in6_addr()
        withUnsafeMutableBytes(of: &address) { raw in
            for (index, byte) in bytes.prefix(16).enumerated() { raw[index] = byte }
        }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &address, &text, socklen_t(text.count)) != nil else { return "?" }
        return String(cString: text)
    }
}
