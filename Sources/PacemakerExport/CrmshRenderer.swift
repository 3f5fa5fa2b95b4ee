/// Writes a `PacemakerConfiguration` in crmsh's `crm configure` syntax, for
/// `crm configure load update FILE`. Comments stay attached to the element they precede.
public enum CrmshRenderer {
    /// The whole file.
    public static func render(_ configuration: PacemakerConfiguration) -> String {
        var out: [String] = CommentText.header(
            configuration, format: "crmsh",
            load: [
                "Load it into the cluster with:  crm configure load update FILE",
                "then check it with:  crm_verify -L -V",
            ]
        ).map(comment)
        for group in configuration.groups {
            out.append("")
            for member in group.members {
                out += CommentText.wrap(member.comments).map(comment)
                var statement = ["primitive \(member.id) \(member.agent)"]
                if !member.parameters.isEmpty {
                    statement.append("params " + member.parameters.map { "\($0.name)=\(value($0.value))" }.joined(separator: " "))
                }
                statement += member.operations.map(operation)
                out.append(statement.joined(separator: " \\\n\t"))
            }
            out.append(comment("group \(group.id): \(group.source), started in this order"))
            out.append((["group", group.id] + group.members.map(\.id)).joined(separator: " "))
        }
        out.append("")
        for location in configuration.locations {
            out += CommentText.wrap(location.comments).map(comment)
            out.append("location \(location.id) \(location.resource) \(location.score): \(location.node)")
        }
        if let ping = configuration.pingSuggestion {
            out.append("")
            out += CommentText.pingIntroduction(ping).map(comment)
            out += pingLines(ping).map { "#" + $0 }
        }
        out.append("")
        out += settings("property cib-bootstrap-options:", configuration.properties)
        out += settings("rsc_defaults rsc-options:", configuration.resourceDefaults)
        return out.joined(separator: "\n") + "\n"
    }

    static func comment(_ line: String) -> String { line.isEmpty ? "#" : "# " + line }

    static func operation(_ op: Operation) -> String {
        op.name == "monitor"
            ? "op monitor interval=\(op.interval) timeout=\(op.timeout)"
            : "op \(op.name) timeout=\(op.timeout) interval=\(op.interval)"
    }

    /// A value as crmsh reads it: bare, or double-quoted with `"` and `\` escaped.
    static func value(_ text: String) -> String {
        let bare = !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_./:@%+,-".contains($0)) }
        if bare { return text }
        return "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
    }

    /// One statement holding all `settings`, their comments above it (crmsh allows one per set).
    static func settings(_ head: String, _ settings: [Setting]) -> [String] {
        guard !settings.isEmpty else { return [] }
        let comments = settings.flatMap { [$0.name + ":"] + $0.comments.map { "  " + $0 } }
        let pairs = settings.map { "\($0.name)=\(value($0.value))" }
        return CommentText.wrap(comments).map(comment) + [([head] + pairs).joined(separator: " \\\n\t")]
    }

    static func pingLines(_ ping: PingSuggestion) -> [String] {
        ["primitive \(ping.id) ocf:pacemaker:ping params host_list=\(value(ping.hosts.joined(separator: " "))) "
            + "multiplier=1000 dampen=5s op monitor interval=10s timeout=60s",
         "clone \(ping.id)-clone \(ping.id)"]
            + ping.groups.map { "location \($0)-on-ping \($0) rule -inf: not_defined pingd or pingd lte 0" }
    }
}
