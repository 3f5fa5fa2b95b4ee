import OCF

extension HeartbeatCommands {
    /// cl_status(8), from the same declarations as its help screen.
    public static var clStatusManual: String {
        var page = ManualPage(
            name: "cl_status", section: "8", manual: "System Manager's Manual",
            summary: "heartbeat's cluster status tool, as a front end to heartbeat-lite")
        page.section("Synopsis")
        page.synopsis("cl_status", "<sub-command> [<options>] [<parameters>]")
        page.section("Description")
        page.paragraphs(
            "heartbeat-lite started as cl_status answers the sub-commands of heartbeat 3.0.6's cl_status that scripts "
                + "use, with heartbeat's output and exit statuses, from the status of the heartbeat-lite daemon. It "
                + "is a link to heartbeat-lite, installed in /usr/lib/hakit/bin so that Debian's heartbeat package "
                + "keeps its own /usr/bin/cl_status.")
        page.section("Sub-commands")
        for command in clStatusSubcommands {
            page.option(
                ([command.name] + command.operands.split(separator: " ").map(String.init)).joined(separator: " "),
                command.summary + " " + command.result)
            for option in command.optionHelp { page.option("-\(option.letter)", option.help) }
        }
        page.paragraphs(
            "Every sub-command takes -m, output for people: The cluster node node1 is active, This node is holding "
                + "local resources. Sub-commands heartbeat-lite does not have (\(clStatusUnsupported.joined(separator: ", "))) "
                + "are refused with exit 11.")
        page.section("Exit status")
        page.item("0", "Success; the node is active or up; the link is up.")
        page.item("1", "The node or link is dead; heartbeat-lite is not running.")
        page.item("11", "A wrong sub-command, option or node name, or a missing operand.")
        page.item("13", "A link or node the interface walk does not know.")
        page.section("Environment")
        page.item("HEARTBEAT_LITE_RUN_DIR", "The daemon's run directory, holding control.sock (default /run/heartbeat-lite).")
        page.section("Differences from heartbeat")
        page.paragraphs(
            "hbstatus -v prints heartbeat-lite as the version, and no CCM membership.")
        page.seeAlso([("heartbeat-lite", "8"), ("heartbeat", "8"), ("ha.cf", "5")])
        return page.text
    }
}
