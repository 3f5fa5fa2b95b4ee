import Heartbeat

/// How one haresources entry becomes a Pacemaker primitive: HAKit's agents for the addresses and
/// apache, resource-agents' OCF agents for the heartbeat scripts that have one, an init script
/// (`lsb:`) for everything else.
struct ResourceTranslation {
    /// The agent.
    var agent: AgentName
    /// Instance parameters.
    var parameters: [Parameter]
    /// Operations (start/stop timeouts, then the recurring monitor).
    var operations: [Operation]
    /// What was chosen and why.
    var comments: [String]
    /// The id before uniqueness is ensured: `IPaddr_192_0_2_5`, `smb`.
    var baseID: String

    /// Operations of the IP agents: they act in well under a second; monitor every 10 s.
    static let addressOperations = [
        Operation("start", timeout: "20s"), Operation("stop", timeout: "20s"),
        Operation("monitor", interval: "10s", timeout: "20s"),
    ]
    /// apache's advertised timeouts (meta-data): start 40 s, stop 60 s, monitor 20 s.
    static let apacheOperations = [
        Operation("start", timeout: "40s"), Operation("stop", timeout: "60s"),
        Operation("monitor", interval: "10s", timeout: "20s"),
    ]
    /// Init scripts and other agents: a minute to start or stop, as heartbeat gave them time.
    static let scriptOperations = [
        Operation("start", timeout: "60s"), Operation("stop", timeout: "60s"),
        Operation("monitor", interval: "30s", timeout: "30s"),
    ]

    /// A heartbeat resource.d script with an OCF agent of its own: its `::` arguments in order.
    struct KnownScript {
        let type: String
        let provider: String
        let parameters: [String]
        let required: Int
    }

    /// resource.d scripts whose `::` arguments map to an OCF agent's parameters one by one (the
    /// wrappers heartbeat shipped around resource-agents; haresources2cib mapped them the same way).
    static let knownScripts: [String: KnownScript] = [
        "Filesystem": KnownScript(
            type: "Filesystem", provider: "heartbeat", parameters: ["device", "directory", "fstype", "options"],
            required: 2),
        "IPsrcaddr": KnownScript(type: "IPsrcaddr", provider: "heartbeat", parameters: ["ipaddress"], required: 1),
        "MailTo": KnownScript(type: "MailTo", provider: "heartbeat", parameters: ["email", "subject"], required: 1),
        "Delay": KnownScript(
            type: "Delay", provider: "heartbeat", parameters: ["startdelay", "stopdelay", "mondelay"], required: 0),
    ]

    /// Init scripts of Apache httpd: HAKit's apache agent manages and monitors the server itself.
    static let apacheScripts: Set<String> = ["httpd", "apache2"]

    /// Translates `resource`; `provider` is HAKit's OCF provider (`hakit`).
    static func translate(_ resource: HaResource, provider: String) -> Result<ResourceTranslation, ResourceError> {
        let planned = PlannedResource(resource, provider: provider)
        // What heartbeat-lite itself runs as a native agent (addresses, apache[::configfile]).
        if planned.agent.hasPrefix("ocf:\(provider):") {
            let type = String(planned.agent.dropFirst("ocf:\(provider):".count))
            let parameters = planned.parameters.map { Parameter($0.name, $0.value) }
            if let address = resource.address {
                var comments: [String] = []
                if case .ipAddr2 = resource.kind, !address.isIPv6 {
                    comments.append("lvs_support=true as heartbeat's IPaddr2 wrapper set it; drop it without LVS")
                }
                return .success(
                    ResourceTranslation(
                        agent: AgentName(standard: "ocf", provider: provider, type: type), parameters: parameters,
                        operations: addressOperations, comments: comments,
                        // An XML ID has no "." or ":" (IPv6).
                        baseID: "\(type)_\(address.ip.replacing(".", with: "_").replacing(":", with: "_"))"))
            }
            return .success(
                ResourceTranslation(
                    agent: AgentName(standard: "ocf", provider: provider, type: type), parameters: parameters,
                    operations: apacheOperations, comments: [], baseID: resource.script))
        }
        if resource.script == "SendArp" { return sendArp(resource, provider: provider) }
        if apacheScripts.contains(resource.script) && resource.arguments.isEmpty {
            return .success(
                ResourceTranslation(
                    agent: AgentName(standard: "ocf", provider: provider, type: "apache"), parameters: [],
                    operations: apacheOperations,
                    comments: [
                        "the \(resource.script) init script becomes HAKit's apache agent, which also monitors "
                            + "the server; unless configfile= is set, it uses the first config file that exists of "
                            + "/etc/apache2/httpd.conf, /etc/apache2/apache2.conf and /etc/httpd/conf/httpd.conf"
                    ], baseID: resource.script))
        }
        if let known = knownScripts[resource.script] {
            guard resource.arguments.count >= known.required, resource.arguments.count <= known.parameters.count
            else {
                let names = known.parameters.joined(separator: "::")
                return .failure(
                    ResourceError(
                        "\(resource.token): \(resource.script) takes \(known.required) to \(known.parameters.count) "
                            + "arguments (\(resource.script)::\(names))"))
            }
            return .success(
                ResourceTranslation(
                    agent: AgentName(standard: "ocf", provider: known.provider, type: known.type),
                    parameters: zip(known.parameters, resource.arguments).map { Parameter($0, $1) },
                    operations: scriptOperations, comments: ["heartbeat's \(resource.script) wrapper, as its OCF agent"],
                    baseID: resource.script))
        }
        var comments = [
            "/etc/init.d/\(resource.script) on every node (heartbeat also looked in /etc/ha.d/resource.d); "
                + "its status must answer as LSB says (0 running, 3 stopped)"
        ]
        if !resource.arguments.isEmpty {
            let words = resource.arguments.joined(separator: " ")
            comments.append(
                "heartbeat passed \"\(words)\" before start/stop/status; LSB scripts take no arguments: "
                    + "put them in the script, or use ocf:heartbeat:anything")
        }
        return .success(
            ResourceTranslation(
                agent: AgentName(standard: "lsb", type: resource.script), parameters: [],
                operations: scriptOperations, comments: comments, baseID: resource.script))
    }

    /// heartbeat's `SendArp::IP/NIC` (also `SendArp::IP::NIC`).
    static func sendArp(_ resource: HaResource, provider: String) -> Result<ResourceTranslation, ResourceError> {
        let parts: [String]
        if resource.arguments.count == 1, let slash = resource.arguments[0].lastIndex(of: "/") {
            let argument = resource.arguments[0]
            parts = [String(argument[..<slash]), String(argument[argument.index(after: slash)...])]
        } else {
            parts = resource.arguments
        }
        guard parts.count == 2, IPv4Text.isValid(parts[0][...]), InterfaceName.problem(parts[1][...]) == nil else {
            return .failure(ResourceError("\(resource.token): SendArp takes IP/interface, e.g. SendArp::192.0.2.5/eth0"))
        }
        return .success(
            ResourceTranslation(
                agent: AgentName(standard: "ocf", provider: provider, type: "SendArp"),
                parameters: [Parameter("ip", parts[0]), Parameter("nic", parts[1])], operations: addressOperations,
                comments: [], baseID: "SendArp_\(parts[0].replacing(".", with: "_"))"))
    }
}

/// Why an haresources entry cannot be translated; becomes a `ConfigError` naming file and line.
struct ResourceError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
