import Failover
import HAKitSystem
import Heartbeat
import OCF
import Runner

#if canImport(Glibc)
import Glibc
#endif

let heartbeatLite = CommandLineTool(
    configuration: CommandConfiguration(
        name: "heartbeat-lite",
        abstract: "Two-node failover from heartbeat's own /etc/ha.d configuration.",
        discussion: """
            heartbeat-lite reads heartbeat v1's ha.cf, haresources and authkeys unchanged, speaks \
            heartbeat 3's own UDP protocol, and moves each haresources group to the surviving node: \
            IP addresses through HAKit's IPaddr agents, other entries through resource.d and init.d \
            scripts. `run` is the daemon (systemd starts it from heartbeat-lite.service); `status`, \
            `standby`, `takeover` and `cleanup` talk to a running daemon through its control socket.
            """),
    subcommands: [Run.self, Check.self, Status.self, Standby.self, Takeover.self, Cleanup.self, Export.self])

/// Options shared by the commands that talk to a running daemon.
struct ControlOptions: ParsableArguments {
    @Option("run-dir", valueName: "dir", help: "The directory holding the daemon's control socket.")
    var runDirectory = "/run/heartbeat-lite"

    var socket: String { "\(runDirectory)/control.sock" }

    func request(_ line: String) throws -> String {
        let answer: String
        do { answer = try DaemonControl.send(line, socket: socket) } catch {
            writeStandardError("heartbeat-lite: \(error)\n")
            throw ExitCode(3)
        }
        if answer.hasPrefix("ok\n") { return String(answer.dropFirst(3)) }
        writeStandardError("heartbeat-lite: \(answer.hasPrefix("error: ") ? String(answer.dropFirst(7)) : answer)")
        throw ExitCode.failure
    }
}

/// Where haresources entries are looked up, shared by `run` and `check` so that both find the
/// same scripts.
struct AgentDirectoryOptions: ParsableArguments {
    @Option("ocf-root", valueName: "dir", help: "The OCF root holding resource.d/PROVIDER/AGENT.")
    var ocfRoot = "/usr/lib/ocf"

    @Option(
        "resource-dir", valueName: "dir",
        help: "heartbeat's resource scripts, looked up before --init-dir (default: CONFIG-DIR/resource.d).")
    var resourceDirectory: String?

    @Option("init-dir", valueName: "dir", help: "Init scripts, the fallback for haresources names.")
    var initDirectory = "/etc/init.d"

    func locations(configDirectory: String) -> AgentLocations {
        AgentLocations(
            ocfRoot: ocfRoot, initDirectory: initDirectory,
            haResourceDirectory: resourceDirectory ?? "\(configDirectory)/resource.d")
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "run",
        abstract: "Run the failover daemon in the foreground.",
        discussion: """
            Reads the three files from --config-dir, bumps this node's generation in --state-dir, \
            ends the actions a previous run killed hard left running (recorded in --run-dir), \
            stops any group left running by a previous run, then sends heartbeats on every ha.cf \
            medium and negotiates the groups with the peer. SIGTERM or SIGINT releases every group \
            held here (in reverse order), tells the peer, who takes over at once, and exits 0. \
            Logs go to ha.cf's logfile and debugfile, and to journald unless `logfacility none`. \
            Exits 1 when the configuration is invalid (errors as FILE:LINE: message) or a medium \
            cannot be opened.
            """)

    @Option("config-dir", valueName: "dir", help: "The directory holding ha.cf, haresources and authkeys.")
    var configDirectory = "/etc/ha.d"

    @Option("node", valueName: "name", help: "The local node name (default: uname -n, lower-cased).")
    var node: String?

    @Option("state-dir", valueName: "dir", help: "Where the node's generation and UUID are kept.")
    var stateDirectory = "/var/lib/heartbeat-lite"

    @Option("run-dir", valueName: "dir", help: "Where the control socket is created.")
    var runDirectory = "/run/heartbeat-lite"

    @OptionGroup var agents: AgentDirectoryOptions

    @Option("resource-timeout", valueName: "seconds", help: "Seconds each resource start or stop may take.")
    var resourceTimeout = Seconds(120)

    @Option(
        "hook-dir", valueName: "dir",
        help: "Scripts run on each transition, with the event and group (default: CONFIG-DIR/notify.d).")
    var hookDirectory: String?

    @Option("hook-timeout", valueName: "seconds", help: "Seconds each transition hook may run before it is killed.")
    var hookTimeout = Seconds(30)

    @Flag("stderr", help: "Also write log lines to standard error.")
    var logToStandardError: Bool

    func run() throws {
        let localNode = (node ?? Check.hostName()).lowercased()
        let options = DaemonOptions(
            configDirectory: configDirectory, node: localNode, stateDirectory: stateDirectory,
            runDirectory: runDirectory,
            locations: agents.locations(configDirectory: configDirectory),
            resourceTimeoutMs: resourceTimeout.milliseconds, logToStandardError: logToStandardError,
            environment: ProcessEnvironment.current(), hookDirectory: hookDirectory, hookTimeoutMs: hookTimeout.milliseconds)
        do {
            let daemon = try FailoverDaemon(options: options)
            let status = try daemon.run()
            if status != 0 { throw ExitCode(status) }
        } catch let error as DaemonError {
            writeStandardError("\(error)\nheartbeat-lite: not started\n")
            throw ExitCode.failure
        } catch let error as ExitCode {
            throw error
        } catch {
            writeStandardError("heartbeat-lite: \(error)\nheartbeat-lite: not started\n")
            throw ExitCode.failure
        }
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "status",
        abstract: "Show nodes, links, groups and their owner, and the last transitions.",
        discussion: "Exits 3 when no daemon answers on the control socket.")

    @OptionGroup var control: ControlOptions

    @Flag("json", help: "Print one JSON document.")
    var json: Bool

    @Flag(
        "prometheus",
        help: "Print the Prometheus text format (ha_cluster_heartbeat_* metrics), for node_exporter's textfile collector.")
    var prometheus: Bool

    func run() throws {
        guard prometheus else { return writeStandardOutput(try control.request(json ? "status json" : "status")) }
        guard !json else {
            writeStandardError("heartbeat-lite: status takes --json or --prometheus, not both\n")
            throw ExitCode.usageError
        }
        do {
            writeStandardOutput(PrometheusExposition.render(try StatusReport(json: try control.request("status json"))))
        } catch let error as StatusReport.DecodingError {
            writeStandardError("heartbeat-lite: \(error)\n")
            throw ExitCode.failure
        }
    }
}

/// `standby` and `takeover` share their shape: send, then wait until the end state is reached.
protocol HandoverCommand: ParsableCommand {
    static var verb: String { get }
    var control: ControlOptions { get }
    var set: String { get }
    var wait: Seconds { get }
}

extension HandoverCommand {
    func run() throws {
        writeStandardOutput(try control.request("\(Self.verb) \(set)"))
        guard wait.value > 0 else { return }
        let deadline = MonotonicClock.deadline(afterMilliseconds: wait.milliseconds)
        while MonotonicClock.milliseconds() < deadline {
            let answer = try control.request("settled \(Self.verb) \(set)")
            if answer.hasPrefix("yes") {
                writeStandardOutput(try control.request("status"))
                return
            }
            if answer.hasPrefix("failed") {
                writeStandardError("heartbeat-lite: \(Self.verb) \(set) did not happen: \(answer.dropFirst("failed: ".count))")
                writeStandardOutput(try control.request("status"))
                throw ExitCode.failure
            }
            usleep(50_000)
        }
        writeStandardError("heartbeat-lite: \(Self.verb) \(set) not settled after \(wait) s; see `heartbeat-lite status`\n")
        throw ExitCode.failure
    }
}

struct Standby: HandoverCommand {
    static let verb = "standby"
    static let configuration = CommandConfiguration(
        name: "standby",
        abstract: "Hand groups held here to the peer (heartbeat's hb_standby).",
        discussion: """
            SET is all (the default), local (the groups whose home is this node) or foreign (the \
            peer's groups held here; `failback` is the same). This node releases them, then the \
            peer acquires them: never both at once. Refused while resources are in transition or \
            when no peer is alive. Waits until the peer says it acquired them (see --wait), then \
            prints the status; exits 1 when the hand-over did not happen.
            """)

    @OptionGroup var control: ControlOptions
    @Argument("set", choices: ["all", "local", "foreign"], help: "all, local or foreign.") var set = "all"
    @Option("wait", valueName: "seconds", help: "Seconds to wait for the hand-over to finish (0: do not wait).")
    var wait = Seconds(120)
}

struct Takeover: HandoverCommand {
    static let verb = "takeover"
    static let configuration = CommandConfiguration(
        name: "takeover",
        abstract: "Take groups over from the peer (heartbeat's hb_takeover).",
        discussion: """
            SET is all (the default), local (this node's own groups) or foreign (the peer's). The \
            peer stands by for them, then this node acquires them. With no peer alive, the groups \
            are simply started here. Waits until done (see --wait).
            """)

    @OptionGroup var control: ControlOptions
    @Argument("set", choices: ["all", "local", "foreign"], help: "all, local or foreign.") var set = "all"
    @Option("wait", valueName: "seconds", help: "Seconds to wait for the takeover to finish (0: do not wait).")
    var wait = Seconds(120)
}

struct Cleanup: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "cleanup",
        abstract: "Forget a group's failures on this node and try it here again (Pacemaker's crm_resource --cleanup).",
        discussion: """
            A group whose start failed here, or which the resource monitor handed to the peer \
            after migration_threshold failures, is not started on this node again until this \
            command (or until the peer dies: then every group is tried once more). cleanup \
            forgets the group's failures and fail counts here; if no node holds the group, this \
            node starts it at once. Run it on each node where the group failed. GROUP is the \
            group's first haresources resource, as `status` shows it.
            """)

    @OptionGroup var control: ControlOptions
    @Argument("group", help: "The group, as status names it.") var group = ""

    func run() throws {
        guard !group.isEmpty else {
            writeStandardError("heartbeat-lite: cleanup needs GROUP (see `heartbeat-lite status`)\n")
            throw ExitCode.usageError
        }
        writeStandardOutput(try control.request("cleanup \(group)"))
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "check",
        abstract: "Check ha.cf, haresources and authkeys as the daemon would, and show the resource groups.",
        discussion: """
            Every problem is reported as FILE:LINE: message, all of them, not only the first; the \
            exit status is 1 when there is any. For a valid configuration, each node's group is \
            printed as it will be run: the agent (ocf:hakit:IPaddr for IP addresses, heartbeat:NAME \
            for resource.d and init.d scripts) and its parameters, in start order. A script that is \
            in neither --resource-dir nor --init-dir, or is not an executable file, is a problem: \
            it would fail the group at takeover.
            """)

    @Option("config-dir", valueName: "dir", help: "The directory holding ha.cf, haresources and authkeys.")
    var configDirectory = "/etc/ha.d"

    @Option("node", valueName: "name", help: "The local node name (default: uname -n, lower-cased).")
    var node: String?

    @OptionGroup var agents: AgentDirectoryOptions

    func run() throws {
        let localNode = (node ?? Self.hostName()).lowercased()
        let configuration: HeartbeatConfiguration
        do {
            // The same checks `run` makes before it opens anything, so that the unit's
            // ExecStartPre refuses exactly what would make the service fail.
            let locations = agents.locations(configDirectory: configDirectory)
            configuration = try DaemonConfiguration(
                configDirectory: configDirectory, node: localNode, locations: locations
            ).configuration
        } catch {
            writeStandardError(error.errors.map { "\($0)\n" }.joined())
            writeStandardError("heartbeat-lite: \(error.errors.count) problem(s) in \(configDirectory); nothing would be started\n")
            throw ExitCode.failure
        }
        writeStandardOutput(ConfigurationReport.render(configuration))
    }

    static func hostName() -> String {
        var names = utsname()
        uname(&names)
        return withUnsafeBytes(of: names.nodename) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}

// Started as cl_status, hb_standby or hb_takeover: heartbeat's command of that name.
if let status = heartbeatCompatibleCommand(CommandLine.arguments) { exit(status) }

// `--generate-manual [cl_status]`: heartbeat-lite(8) or cl_status(8), from the declarations (make man).
if CommandLine.arguments.dropFirst().first == "--generate-manual" {
    switch Array(CommandLine.arguments.dropFirst(2)) {
    case []: writeStandardOutput(heartbeatLite.manualPage())
    case ["cl_status"]: writeStandardOutput(HeartbeatCommands.clStatusManual)
    default:
        writeStandardError("heartbeat-lite: --generate-manual takes nothing or cl_status\n")
        exit(ExitCode.usageError.rawValue)
    }
    exit(0)
}

// `--generate-completion-script bash [cl_status|hb_standby|hb_takeover]`: the bash completion of
// heartbeat-lite or of heartbeat's command name, from the declarations (make completion).
if CommandLine.arguments.dropFirst().first == "--generate-completion-script" {
    let generator = CommandLine.arguments.dropFirst().prefix(3).joined(separator: " ")
    let words = Array(CommandLine.arguments.dropFirst(2))
    let completion = words == ["bash"] ? heartbeatLite.bashCompletion
        : words.count == 2 && words[0] == "bash" ? HeartbeatCommands.bashCompletion(for: words[1]) : nil
    if let completion {
        writeStandardOutput(completion.script(generator: "heartbeat-lite \(generator)"))
    } else {
        writeStandardError("heartbeat-lite: --generate-completion-script takes bash, then nothing, cl_status, hb_standby or hb_takeover\n")
        exit(ExitCode.usageError.rawValue)
    }
    exit(0)
}

// The one place errors become exit statuses: a usage error is 64 with the usage on stderr, a
// command's ExitCode is its status, anything else 1.
do {
    switch try heartbeatLite.parse(Array(CommandLine.arguments.dropFirst())) {
    case .help(let text): writeStandardOutput(text)
    case .run(let command): try command.run()
    }
    exit(ExitCode.success.rawValue)
} catch let error as CommandLineError {
    writeStandardError(heartbeatLite.report(error))
    exit(ExitCode.usageError.rawValue)
} catch let status as ExitCode {
    exit(status.rawValue)
} catch {
    writeStandardError("heartbeat-lite: \(error)\n")
    exit(ExitCode.failure.rawValue)
}
