import ArgumentParser
import Conformance
import OCF
import Runner

#if canImport(Glibc)
import Glibc
#endif

struct OCFConformance: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocf-conformance",
        abstract: "Check that an OCF resource agent keeps the OCF contract, and run declarative case files.",
        usage: """
            ocf-conformance [check] [-n NAME] [-o NAME=VALUE …] [-v] [--json] [--agent-root DIR] AGENT
            ocf-conformance cases [--agent-root DIR] [--provider P] [--only TEXT] [-v] [--json] FILE…
            """,
        discussion: """
            Without a subcommand, runs ocf-tester's checks and the stricter ones ocf-tester lacks \
            (see `ocf-conformance check --help`). `ocf-conformance cases FILE…` runs case files \
            (see ocf-conformance/README.md for their format).
            """,
        subcommands: [Check.self, Cases.self], defaultSubcommand: Check.self)
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run ocf-tester style conformance checks on one agent.",
        discussion: """
            Each check is reported on its own line with the action, the code seen and the code \
            expected; the last line is `N passed, N failed`, and the exit status is 1 when any \
            check failed. Every action runs the way Pacemaker's executor runs it, with the timeout \
            the agent advertises for it, and the resource is left stopped.

            Flags are ocf-tester's where they overlap (-n, -o, -v). Unlike ocf-tester it also fails \
            an optional action answered though not advertised, 0 for an unknown action, and an \
            action slower than its advertised timeout.

            Examples:
              ocf-conformance -o state=/run/dummy.state ocf:heartbeat:Dummy
              ocf-conformance -n vip -o ip=203.0.113.10 -o cidr_netmask=24 ocf:hakit:IPaddr2
              ocf-conformance --json ./my-agent
            """)

    @Option(name: .short, help: ArgumentHelp("Resource instance name (default: the agent type).", valueName: "name"))
    var n: String?

    @Option(
        name: .short,
        help: ArgumentHelp("An instance parameter, passed as OCF_RESKEY_name (repeatable).", valueName: "name=value"))
    var o: [String] = []

    @Flag(name: .short, help: "Report every agent run and what it wrote to standard error.")
    var v = false

    @Flag(name: .long, help: "Print one JSON document instead of the report lines.")
    var json = false

    @Option(name: .customLong("agent-root"), help: "The OCF root ocf:PROVIDER:TYPE is found under, passed as OCF_ROOT.")
    var agentRoot: String = "/usr/lib/ocf"

    @Option(name: .customLong("user"), help: "The unprivileged user meta-data must work as.")
    var user: String = "nobody"

    @Option(name: .customLong("dtd"), help: "The DTD meta-data is validated against.")
    var dtd: String = "/usr/share/resource-agents/ra-api-1.dtd"

    @Argument(help: "The agent: ocf:PROVIDER:TYPE, or a path to an agent.")
    var agent: String

    func run() throws {
        let spec: AgentSpec
        do {
            spec = try AgentSpec(parsing: agent, ocfRoot: agentRoot)
        } catch {
            throw ValidationError(error.description)
        }
        guard spec.standard == .ocf else { throw ValidationError("ocf-conformance checks OCF agents, not \(spec)") }
        let options = ConformanceOptions(
            agent: spec, instance: n, parameters: try parameterPairs(o), ocfRoot: agentRoot,
            environment: ProcessEnvironment.current(), verbose: v, unprivilegedUser: user, dtdPath: dtd)
        let json = self.json
        if !json { writeStandardOutput("Testing \(spec) as resource \(options.instance)\n") }
        let report = ConformanceSuite(options: options).run { entry in
            if !json { writeStandardOutput(entry.line + "\n") }
        }
        writeStandardOutput(json ? report.json + "\n" : report.summaryLine + "\n")
        if !report.passed { throw ExitCode(1) }
    }
}

struct Cases: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run declarative case files against the agents of one provider.",
        discussion: """
            Each case runs in its own context (a network namespace and a scratch directory when it \
            asks for them), which is removed afterwards whatever happened. Each case is reported on \
            its own line, with file:line for every failed step; the last line is `N passed, N failed` \
            (cases), and the exit status is 1 when any case failed.

            Examples:
              ocf-conformance cases ocf-conformance/*.cases
              ocf-conformance cases --provider hakit --agent-root /usr/lib/ocf ocf-conformance/IPaddr2.cases
            """)

    @Option(name: .customLong("agent-root"), help: "The OCF root the agents are found under, passed as OCF_ROOT.")
    var agentRoot: String = "/usr/lib/ocf"

    @Option(name: .long, help: "The provider directory under AGENT-ROOT/resource.d.")
    var provider: String = "heartbeat"

    @Option(name: .long, help: "Run only cases whose title contains this text.")
    var only: String?

    @Flag(name: .short, help: "Report every step, not only failed ones.")
    var v = false

    @Flag(name: .long, help: "Print one JSON document instead of the report lines.")
    var json = false

    @Argument(help: "Case files.")
    var files: [String]

    func run() throws {
        let runner = CaseRunner(
            options: CaseRunOptions(
                agentRoot: agentRoot, provider: provider, titleFilter: only, verbose: v,
                environment: ProcessEnvironment.current()))
        let json = self.json
        var files: [CaseFile] = []
        for path in self.files {
            do {
                files.append(try CaseFileParser.parse(path: path))
            } catch {
                writeStandardError("ocf-conformance: \(error)\n")
                throw ExitCode(2)
            }
        }
        let report = runner.run(files) { line in
            if !json { writeStandardOutput(line + "\n") }
        }
        writeStandardOutput(json ? report.json + "\n" : report.summaryLine + "\n")
        if !report.passed { throw ExitCode(1) }
    }
}

/// `NAME=VALUE` items as pairs.
func parameterPairs(_ items: [String]) throws -> [(name: String, value: String)] {
    try items.map { item in
        guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
            throw ValidationError("-o \"\(item)\" is not NAME=VALUE")
        }
        return (String(item[..<equals]), String(item[item.index(after: equals)...]))
    }
}


// `--generate-manual`: this tool's man page, from the same declarations as its help (make man).
if CommandLine.arguments.count == 2, CommandLine.arguments[1] == "--generate-manual" {
    do {
        writeStandardOutput(try ToolManual.forRunningExecutable(seeAlso: [("ocf-run", "8"), ("ocf-tester", "8")]))
        exit(0)
    } catch {
        writeStandardError("\(error)\n")
        exit(1)
    }
}
OCFConformance.main()
