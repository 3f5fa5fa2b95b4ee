import OCF

/// The agents `hakit-agent` serves, by the name it is invoked as.
public enum AgentRegistry {
    /// Every agent type by name, in listing order. The names repeat the descriptors' so that
    /// finding the invoked agent builds no descriptor but its own (every action is a fresh
    /// process); a test checks that each name is its descriptor's.
    static var table: [(name: String, type: any ResourceAgent.Type)] { [
        ("Dummy", Dummy.self), ("IPaddr", IPaddr.self), ("IPaddr2", IPaddr2.self), ("IPv6addr", IPv6addr.self),
        ("SendArp", SendArp.self),
        ("apache", Apache.self),
    ] }

    /// Every agent type, in listing order.
    public static var all: [any ResourceAgent.Type] { table.map(\.type) }

    /// The agent registered under a name, if any.
    public static func agent(named name: String) -> (any ResourceAgent.Type)? {
        table.first { $0.name == name }?.type
    }

    /// The registered names.
    public static var names: [String] { table.map(\.name) }
}
