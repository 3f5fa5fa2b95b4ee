import OCF

/// The agents `hakit-agent` serves, by the name it is invoked as.
public enum AgentRegistry {
    /// Every agent type, in listing order.
    public static var all: [any ResourceAgent.Type] { [Dummy.self, IPaddr.self, IPaddr2.self, SendArp.self, Apache.self] }

    /// The agent registered under a name, if any.
    public static func agent(named name: String) -> (any ResourceAgent.Type)? {
        all.first { $0.descriptor.name == name }
    }

    /// The registered names.
    public static var names: [String] { all.map { $0.descriptor.name } }
}
