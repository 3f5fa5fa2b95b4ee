import Heartbeat
import OCF

/// heartbeat-lite(8), rendered from the same declarations as the help (`heartbeat-lite
/// --generate-manual`, run by `make man`), with ha.cf's directives from `HaCf.directiveSummaries`.
extension CommandLineTool {
    func manualPage() -> String {
        var page = ManualPage(
            name: configuration.name, section: "8", manual: "System Manager's Manual", summary: configuration.abstract)
        page.section("Synopsis")
        for command in subcommands {
            page.synopsis(configuration.name, String(usage(for: command, prefix: "").dropFirst(configuration.name.count + 1)))
        }
        page.section("Description")
        Self.lines(configuration.discussion, into: &page)
        page.section("Commands")
        for command in subcommands {
            page.subsection("\(configuration.name) \(command.configuration.name)")
            page.paragraphs(command.configuration.abstract)
            Self.lines(command.configuration.discussion, into: &page)
            for declaration in ArgumentBinding.all(in: command.init()).map(\.declaration) {
                page.option(
                    declaration.label, declaration.help + (declaration.defaultText.map { " (default: \($0))" } ?? ""))
            }
        }
        page.section("ha.cf directives")
        page.paragraphs(
            "heartbeat-lite reads /etc/ha.d/ha.cf as heartbeat 3 does: one directive a line, a # starting a comment "
                + "anywhere, backslash continuations, times in seconds or with an ms suffix. It acts on these:")
        for (name, summary) in HaCf.directiveSummaries { page.item(name, summary) }
        page.paragraphs("These are accepted and ignored, with a warning giving the reason:")
        for (name, reason) in HaCf.ignoredDirectives { page.item(name, reason + ".") }
        page.paragraphs("Any other directive is an error at its line.")
        page.section("heartbeat's command names")
        page.paragraphs(
            "Started as cl_status, hb_standby or hb_takeover (the links make install puts in /usr/lib/hakit/bin), "
                + "heartbeat-lite is that command of heartbeat 3.0.6, against the daemon whose control socket is in "
                + "HEARTBEAT_LITE_RUN_DIR (default /run/heartbeat-lite); see cl_status(8). hb_standby and hb_takeover "
                + "take all, local, foreign or failback, ask and return at once without output, and exit 1 with the "
                + "reason when the daemon refuses.")
        page.section("Exit status")
        page.item("0", "Success.")
        page.item("1", "A configuration with problems, a daemon that could not start, a refused or unfinished hand-over.")
        page.item("3", "No daemon answered on the control socket (status, standby, takeover).")
        page.item("64", "A command line that does not fit: the usage goes to standard error.")
        page.section("Files")
        page.item("/etc/ha.d/ha.cf, /etc/ha.d/haresources, /etc/ha.d/authkeys", bold: false, "heartbeat's configuration, read unchanged.")
        page.item("/var/lib/heartbeat-lite", bold: false, "The node's generation and UUID.")
        page.item("/run/heartbeat-lite/control.sock", bold: false, "The control socket (root only).")
        page.seeAlso([("cl_status", "8"), ("ha.cf", "5"), ("authkeys", "5"), ("heartbeat", "8"), ("ocf-run", "8"), ("ocf_hakit_IPaddr", "7")])
        return page.text
    }

    /// Each line of a discussion is a paragraph of its own, as the help shows it.
    private static func lines(_ text: String, into page: inout ManualPage) {
        for line in text.split(separator: "\n") { page.paragraphs(String(line)) }
    }
}
