import OCF

/// Writes a `PacemakerConfiguration` as a whole CIB document, for `crm_verify --xml-file FILE`
/// and `cibadmin --replace --scope configuration --xml-file FILE` (`-R -o configuration -x` in its
/// header). Comments are XML comments.
public enum CIBRenderer {
    /// The CIB schema the document is written in: Pacemaker 2.0 and later validate it.
    public static let schema = "pacemaker-3.0"

    /// The whole document.
    public static func render(_ configuration: PacemakerConfiguration) -> String {
        var out = XMLLines()
        out.line(0, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        out.comment(
            0,
            CommentText.header(
                configuration, format: "CIB XML",
                // An XML comment cannot hold "--" (it would read "- -"): the commands are written
                // with their short options, so that they can be copied as they stand.
                load: [
                    "Check it with: crm_verify -x FILE",
                    "Load it into a new cluster with: cibadmin -R -o configuration -x FILE",
                    "(that replaces the whole configuration section; for a cluster with resources of its own,",
                    "use the crmsh or pcs export, which add to it)",
                ]))
        out.line(0, "<cib validate-with=\"\(schema)\" admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\">")
        out.line(1, "<configuration>")
        out.line(2, "<crm_config>")
        out.nvpairSet(3, "cluster_property_set", id: "cib-bootstrap-options", configuration.properties)
        out.line(2, "</crm_config>")
        out.line(2, "<nodes/>")
        out.line(2, "<resources>")
        for group in configuration.groups {
            out.comment(3, ["group \(group.id): \(group.source), started in this order"])
            out.line(3, "<group id=\(quoted(group.id))>")
            for member in group.members { out.primitive(4, member) }
            out.line(3, "</group>")
        }
        if let ping = configuration.pingSuggestion { out.pingClone(3, ping) }
        out.line(2, "</resources>")
        out.line(2, "<constraints>")
        for location in configuration.locations {
            out.comment(3, location.comments)
            out.line(
                3,
                "<rsc_location id=\(quoted(location.id)) rsc=\(quoted(location.resource)) "
                    + "node=\(quoted(location.node)) score=\"\(location.score)\"/>")
        }
        if let ping = configuration.pingSuggestion { out.pingRules(3, ping) }
        out.line(2, "</constraints>")
        out.line(2, "<rsc_defaults>")
        out.nvpairSet(3, "meta_attributes", id: "rsc-options", configuration.resourceDefaults)
        out.line(2, "</rsc_defaults>")
        out.line(1, "</configuration>")
        out.line(1, "<status/>")
        out.line(0, "</cib>")
        return out.text
    }

    static func quoted(_ value: String) -> String { "\"" + MetadataRenderer.escape(value) + "\"" }
}

/// The document as indented lines.
private struct XMLLines {
    var lines: [String] = []

    var text: String { lines.joined(separator: "\n") + "\n" }

    mutating func line(_ depth: Int, _ text: String) {
        lines.append(String(repeating: "  ", count: depth) + text)
    }

    /// An XML comment; `--` may not appear in one, so it becomes `- -`.
    mutating func comment(_ depth: Int, _ text: [String]) {
        guard !text.isEmpty else { return }
        let body = CommentText.wrap(text).map { $0.replacing("--", with: "- -") }
        if body.count == 1 {
            line(depth, "<!-- \(body[0]) -->")
            return
        }
        line(depth, "<!--")
        for text in body { line(depth + 1, text) }
        line(depth, "-->")
    }

    mutating func nvpairSet(_ depth: Int, _ element: String, id: String, _ settings: [Setting]) {
        line(depth, "<\(element) id=\(CIBRenderer.quoted(id))>")
        for setting in settings {
            comment(depth + 1, setting.comments)
            nvpair(depth + 1, prefix: id, name: setting.name, value: setting.value)
        }
        line(depth, "</\(element)>")
    }

    mutating func nvpair(_ depth: Int, prefix: String, name: String, value: String) {
        line(
            depth,
            "<nvpair id=\(CIBRenderer.quoted("\(prefix)-\(name)")) name=\(CIBRenderer.quoted(name)) "
                + "value=\(CIBRenderer.quoted(value))/>")
    }

    mutating func primitive(_ depth: Int, _ member: PacemakerPrimitive) {
        comment(depth, member.comments)
        let provider = member.agent.provider.map { " provider=\(CIBRenderer.quoted($0))" } ?? ""
        line(
            depth,
            "<primitive id=\(CIBRenderer.quoted(member.id)) class=\(CIBRenderer.quoted(member.agent.standard))"
                + "\(provider) type=\(CIBRenderer.quoted(member.agent.type))>")
        if !member.parameters.isEmpty {
            let set = "\(member.id)-instance_attributes"
            line(depth + 1, "<instance_attributes id=\(CIBRenderer.quoted(set))>")
            for parameter in member.parameters {
                nvpair(depth + 2, prefix: set, name: parameter.name, value: parameter.value)
            }
            line(depth + 1, "</instance_attributes>")
        }
        line(depth + 1, "<operations>")
        for op in member.operations {
            line(
                depth + 2,
                "<op id=\(CIBRenderer.quoted(op.id(on: member.id))) name=\(CIBRenderer.quoted(op.name)) "
                    + "interval=\(CIBRenderer.quoted(op.interval)) timeout=\(CIBRenderer.quoted(op.timeout))/>")
        }
        line(depth + 1, "</operations>")
        line(depth, "</primitive>")
    }

    /// The suggested ping clone, commented out (so its markup is written inside one comment).
    mutating func pingClone(_ depth: Int, _ ping: PingSuggestion) {
        var inner = XMLLines()
        inner.line(0, "<clone id=\"\(ping.id)-clone\">")
        inner.line(1, "<primitive id=\"\(ping.id)\" class=\"ocf\" provider=\"pacemaker\" type=\"ping\">")
        inner.line(2, "<instance_attributes id=\"\(ping.id)-instance_attributes\">")
        inner.nvpair(3, prefix: "\(ping.id)-instance_attributes", name: "host_list", value: ping.hosts.joined(separator: " "))
        inner.nvpair(3, prefix: "\(ping.id)-instance_attributes", name: "multiplier", value: "1000")
        inner.nvpair(3, prefix: "\(ping.id)-instance_attributes", name: "dampen", value: "5s")
        inner.line(2, "</instance_attributes>")
        inner.line(2, "<operations>")
        inner.line(3, "<op id=\"\(ping.id)-monitor-10s\" name=\"monitor\" interval=\"10s\" timeout=\"60s\"/>")
        inner.line(2, "</operations>")
        inner.line(1, "</primitive>")
        inner.line(0, "</clone>")
        commented(depth, CommentText.pingIntroduction(ping), inner.lines)
    }

    mutating func pingRules(_ depth: Int, _ ping: PingSuggestion) {
        var inner = XMLLines()
        for group in ping.groups {
            inner.line(0, "<rsc_location id=\"\(group)-on-ping\" rsc=\"\(group)\">")
            inner.line(1, "<rule id=\"\(group)-on-ping-rule\" score=\"-INFINITY\" boolean-op=\"or\">")
            inner.line(2, "<expression id=\"\(group)-on-ping-undefined\" attribute=\"pingd\" operation=\"not_defined\"/>")
            inner.line(
                2, "<expression id=\"\(group)-on-ping-zero\" attribute=\"pingd\" operation=\"lte\" value=\"0\"/>")
            inner.line(1, "</rule>")
            inner.line(0, "</rsc_location>")
        }
        commented(depth, ["the location rules of the ping clone above, one per group"], inner.lines)
    }

    mutating func commented(_ depth: Int, _ introduction: [String], _ markup: [String]) {
        line(depth, "<!--")
        for text in introduction { line(depth + 1, text.replacing("--", with: "- -")) }
        for text in markup { line(depth + 1, text.replacing("--", with: "- -")) }
        line(depth, "-->")
    }
}
