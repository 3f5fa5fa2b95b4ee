import ArgumentParser
import HAKitSystem
import OCF
import Runner

#if canImport(Glibc)
import Glibc
#endif

struct OCFRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocf-run",
        abstract: "Run one action of an OCF resource agent the way Pacemaker's executor does.",
        discussion: """
            Resource classes: ocf:PROVIDER:TYPE (or a path to an OCF agent), lsb:NAME (an init \
            script; monitor is sent as status and its codes mapped as Pacemaker maps them), \
            heartbeat:NAME::ARG… (a heartbeat v1 resource script, looked up in /etc/ha.d/resource.d \
            then /etc/init.d; running is judged from what status prints), and systemd:UNIT (a \
            systemd unit, .service implied without a suffix, driven over D-Bus: start writes the \
            runtime drop-in /run/systemd/system/UNIT.d/50-hakit.conf with Restart=no, reloads and \
            waits for systemd's start job; stop removes it and waits for the stop job; monitor \
            reads ActiveState, re-read while activating or deactivating). Meta-data of these \
            classes is synthesised.

            An OCF agent runs as a child in its own process group with exactly the environment \
            Pacemaker sets (OCF_ROOT, OCF_RA_VERSION_MAJOR/MINOR, OCF_RESOURCE_INSTANCE/TYPE/PROVIDER, \
            OCF_RESKEY_<name> for each parameter, OCF_RESKEY_CRM_meta_timeout and _interval in ms); \
            OCF_* variables of the caller are not passed on. On timeout the whole group gets SIGTERM, \
            then SIGKILL after --kill-after.

            The agent's output is passed through and a summary line goes to standard error. ocf-run \
            exits with the agent's own code, so scripts can use it; a timed-out or signalled action \
            exits 1, as Pacemaker counts it, and --check exits 1 when the contract is broken.

            Examples:
              ocf-run ocf:hakit:Dummy start state=/run/dummy.state
              ocf-run --check ocf:heartbeat:IPaddr2 start ip=203.0.113.10 cidr_netmask=24
              ocf-run --interval 10000 --count 3 ocf:hakit:Dummy monitor
              ocf-run --json ./my-agent meta-data
              ocf-run lsb:apache2 monitor
              ocf-run heartbeat:IPaddr::203.0.113.10/24 start
              ocf-run --check systemd:apache2 start
            """)

    @Option(name: .long, help: "Operation timeout: 20s, 500ms, 2m (a bare number is seconds).")
    var timeout: String = "20s"

    @Option(name: .customLong("kill-after"), help: "Grace between SIGTERM and SIGKILL after a timeout.")
    var killAfter: String = "2s"

    @Option(name: [.short, .customLong("name")], help: "Resource instance name (default: the agent type).")
    var name: String?

    @Option(name: .customLong("ocf-root"), help: "OCF root holding resource.d/PROVIDER/TYPE.")
    var ocfRoot: String = "/usr/lib/ocf"

    @Option(name: .customLong("init-dir"), help: "Where lsb:NAME scripts are (and heartbeat's fallback).")
    var initDirectory: String = "/etc/init.d"

    @Option(name: .customLong("ha-resource-dir"), help: "Where heartbeat:NAME scripts are looked up first.")
    var haResourceDirectory: String = "/etc/ha.d/resource.d"

    @Option(
        name: .customLong("systemd-bus"),
        help: "D-Bus address of systemd's bus for systemd:UNIT (default: the system bus).")
    var systemdBus: String?

    @Option(
        name: .customLong("systemd-runtime-dir"),
        help: "That systemd's runtime unit directory, where systemd:UNIT drop-ins go.")
    var systemdRuntimeDirectory: String = "/run/systemd/system"

    @Option(name: .long, help: "Interval in ms, passed as CRM_meta_interval; 0 makes a monitor a probe.")
    var interval: Int = 0

    @Option(name: .long, help: "Run the action this many times, --interval ms apart (recurring monitor).")
    var count: Int = 1

    @Option(name: .long, help: "OCF_CHECK_LEVEL for monitor (0, 10, 20).")
    var depth: Int?

    @Option(name: .customLong("meta"), help: "A meta-attribute NAME=VALUE, passed as CRM_meta_NAME (repeatable).")
    var meta: [String] = []

    @Flag(name: .long, help: "Judge the result against the OCF contract (valid codes, meta-data, state after start/stop).")
    var check = false

    @Flag(name: .long, help: "Print one JSON object per run on standard output.")
    var json = false

    @Flag(name: [.short, .long], help: "Only print the summary line when the action did not succeed.")
    var quiet = false

    @Argument(
        help: "The agent: ocf:PROVIDER:TYPE, lsb:NAME, heartbeat:NAME[::ARG…], systemd:UNIT, or a path to an OCF agent.")
    var agent: String

    @Argument(help: "The action: start, stop, monitor, meta-data, validate-all, …")
    var action: String

    @Argument(help: "Instance parameters NAME=VALUE, passed as OCF_RESKEY_NAME.")
    var parameters: [String] = []

    func run() throws {
        let spec: AgentSpec
        do {
            spec = try AgentSpec(
                parsing: agent,
                locations: AgentLocations(
                    ocfRoot: ocfRoot, initDirectory: initDirectory, haResourceDirectory: haResourceDirectory))
        } catch {
            throw ValidationError(error.description)
        }
        if spec.standard != .ocf && !parameters.isEmpty {
            throw ValidationError("\(spec.standard.rawValue) resources take no NAME=VALUE parameters (\(agent))")
        }
        guard let timeoutMs = parseDurationMilliseconds(timeout), timeoutMs > 0 else {
            throw ValidationError("--timeout \(timeout) is not a duration such as 20s or 500ms")
        }
        guard let graceMs = parseDurationMilliseconds(killAfter) else {
            throw ValidationError("--kill-after \(killAfter) is not a duration such as 2s")
        }
        let longest = MonotonicClock.longestDurationMilliseconds
        guard timeoutMs <= longest, graceMs <= longest, interval <= longest else {
            throw ValidationError(
                "--timeout, --kill-after and --interval may be at most \(longest) ms (49 days), as in Pacemaker")
        }
        guard count >= 1, interval >= 0 else { throw ValidationError("--count must be at least 1, --interval at least 0") }
        let request = ActionRequest(
            agent: spec, action: OCFAction(rawValue: action), parameters: try pairs(parameters, what: "parameter"),
            instance: name, ocfRoot: ocfRoot, timeoutMilliseconds: timeoutMs, intervalMilliseconds: interval,
            checkLevel: depth, meta: try pairs(meta, what: "--meta"), killGraceMilliseconds: graceMs)
        let session = RunSession(
            options: RunOptions(
                request: request, count: count, check: check, json: json, quiet: quiet,
                systemd: SystemdOptions(busAddress: systemdBus, runtimeUnitDirectory: systemdRuntimeDirectory)),
            environment: ProcessEnvironment.current())
        throw ExitCode(session.run())
    }

    func pairs(_ items: [String], what: String) throws -> [(name: String, value: String)] {
        try items.map { item in
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw ValidationError("\(what) \"\(item)\" is not NAME=VALUE")
            }
            return (String(item[..<equals]), String(item[item.index(after: equals)...]))
        }
    }
}


// `--generate-manual`: this tool's man page, from the same declarations as its help (make man).
if CommandLine.arguments.count == 2, CommandLine.arguments[1] == "--generate-manual" {
    do {
        writeStandardOutput(try ToolManual.forRunningExecutable(seeAlso: [("ocf-conformance", "8"), ("heartbeat-lite", "8"), ("ocf_hakit_IPaddr2", "7")]))
        exit(0)
    } catch {
        writeStandardError("\(error)\n")
        exit(1)
    }
}
OCFRun.main()
