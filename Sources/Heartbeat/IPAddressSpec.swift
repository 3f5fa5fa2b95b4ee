#if canImport(Glibc)
import Glibc
#endif

/// The address argument of heartbeat's IPaddr and IPaddr2 scripts: `ip[/bits[/iface[/broadcast]]]`
/// or `ip/bits/broadcast`.
///
/// A third part that starts with a digit is the broadcast address, otherwise the interface. For
/// IPaddr2 the interface may carry a label, `eth0:web`.
public struct IPAddressSpec: Hashable, Sendable {
    /// The address to bring up, dotted quad (`ip`).
    public var ip: String
    /// The prefix length, 0–32 (`cidr_netmask`); `nil` to let the agent find it from the routes.
    public var cidrNetmask: Int?
    /// The interface (`nic`); `nil` to let the agent find it from the routes.
    public var nic: String?
    /// The interface label (`iflabel`), IPaddr2 only.
    public var iflabel: String?
    /// The broadcast address (`broadcast`); `nil` for the agent's default.
    public var broadcast: String?

    /// Creates a spec from its parts.
    public init(
        ip: String,
        cidrNetmask: Int? = nil,
        nic: String? = nil,
        iflabel: String? = nil,
        broadcast: String? = nil
    ) {
        self.ip = ip
        self.cidrNetmask = cidrNetmask
        self.nic = nic
        self.iflabel = iflabel
        self.broadcast = broadcast
    }

    /// Whether the address is IPv6 (only IPaddr2 takes one).
    public var isIPv6: Bool { ip.contains(":") }

    /// Parses IPaddr2's IPv6 argument, `ip[/bits[/iface]]`: an address as `inet_pton` reads it, a
    /// prefix length of 1-128, and an interface (no label, no broadcast: IPv6 has neither).
    static func parseIPv6(_ text: Substring) -> Result<IPAddressSpec, SpecProblem> {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 3 else {
            return .failure(SpecProblem("\"\(text)\" has too many parts: an IPv6 address takes ip[/bits[/interface]]"))
        }
        guard IPv6Text.isValid(parts[0]) else {
            return .failure(SpecProblem("\"\(parts[0])\" in \"\(text)\" is not an IPv6 address"))
        }
        var spec = IPAddressSpec(ip: String(parts[0]))
        if parts.count > 1 {
            guard let bits = ConfigText.decimal(parts[1]), (1...128).contains(bits) else {
                return .failure(SpecProblem("prefix length \"\(parts[1])\" in \"\(text)\" must be 1-128"))
            }
            spec.cidrNetmask = bits
        }
        if parts.count > 2 {
            let nic = parts[2]
            guard !nic.isEmpty, !nic.contains(":"), nic.first?.isASCIIDigit != true else {
                return .failure(
                    SpecProblem(
                        "\"\(nic)\" in \"\(text)\" must be an interface name (IPv6 has no labels or broadcast)"))
            }
            spec.nic = String(nic)
        }
        return .success(spec)
    }

    /// Parses the argument; `allowsLabel` splits `iface:label` (IPaddr2). Returns a reason on failure.
    static func parse(_ text: Substring, allowsLabel: Bool) -> Result<IPAddressSpec, SpecProblem> {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 4 else {
            return .failure(SpecProblem("\"\(text)\" has too many parts: use ip[/bits[/interface[/broadcast]]]"))
        }
        guard IPv4Text.isValid(parts[0]) else {
            return .failure(SpecProblem("\"\(parts[0])\" in \"\(text)\" is not an IPv4 address"))
        }
        var spec = IPAddressSpec(ip: String(parts[0]))
        if parts.count > 1 {
            guard let bits = ConfigText.decimal(parts[1]), (0...32).contains(bits) else {
                return .failure(SpecProblem("netmask bits \"\(parts[1])\" in \"\(text)\" must be 0-32"))
            }
            spec.cidrNetmask = bits
        }
        if parts.count > 2 {
            let third = parts[2]
            if third.first?.isASCIIDigit == true {
                // ip/bits/broadcast: heartbeat's rule is that a third part starting with a digit is
                // the broadcast address, so nothing may follow it.
                guard parts.count == 3 else {
                    return .failure(
                        SpecProblem(
                            "\"\(third)\" in \"\(text)\" is read as the broadcast address, so it must come last"
                        )
                    )
                }
                guard IPv4Text.isValid(third) else {
                    return .failure(SpecProblem("broadcast \"\(third)\" in \"\(text)\" is not an IPv4 address"))
                }
                spec.broadcast = String(third)
            } else {
                guard !third.isEmpty else {
                    return .failure(SpecProblem("empty interface in \"\(text)\""))
                }
                if allowsLabel, let colon = third.firstIndex(of: ":") {
                    let nic = third[..<colon]
                    let label = third[third.index(after: colon)...]
                    guard !nic.isEmpty, !label.isEmpty else {
                        return .failure(
                            SpecProblem("interface \"\(third)\" in \"\(text)\" must be iface or iface:label")
                        )
                    }
                    spec.nic = String(nic)
                    spec.iflabel = String(label)
                } else {
                    spec.nic = String(third)
                }
            }
        }
        if parts.count > 3 {
            guard IPv4Text.isValid(parts[3]) else {
                return .failure(SpecProblem("broadcast \"\(parts[3])\" in \"\(text)\" is not an IPv4 address"))
            }
            spec.broadcast = String(parts[3])
        }
        return .success(spec)
    }

    /// heartbeat's test for the IP shorthand: the shell glob `[0-9]*.[0-9]*.[0-9]*.[0-9]*`.
    ///
    /// That is: a leading digit, then three times a `.` followed by a digit, with anything between
    /// (so `192.168.85.3/27/192.168.85.16` matches, `httpd` and `10.0.0` do not).
    static func matchesShorthand(_ token: some StringProtocol) -> Bool {
        let bytes = Array(token.utf8)
        let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        guard let first = bytes.first, isDigit(first) else { return false }
        // Taking the earliest `.digit` each time is enough: it leaves the most room for the rest.
        var index = 1
        for _ in 0..<3 {
            while index + 1 < bytes.count, !(bytes[index] == UInt8(ascii: ".") && isDigit(bytes[index + 1])) {
                index += 1
            }
            guard index + 1 < bytes.count else { return false }
            index += 2
        }
        return true
    }
}

/// Why an address argument was refused; turned into a `ConfigError` with the file and line.
struct SpecProblem: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// IPv6 text as `inet_pton(AF_INET6)` reads it.
enum IPv6Text {
    /// Whether `text` is an IPv6 address (no prefix, no zone).
    static func isValid(_ text: some StringProtocol) -> Bool {
        guard text.contains(":"), text.utf8.count <= 45 else { return false }
        var address = in6_addr()
        return inet_pton(AF_INET6, String(text), &address) == 1
    }
}
