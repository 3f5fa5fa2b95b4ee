/// heartbeat's own command names as front ends to a running heartbeat-lite: `cl_status`,
/// `hb_standby` and `hb_takeover` (heartbeat-lite is installed under these names too and picks by
/// the name it was started as). Each takes the command line and the daemon's status (nil when no
/// daemon answered) and returns what to print and the exit status; the I/O stays in the main.
public enum HeartbeatCommands {
    /// What a command prints and its exit status.
    public struct Outcome: Error, Equatable, Sendable {
        public var output = ""
        public var errorOutput = ""
        public var status: Int32 = 0

        public init(output: String = "", errorOutput: String = "", status: Int32 = 0) {
            self.output = output
            self.errorOutput = errorOutput
            self.status = status
        }
    }

    // MARK: cl_status

    /// cl_status's exit statuses (tools/cl_status.c).
    public enum ClStatusExit {
        public static let ok: Int32 = 0
        /// The node or link is down, heartbeat is not running.
        public static let normalFail: Int32 = 1
        public static let parameterError: Int32 = 11
        public static let timeout: Int32 = 12
        public static let unknownError: Int32 = 13
    }

    /// One cl_status subcommand as declared: its name, operands, option letters with their help,
    /// and what it prints. The help screen and cl_status(8) are rendered from these.
    public struct ClStatusSubcommand: Sendable {
        public var name: String
        public var operands: String
        /// Every letter getopt accepts (`m` everywhere: output for people).
        public var options: String
        public var optionHelp: [(letter: Character, help: String)]
        public var summary: String
        /// What it prints and its exit status, for the man page.
        public var result: String
    }

    public static let clStatusSubcommands: [ClStatusSubcommand] = [
        .init(
            name: "hbstatus", operands: "", options: "mv", optionHelp: [("v", "verbose: also add \"listnodes -v\" output")],
            summary: "Whether heartbeat-lite is running on this machine.",
            result: "Prints Heartbeat is running on this machine. and exits 0, or Heartbeat is stopped on this machine. and exits 1."),
        .init(
            name: "listnodes", operands: "", options: "mpnv",
            optionHelp: [
                ("p", "list only 'ping' type nodes (heartbeat-lite has none)"), ("n", "list only 'normal' type nodes"),
                ("v", "verbose: also list type and status, then \"listhblinks -v\" output"),
            ],
            summary: "List the nodes of the cluster.",
            result: "One name a line, in heartbeat's order (ha.cf's reversed)."),
        .init(
            name: "listhblinks", operands: "<node-name>", options: "mv", optionHelp: [("v", "verbose: list link status as well")],
            summary: "List the links heartbeats go over.",
            result: "One link a line, after a tab; exits 13 for a node not in the cluster."),
        .init(
            name: "hblinkstatus", operands: "<node-name> <link-name>", options: "m", optionHelp: [],
            summary: "Show the status of a heartbeat link.",
            result: "up (exit 0) or dead (exit 1); exits 13 for a link the node does not have. This node's own links are dead unless it hears its own heartbeats (bcast, mcast with loop), as heartbeat reports them."),
        .init(
            name: "nodestatus", operands: "<node-name>", options: "m", optionHelp: [],
            summary: "Show the status of a node.",
            result: "active, up or init, or dead; exits 0 for active and up, 1 otherwise, 11 for a node not in the cluster."),
        .init(
            name: "nodetype", operands: "<node-name>", options: "m", optionHelp: [],
            summary: "Show the type of a node.", result: "normal."),
        .init(
            name: "rscstatus", operands: "", options: "m", optionHelp: [],
            summary: "Show which resources this node holds.",
            result: "none, local, foreign, all, or transition while a group operation or hand-over is under way."),
    ]

    /// The subcommands heartbeat's cl_status has and these front ends do not (heartbeat-lite has no
    /// API clients, weights, sites or parameter queries).
    public static let clStatusUnsupported = ["clientstatus", "nodeweight", "nodesite", "hbparameter", "test"]

    /// The help screen (`cl_status` alone, or `cl_status -h`).
    public static var clStatusHelp: String {
        var out = "Usage: cl_status <sub-command> [<options>] [<parameters>]\n\nSub-commands (heartbeat-lite's front end to heartbeat's cl_status):\n"
        for command in clStatusSubcommands {
            out += "\(command.name)\(command.operands.isEmpty ? "" : " \(command.operands)")\n\t\(command.summary)\n"
            if !command.optionHelp.isEmpty {
                out += "\tOptions:\n" + command.optionHelp.map { "\t\t-\($0.letter)\t\($0.help)\n" }.joined()
            }
        }
        out += "Every sub-command takes -m: output for people, not scripts.\n"
        out += "The daemon is asked through HEARTBEAT_LITE_RUN_DIR/control.sock (default /run/heartbeat-lite).\n"
        return out
    }

    /// getopt(3)'s view of `words`: the option letters given, the operands (GNU getopt moves
    /// them after the options, so they may come anywhere), or the first letter not in `allowed`.
    static func options(_ words: ArraySlice<String>, allowed: String) -> (letters: Set<Character>, operands: [String], invalid: Character?) {
        var letters: Set<Character> = []
        var operands: [String] = []
        var rest = words
        while let word = rest.popFirst() {
            if word == "--" {
                operands += rest
                break
            }
            guard word.hasPrefix("-"), word.count > 1 else {
                operands.append(word)
                continue
            }
            for letter in word.dropFirst() {
                guard allowed.contains(letter) else { return (letters, operands, letter) }
                letters.insert(letter)
            }
        }
        return (letters, operands, nil)
    }

    /// `cl_status ARGUMENTS`; `fetch` asks the daemon for its status and says why when it cannot.
    /// `logPrefix` starts each error line as cl_log writes it (`Dec 03 14:42:54 node2 cl_status: [76]: `).
    public static func clStatus(
        _ arguments: [String], logPrefix: String = "cl_status: ", fetch: () -> Result<StatusReport, StatusFailure>
    ) -> Outcome {
        func logLine(_ text: String) -> String { "\(logPrefix)ERROR: \(text)\n" }
        var outcome = Outcome()
        guard let subcommand = arguments.first, !(arguments.count == 1 && subcommand == "-h") else {
            outcome.output = clStatusHelp
            return outcome
        }
        guard let declared = clStatusSubcommands.first(where: { $0.name == subcommand }) else {
            outcome.errorOutput = clStatusUnsupported.contains(subcommand)
                ? logLine("\(subcommand): not supported by heartbeat-lite's cl_status (no API clients, weights, sites or parameters).")
                : logLine("\(subcommand): invalid sub-command.")
            outcome.status = ClStatusExit.parameterError
            return outcome
        }
        let parsed = options(arguments.dropFirst(), allowed: declared.options)  // getopt
        if let invalid = parsed.invalid {
            // getopt names the subcommand (cl_status passes it argv + 1) and returns '?', which
            // cl_status logs (without a space: its message is two concatenated strings); hbstatus
            // has no default case and carries on.
            outcome.errorOutput = "\(subcommand): invalid option -- '\(invalid)'\n"
            if subcommand != "hbstatus" {
                outcome.errorOutput += ["listnodes", "listhblinks"].contains(subcommand)
                    ? logLine("Error: getopt returnedcharacter code ?.") : logLine("Error: getopt returnedcharacter ?.")
                outcome.status = ClStatusExit.parameterError
                return outcome
            }
        }
        let human = parsed.letters.contains("m")
        let verbose = parsed.letters.contains("v")
        let operands = parsed.operands
        let report: StatusReport
        switch fetch() {
        case .success(let fetched): report = fetched
        case .failure(let failure):
            if subcommand == "hbstatus" {
                outcome.output = "Heartbeat is stopped on this machine.\n"
                if verbose { outcome.output += "(\(failure.reason))\n" }
            } else {
                outcome.errorOutput = logLine("Cannot signon with heartbeat") + logLine("REASON: \(failure.reason)")
            }
            outcome.status = ClStatusExit.normalFail
            return outcome
        }
        // heartbeat's client library builds its node and link lists by prepending what the daemon
        // sends in configuration order: scripts see ha.cf's order reversed.
        let known = Set([report.node] + report.nodes.map(\.name))
        let names = report.configuredNodes.filter { known.contains($0) }.reversed()
            + ([report.node] + report.nodes.map(\.name)).filter { !report.configuredNodes.contains($0) }
        func status(of name: String) -> String? {
            name == report.node ? report.status : report.nodes.first { $0.name == name }?.status
        }
        /// The links of a node: a peer's as heard; the local node's as heartbeat reports them, up
        /// when it hears its own heartbeats (bcast, mcast with loop), dead otherwise (ucast,
        /// serial). The daemon counts its own packets over all media together (`own`).
        func links(of name: String) -> [(String, String)]? {
            if let peer = report.nodes.first(where: { $0.name == name }) {
                return peer.links.reversed().map { ($0.medium, $0.up ? "up" : "dead") }
            }
            guard name == report.node else { return nil }
            var media: [String] = []
            for link in report.nodes.flatMap(\.links) where !media.contains(link.medium) { media.append(link.medium) }
            let hearsItself = report.packets.contains { $0.0 == "own" && $0.1 > 0 }
            return media.reversed().map { ($0, hearsItself ? "up" : "dead") }
        }
        func listLinks(_ name: String, verbose: Bool) -> Bool {
            guard let list = links(of: name) else {
                outcome.errorOutput += logLine("Cannot start heartbeat link interface walk.") + logLine("REASON: unknown node \(name)")
                return false
            }
            if human { outcome.output += "\tthis node has the following heartbeat links:\n" }
            for (medium, state) in list { outcome.output += verbose ? "\t\(medium)\t\(state)\n" : "\t\(medium)\n" }
            return true
        }
        func listNodes(verbose: Bool, pingOnly: Bool) {
            if human { outcome.output += "The nodes are as follow:\n" }
            // heartbeat-lite has no ping nodes: -p alone lists nothing (-p -n together: everything).
            guard !pingOnly else { return }
            for name in names {
                if verbose {
                    outcome.output += "\n\(name)\t\(status(of: name) ?? "dead")\t(nodetype: normal)\n"
                    _ = listLinks(name, verbose: true)
                } else {
                    outcome.output += "\(name)\n"
                }
            }
        }
        func need(_ count: Int, _ message: String) -> Bool {
            guard operands.count >= count else {
                outcome.errorOutput = message
                outcome.status = ClStatusExit.parameterError
                return false
            }
            return true
        }

        switch subcommand {
        case "hbstatus":
            if !verbose {
                outcome.output = "Heartbeat is running on this machine.\n"
            } else {
                outcome.output = human
                    ? "Heartbeat is running on this machine.\nResources controlled by \"haresources\"\n"
                    : "version:\theartbeat-lite (heartbeat 3.0.6 protocol)\nmanaged by:\t\"haresources\"\n"
                listNodes(verbose: true, pingOnly: false)
            }
        case "listnodes":
            let ping = parsed.letters.contains("p"), normal = parsed.letters.contains("n")
            listNodes(verbose: verbose, pingOnly: ping && !normal)
        case "nodestatus":
            guard need(1, "Not enough parameters.\n") else { return outcome }
            guard let state = status(of: operands[0]) else {
                outcome.errorOutput = "Error. May be due to incorrect node name\n"
                outcome.status = ClStatusExit.parameterError
                return outcome
            }
            outcome.output = human ? "The cluster node \(operands[0]) is \(state)\n" : "\(state)\n"
            outcome.status = ["active", "up", "ping"].contains(state) ? ClStatusExit.ok : ClStatusExit.normalFail
        case "nodetype":
            guard need(1, "No enough parameter.\n") else { return outcome }
            guard names.contains(operands[0]) else {
                outcome.errorOutput = "Error. May be due to incorrect node name\n"
                outcome.status = ClStatusExit.parameterError
                return outcome
            }
            outcome.output = human ? "The node \(operands[0])'s type: normal\n" : "normal\n"
        case "listhblinks":
            guard need(1, "No enough parameter.\n") else { return outcome }
            if !listLinks(operands[0], verbose: verbose) { outcome.status = ClStatusExit.unknownError }
        case "hblinkstatus":
            guard need(2, "No enough parameter.\n") else { return outcome }
            guard let state = links(of: operands[0])?.first(where: { $0.0 == operands[1] })?.1 else {
                outcome.errorOutput = logLine("Cannot get heartbeat link status")
                    + logLine("REASON: no link \(operands[1]) of node \(operands[0])")
                outcome.status = ClStatusExit.unknownError
                return outcome
            }
            outcome.output = human ? "The node \(operands[0])'s heartbeat link \(operands[1]) is \(state)\n" : "\(state)\n"
            outcome.status = state == "up" ? ClStatusExit.ok : ClStatusExit.normalFail
        case "rscstatus":
            let held = report.heldResources
            outcome.output = human ? "This node is holding \(held) resources.\n" : "\(held)\n"
        default:
            break
        }
        return outcome
    }

    /// Why the daemon's status could not be had.
    public struct StatusFailure: Error, Sendable {
        public let reason: String
        public init(reason: String) { self.reason = reason }
    }

    // MARK: hb_standby, hb_takeover

    /// The resource sets hb_standby and hb_takeover take, in the order their usage line names them
    /// (`failback` is `foreign`).
    public static let handoverSets = ["all", "foreign", "local", "failback"]

    /// What `hb_standby`/`hb_takeover ARGUMENTS` asks for: the control request (`standby SET`),
    /// or the usage error heartbeat's scripts print (exit 1). `program` is argv[0] as given.
    public static func handover(program: String, verb: String, _ arguments: [String]) -> Result<String, Outcome> {
        let usage = Outcome(output: "usage:\n", errorOutput: "\(program) [\(handoverSets.joined(separator: "|"))]\n", status: 1)
        if arguments.count >= 2 {
            var outcome = usage
            outcome.output = "\(program): too many arguments\n" + usage.output
            return .failure(outcome)
        }
        let set = arguments.first ?? "all"
        guard handoverSets.contains(set) else {
            if set == "--help" { return .failure(usage) }
            var outcome = usage
            outcome.output = "\(program): wrong resources(\(set)).\n" + usage.output
            return .failure(outcome)
        }
        return .success("\(verb) \(set == "failback" ? "foreign" : set)")
    }
}
