/// One address as `ip -o addr show` lists it.
struct ListedAddress: Hashable {
    /// The interface (`eth0`).
    var interface: String
    /// `inet` or `inet6`.
    var family: String
    /// The address without prefix.
    var address: String
    /// The prefix length.
    var prefix: Int
    /// The broadcast address, if one is set.
    var broadcast: String?
    /// The label (IPv4 only; the interface name unless an alias label was given).
    var label: String?

    /// Parses the lines of `ip -o addr show`; lines it does not understand are skipped.
    ///
    /// A line reads `3: eth0    inet 192.0.2.20/25 brd 192.0.2.127 scope global secondary eth0:web\ …`:
    /// index, interface, family, address/prefix, then `brd`/`scope` pairs and flags, and for
    /// IPv4 the label last, before the backslash that starts the lifetimes.
    static func parse(_ text: String) -> [ListedAddress] {
        text.split(separator: "\n").compactMap { line in
            let head = line.split(separator: "\\", maxSplits: 1).first ?? line
            let words = head.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard words.count >= 4, words[0].hasSuffix(":"), words[2] == "inet" || words[2] == "inet6" else {
                return nil
            }
            let parts = words[3].split(separator: "/")
            guard parts.count == 2, let prefix = Int(parts[1]) else { return nil }
            var entry = ListedAddress(
                interface: String(words[1].split(separator: "@").first ?? ""), family: words[2],
                address: String(parts[0]),
                prefix: prefix, broadcast: nil, label: nil)
            var index = 4
            while index < words.count {
                switch words[index] {
                case "brd", "scope", "peer", "metric", "proto":
                    if words[index] == "brd", index + 1 < words.count { entry.broadcast = words[index + 1] }
                    index += 2
                default:
                    index += 1
                }
            }
            if entry.family == "inet", let last = words.last, words.count > 4, last.hasPrefix(entry.interface) {
                entry.label = last
            }
            return entry
        }
    }
}
