import OCF

/// The multi-call entry point: one binary serves every agent, chosen by the name it is invoked
/// as (a link named `IPaddr2` runs IPaddr2). Invoked as itself it lists agents, prints
/// documentation pages, or runs `hakit-agent TYPE ACTION`.
public enum MultiCall {
    /// Runs and returns the process exit status.
    public static func main(arguments: [String], environment: [String: String]) -> Int32 {
        let invokedAs = arguments.first.map(baseName) ?? "hakit-agent"
        let ocf = OCFEnvironment(environment)
        if let agent = AgentRegistry.agent(named: invokedAs) {
            return AgentMain.run(agent, arguments: arguments, environment: ocf, sinks: [JournalLogSink()]).rawValue
        }
        let rest = Array(arguments.dropFirst())
        switch rest.first {
        case BackgroundARP.command:
            return BackgroundARP.run(arguments: Array(rest.dropFirst()))
        case "--list":
            writeStandardOutput(AgentRegistry.names.map { $0 + "\n" }.joined())
            return 0
        case "--doc":
            guard rest.count == 2, let agent = AgentRegistry.agent(named: rest[1]) else {
                writeStandardError("hakit-agent: --doc needs one agent name: \(AgentRegistry.names.joined(separator: ", "))\n")
                return 2
            }
            writeStandardOutput(MetadataRenderer.documentationPage(agent.descriptor))
            return 0
        case "--man":
            guard rest.count == 2, let agent = AgentRegistry.agent(named: rest[1]) else {
                writeStandardError("hakit-agent: --man needs one agent name: \(AgentRegistry.names.joined(separator: ", "))\n")
                return 2
            }
            writeStandardOutput(MetadataRenderer.manualPage(agent.descriptor))
            return 0
        case "--help", "-h", nil:
            writeStandardOutput(help)
            return rest.isEmpty ? 2 : 0
        case let name?:
            guard let agent = AgentRegistry.agent(named: name) else {
                writeStandardError("hakit-agent: no agent named \(name); agents: \(AgentRegistry.names.joined(separator: ", "))\n")
                return 2
            }
            return AgentMain.run(agent, arguments: rest, environment: ocf, sinks: [JournalLogSink()]).rawValue
        }
    }

    static let help = """
        usage: hakit-agent TYPE ACTION       run one action of an agent
               hakit-agent --list            list the agent types
               hakit-agent --doc TYPE        print an agent's documentation page (Markdown)
               hakit-agent --man TYPE        print an agent's man page, ocf_hakit_TYPE(7) (roff)

        HAKit's OCF resource agents in one binary. Installed, each agent is a link to this binary
        under /usr/lib/ocf/resource.d/hakit/ and runs as the agent it is named after, taking its
        action as the only argument and its parameters from OCF_RESKEY_* variables, as Pacemaker
        and ocf-run call it. Try: hakit-agent Dummy meta-data

        """

    static func baseName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
