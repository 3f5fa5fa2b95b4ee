import OCF

/// Which agent to run: `ocf:PROVIDER:TYPE` under `OCF_ROOT`, or a path to an agent.
public struct AgentSpec: Hashable, Sendable, CustomStringConvertible {
    /// The resource class.
    public enum Standard: String, Sendable {
        /// An OCF resource agent.
        case ocf
    }

    /// The resource class.
    public var standard: Standard
    /// The provider (`heartbeat`, `hakit`); for a path, the directory's name.
    public var provider: String?
    /// The agent type, e.g. `IPaddr2`.
    public var type: String
    /// The executable to run.
    public var path: String

    /// Parses a spec as `ocf-run` and `ocf-conformance` take it.
    ///
    /// - Parameter ocfRoot: the OCF root, `/usr/lib/ocf` normally.
    /// - Throws: `AgentSpecError` naming the spec and what is wrong with it.
    public init(parsing text: String, ocfRoot: String) throws(AgentSpecError) {
        if text.contains("/") && !text.hasPrefix("ocf:") {
            let parts = text.split(separator: "/", omittingEmptySubsequences: true)
            guard let last = parts.last else { throw AgentSpecError(spec: text, problem: "is not a path to an agent") }
            standard = .ocf
            type = String(last)
            // A provider only where the path has the OCF layout …/resource.d/PROVIDER/TYPE.
            provider = parts.count >= 3 && parts[parts.count - 3] == "resource.d" ? String(parts[parts.count - 2]) : nil
            path = text
            return
        }
        let fields = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch fields.first {
        case "ocf":
            guard fields.count == 3, !fields[1].isEmpty, !fields[2].isEmpty else {
                throw AgentSpecError(spec: text, problem: "should be ocf:PROVIDER:TYPE")
            }
            for part in fields[1...2] where part.hasPrefix(".") || part.contains("/") {
                throw AgentSpecError(spec: text, problem: "has an invalid provider or type \(part)")
            }
            standard = .ocf
            provider = fields[1]
            type = fields[2]
            path = "\(ocfRoot)/resource.d/\(fields[1])/\(fields[2])"
        case "lsb", "systemd", "service", "heartbeat", "stonith", "nagios":
            throw AgentSpecError(spec: text, problem: "uses the \(fields[0]) class, which ocf-run does not run yet")
        default:
            throw AgentSpecError(spec: text, problem: "is neither ocf:PROVIDER:TYPE nor a path to an agent")
        }
    }

    /// `ocf:provider:type`, or the path.
    public var description: String {
        if let provider, path.hasSuffix("/resource.d/\(provider)/\(type)") { return "ocf:\(provider):\(type)" }
        return path
    }
}

/// A spec that names no runnable agent.
public struct AgentSpecError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The spec as given.
    public var spec: String
    /// What is wrong with it.
    public var problem: String

    /// `agent "lsb:foo" uses the lsb class, …`.
    public var description: String { "agent \"\(spec)\" \(problem)" }
}
