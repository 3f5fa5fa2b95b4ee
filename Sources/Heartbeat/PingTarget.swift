/// A ping node from ha.cf: heartbeat's pseudo-member that answers ICMP echo and so tells whether
/// this node still reaches the network beyond the cluster.
///
/// `ping A B` makes two ping nodes, each named by its address; `ping_group NAME A B` makes one
/// ping node, NAME, that is up while any of its addresses answers (heartbeat's `ping_group.c`).
public struct PingTarget: Hashable, Sendable, CustomStringConvertible {
    /// How the ping node was declared.
    public enum Kind: String, Hashable, Sendable {
        /// A `ping ADDRESS` word: the node is the address.
        case node = "ping"
        /// A `ping_group NAME ADDRESS…` line: the node is up while any address answers.
        case group = "ping_group"
    }

    /// The node name heartbeat gives it: the address, or the group's name (lower-cased).
    public var name: String
    /// The IPv4 addresses echoed, in file order.
    public var addresses: [String]
    /// `ping` or `ping_group`.
    public var kind: Kind
    /// The 1-based ha.cf line.
    public var line: Int

    /// Creates a ping node.
    public init(name: String, addresses: [String], kind: Kind, line: Int) {
        self.name = name
        self.addresses = addresses
        self.kind = kind
        self.line = line
    }

    /// The ha.cf words that declare it, e.g. `ping_group routers 192.0.2.252 192.0.2.253`.
    public var description: String {
        kind == .node ? "ping \(name)" : "ping_group \(name) \(addresses.joined(separator: " "))"
    }
}
