/// Writes a `PacemakerConfiguration` as a /bin/sh script of pcs commands (pcs 0.11). Every command
/// works on a CIB file (`pcs -f`): on a copy of the live CIB pushed once at the end, or on the file
/// named by the script's argument, which is all it touches then.
public enum PcsRenderer {
    /// The whole script.
    public static func render(_ configuration: PacemakerConfiguration) -> String {
        var out = ["#!/bin/sh"]
        out += CommentText.header(
            configuration, format: "pcs",
            // One line each: the header is word-wrapped, which would undo a column layout.
            load: [
                "Apply it to the running cluster with: sh FILE (the commands change a copy of the CIB, pushed "
                    + "once at the end: pcs cluster cib-push diff-against=...)",
                "To check it first: sh FILE CIB.xml changes only the CIB file CIB.xml (e.g. from cibadmin "
                    + "--empty); then crm_verify --xml-file CIB.xml",
            ]
        ).map(comment)
        out += [
            "set -eu",
            "if [ $# -gt 0 ]; then",
            "    cib=$1",
            "else",
            "    cib=$(mktemp)",
            "    orig=$(mktemp)",
            "    trap 'rm -f \"$cib\" \"$orig\"' EXIT",
            "    pcs cluster cib \"$cib\"",
            "    cp \"$cib\" \"$orig\"",
            "fi",
        ]
        for group in configuration.groups {
            out.append("")
            out.append(comment("group \(group.id): \(group.source), members created in start order"))
            for member in group.members {
                out += CommentText.wrap(member.comments).map(comment)
                let words =
                    ["pcs -f \"$cib\" resource create", member.id, member.agent.description]
                    + member.parameters.map { shellWord("\($0.name)=\($0.value)") }
                    + member.operations.map { "op \($0.name) interval=\($0.interval) timeout=\($0.timeout)" }
                    + ["--group", group.id, "--no-default-ops"]
                out.append(words.joined(separator: " "))
            }
        }
        out.append("")
        for location in configuration.locations {
            out += CommentText.wrap(location.comments).map(comment)
            out.append(
                "pcs -f \"$cib\" constraint location \(location.resource) prefers "
                    + shellWord("\(location.node)=\(location.score)"))
        }
        if let ping = configuration.pingSuggestion {
            out.append("")
            out += CommentText.pingIntroduction(ping).map(comment)
            out.append(
                "#pcs -f \"$cib\" resource create \(ping.id) ocf:pacemaker:ping "
                    + shellWord("host_list=\(ping.hosts.joined(separator: " "))")
                    + " multiplier=1000 dampen=5s op monitor interval=10s timeout=60s clone")
            for group in ping.groups {
                out.append(
                    "#pcs -f \"$cib\" constraint location \(group) rule score=-INFINITY not_defined pingd or pingd lte 0")
            }
        }
        out.append("")
        for setting in configuration.properties {
            out += CommentText.wrap(setting.comments).map(comment)
            out.append("pcs -f \"$cib\" property set " + shellWord("\(setting.name)=\(setting.value)"))
        }
        for setting in configuration.resourceDefaults {
            out += CommentText.wrap(setting.comments).map(comment)
            out.append("pcs -f \"$cib\" resource defaults update " + shellWord("\(setting.name)=\(setting.value)"))
        }
        out += [
            "",
            "if [ $# -eq 0 ]; then",
            "    pcs cluster cib-push \"$cib\" diff-against=\"$orig\"",
            "fi",
        ]
        return out.joined(separator: "\n") + "\n"
    }

    static func comment(_ line: String) -> String { line.isEmpty ? "#" : "# " + line }
}
