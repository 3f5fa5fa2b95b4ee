import HAKitSystem
import OCF

/// Where agents of each class are looked up.
public struct AgentLocations: Sendable, Hashable {
    /// The OCF root holding `resource.d/PROVIDER/TYPE`.
    public var ocfRoot: String
    /// Where LSB init scripts live (`lsb:NAME`, and heartbeat's fallback).
    public var initDirectory: String
    /// heartbeat's resource scripts (`heartbeat:NAME`), looked up before `initDirectory`.
    public var haResourceDirectory: String

    /// The standard places: `/usr/lib/ocf`, `/etc/init.d`, `/etc/ha.d/resource.d`.
    public init(
        ocfRoot: String = "/usr/lib/ocf", initDirectory: String = "/etc/init.d",
        haResourceDirectory: String = "/etc/ha.d/resource.d"
    ) {
        self.ocfRoot = ocfRoot
        self.initDirectory = initDirectory
        self.haResourceDirectory = haResourceDirectory
    }
}

/// Which agent to run: `ocf:PROVIDER:TYPE`, `lsb:NAME`, `heartbeat:NAME[::ARG…]`, `systemd:UNIT`,
/// or a path to an OCF agent.
public struct AgentSpec: Hashable, Sendable, CustomStringConvertible {
    /// The resource class (Pacemaker's "standard").
    public enum Standard: String, Sendable {
        /// An OCF resource agent: parameters in the environment, action as the argument.
        case ocf
        /// An LSB init script: `script start|stop|status`, no parameters.
        case lsb
        /// A heartbeat v1 resource script: `script ARG… start|stop|status`.
        case heartbeat
        /// A systemd unit, started and stopped through systemd's D-Bus API.
        case systemd
    }

    /// The resource class.
    public var standard: Standard
    /// The provider (`heartbeat`, `hakit`) of an OCF agent.
    public var provider: String?
    /// The agent type, script or unit name as given, e.g. `IPaddr2`, `httpd`.
    public var type: String
    /// The executable to run; for a systemd unit, the full unit name (`httpd.service`).
    public var path: String
    /// Arguments placed before the action (heartbeat's `NAME::a::b`).
    public var arguments: [String]
    /// A command the agent is run under, which must `exec` it (`ip netns exec NS`,
    /// `setpriv --reuid=nobody …`), so that the agent keeps the process and its group.
    public var commandPrefix: [String] = []
    /// Variables set after the class's environment is built (Executor drops the caller's `OCF_`
    /// variables; a test harness may need one, e.g. `OCF_TESTER_FAIL_HAVE_BINARY`).
    public var extraEnvironment: [String: String] = [:]

    /// Parses a spec with the OCF root only (LSB and heartbeat scripts in their standard places).
    public init(parsing text: String, ocfRoot: String) throws(AgentSpecError) {
        try self.init(parsing: text, locations: AgentLocations(ocfRoot: ocfRoot))
    }

    /// Parses a spec as `ocf-run` and `ocf-conformance` take it.
    ///
    /// - Throws: `AgentSpecError` naming the spec and what is wrong with it.
    public init(parsing text: String, locations: AgentLocations) throws(AgentSpecError) {
        arguments = []
        let fields = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let knownClass = fields.count == 2 && ["ocf", "lsb", "heartbeat", "systemd", "service", "stonith", "nagios"].contains(fields[0])
        if text.contains("/") && !knownClass {
            let parts = text.split(separator: "/", omittingEmptySubsequences: true)
            guard let last = parts.last else { throw AgentSpecError(spec: text, problem: "is not a path to an agent") }
            standard = .ocf
            type = String(last)
            // A provider only where the path has the OCF layout …/resource.d/PROVIDER/TYPE.
            provider = parts.count >= 3 && parts[parts.count - 3] == "resource.d" ? String(parts[parts.count - 2]) : nil
            path = text
            return
        }
        guard knownClass else {
            throw AgentSpecError(
                spec: text, problem: "is neither CLASS:… (ocf, lsb, heartbeat, systemd) nor a path to an agent")
        }
        let rest = fields[1]
        switch fields[0] {
        case "ocf":
            let parts = rest.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw AgentSpecError(spec: text, problem: "should be ocf:PROVIDER:TYPE")
            }
            for part in parts where part.hasPrefix(".") || part.contains("/") {
                throw AgentSpecError(spec: text, problem: "has an invalid provider or type \(part)")
            }
            standard = .ocf
            provider = parts[0]
            type = parts[1]
            path = "\(locations.ocfRoot)/resource.d/\(parts[0])/\(parts[1])"
        case "lsb":
            guard !rest.isEmpty, !rest.hasPrefix(".") else { throw AgentSpecError(spec: text, problem: "should be lsb:NAME") }
            standard = .lsb
            provider = nil
            if rest.hasPrefix("/") {
                path = rest
                type = String(rest.split(separator: "/").last ?? "")
            } else {
                guard !rest.contains("/") else { throw AgentSpecError(spec: text, problem: "should be lsb:NAME or lsb:/PATH") }
                path = "\(locations.initDirectory)/\(rest)"
                type = rest
            }
        case "heartbeat":
            // NAME::a::b as haresources writes it; empty arguments are dropped, as the shell does.
            let parts = rest.components(separatedBy: "::")
            guard let name = parts.first, !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
                throw AgentSpecError(spec: text, problem: "should be heartbeat:NAME or heartbeat:NAME::ARG…")
            }
            standard = .heartbeat
            provider = nil
            type = name
            arguments = parts.dropFirst().filter { !$0.isEmpty }
            let own = "\(locations.haResourceDirectory)/\(name)"
            let initScript = "\(locations.initDirectory)/\(name)"
            path = !FileSystem.isExecutable(own) && FileSystem.isExecutable(initScript) ? initScript : own
        case "systemd":
            if let problem = SystemdUnitName.problem(rest) {
                throw AgentSpecError(spec: text, problem: "\(problem) (systemd:UNIT)")
            }
            standard = .systemd
            provider = nil
            type = rest
            path = SystemdUnitName.full(rest)
        default:
            throw AgentSpecError(spec: text, problem: "uses the \(fields[0]) class, which ocf-run does not run yet")
        }
    }

    /// `ocf:provider:type`, `lsb:name`, `heartbeat:name::args`, `systemd:name`, or the path.
    public var description: String {
        switch standard {
        case .ocf:
            if let provider, path.hasSuffix("/resource.d/\(provider)/\(type)") { return "ocf:\(provider):\(type)" }
            return path
        case .lsb: return "lsb:\(type)"
        case .heartbeat: return "heartbeat:" + ([type] + arguments).joined(separator: "::")
        case .systemd: return "systemd:\(type)"
        }
    }
}

/// A spec that names no runnable agent.
public struct AgentSpecError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The spec as given.
    public var spec: String
    /// What is wrong with it.
    public var problem: String

    /// `agent "systemd:foo" uses the systemd class, …`.
    public var description: String { "agent \"\(spec)\" \(problem)" }
}

extension String {
    /// Splits on a multi-character separator.
    func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var current = Substring(self)
        while let range = current.firstRange(of: separator) {
            parts.append(String(current[..<range.lowerBound]))
            current = current[range.upperBound...]
        }
        parts.append(String(current))
        return parts
    }
}
