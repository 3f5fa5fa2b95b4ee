import OCF
import Synchronization
import Testing

/// Captures what an agent writes.
final class Capture: Sendable {
    let output = Mutex("")
    let errorOutput = Mutex("")
    var io: AgentIO {
        AgentIO(
            standardOutput: { text in self.output.withLock { $0 += text } },
            standardError: { text in self.errorOutput.withLock { $0 += text } })
    }
    var stdout: String { output.withLock { $0 } }
    var stderr: String { errorOutput.withLock { $0 } }
}

/// Keeps the tags of the entries logged.
final class TagSink: LogSink {
    let tags = Mutex<[String]>([])
    func write(_ entry: LogEntry) { tags.withLock { $0.append(entry.tag) } }
}

/// An agent whose behaviour the environment steers, to reach every dispatch path.
struct ProbeAgent: ResourceAgent {
    static let descriptor = AgentDescriptor(
        name: "ProbeAgent", short: "test agent", long: "test agent",
        parameters: [
            ParameterSpec("name", required: true, short: "required name"),
            ParameterSpec("mode", default: "ok", short: "ok, missing-software, start-fails, throws-other"),
            ParameterSpec("running", .boolean, default: "false", short: "whether monitor finds it running"),
        ],
        actions: [
            ActionSpec(.start, timeout: 20), ActionSpec(.stop, timeout: 20), ActionSpec(.monitor, timeout: 20, interval: 10),
            ActionSpec(.metaData, timeout: 5), ActionSpec(.validateAll, timeout: 20), ActionSpec(.notify, timeout: 5),
        ])

    struct Other: Error {}
    let mode: String
    let running: Bool

    init(context: AgentContext) throws {
        mode = context.parameters.string("mode")!
        running = context.parameters.boolean("running")
        if context.parameters.string("name") == "bad" { throw OCFError.notConfigured("name=bad is not allowed") }
    }

    func validate() throws {
        if mode == "missing-software" { throw OCFError.notInstalled("/usr/sbin/probe-daemon is not installed") }
    }

    func start() throws {
        if mode == "start-fails" { throw OCFError.generic("could not start: port 80 is taken") }
        if mode == "throws-other" { throw Other() }
    }

    func stop() throws {}

    func monitor() throws -> ResourceState {
        if mode == "missing-software" { throw OCFError.notInstalled("/usr/sbin/probe-daemon is not installed") }
        return running ? .running : .notRunning
    }

    func perform(_ action: OCFAction) throws -> OCFExitCode { action == .notify ? .success : .unimplemented }
}

/// ProbeAgent, also callable the heartbeat v1 way: `V1ProbeAgent NAME[/running] ACTION`.
struct V1ProbeAgent: ResourceAgent {
    static var descriptor: AgentDescriptor {
        var descriptor = ProbeAgent.descriptor
        descriptor.name = "V1ProbeAgent"
        descriptor.actions.append(ActionSpec(.status, timeout: 20))
        return descriptor
    }

    let probe: ProbeAgent
    init(context: AgentContext) throws { probe = try ProbeAgent(context: context) }
    func start() throws { try probe.start() }
    func stop() throws {}
    func monitor() throws -> ResourceState { try probe.monitor() }

    static func legacyParameters(_ arguments: [String]) throws -> [String: String]? {
        guard arguments.count == 1 else { throw OCFError.notConfigured("V1ProbeAgent takes one argument, not \(arguments.count)") }
        let parts = arguments[0].split(separator: "/")
        return ["name": String(parts[0]), "running": parts.count > 1 ? "yes" : "no"]
    }
}

@Suite struct LegacyArgumentTests {
    func run(_ arguments: [String], _ variables: [String: String] = [:]) -> (OCFExitCode, Capture) {
        let capture = Capture()
        let code = AgentMain.run(V1ProbeAgent.self, arguments: arguments, environment: OCFEnvironment(variables), io: capture.io)
        return (code, capture)
    }

    @Test func argumentsBeforeTheActionGiveParametersAndTheLastIsTheAction() {
        let (code, capture) = run(["V1ProbeAgent", "n1", "start"], ["OCF_RESKEY_mode": "start-fails"])
        #expect(code == .genericError, "the action is start, and environment parameters still count")
        // heartbeat's wrappers name the instance TYPE_ARGUMENT (the tag of the logged line).
        #expect(capture.stderr.contains("ocf-exit-reason:could not start"))
        let tags = TagSink()
        _ = AgentMain.run(
            V1ProbeAgent.self, arguments: ["V1ProbeAgent", "n1", "start"],
            environment: OCFEnvironment(["OCF_RESKEY_mode": "start-fails"]), sinks: [tags], io: Capture().io)
        #expect(tags.tags.withLock { $0 }.contains { $0.hasPrefix("V1ProbeAgent(V1ProbeAgent_n1)[") })
        #expect(run(["V1ProbeAgent", "n1", "start"]).0 == .success)
        // The arguments win over OCF_RESKEY_name.
        #expect(run(["V1ProbeAgent", "n1", "start"], ["OCF_RESKEY_name": "bad"]).0 == .success)
        let bad = run(["V1ProbeAgent", "bad", "start"])
        #expect(bad.0 == .notConfigured)
        #expect(bad.1.stderr.contains("ocf-exit-reason:name=bad is not allowed"))
    }

    @Test func statusPrintsWhatHeartbeatReads() {
        let running = run(["V1ProbeAgent", "n1/up", "status"])
        #expect(running.0 == .success)
        #expect(running.1.stdout == "V1ProbeAgent n1/up is running\n")
        let stopped = run(["V1ProbeAgent", "n1", "status"])
        #expect(stopped.0 == .notRunning)
        #expect(stopped.1.stdout == "V1ProbeAgent n1 is not running\n")
        let monitor = run(["V1ProbeAgent", "n1/up", "monitor"])
        #expect(monitor.0 == .success)
        #expect(monitor.1.stdout.isEmpty, "only the v1 status call prints")
    }

    @Test func unreadableArgumentsAreAConfigurationErrorExceptForStop() {
        let (code, capture) = run(["V1ProbeAgent", "a", "b", "start"])
        #expect(code == .notConfigured)
        #expect(capture.stderr.contains("ocf-exit-reason:V1ProbeAgent takes one argument, not 2"))
        #expect(run(["V1ProbeAgent", "a", "b", "stop"]).0 == .success)
        #expect(run(["V1ProbeAgent", "a", "b", "meta-data"]).0 == .success)
    }

    @Test func agentsWithoutTheHookIgnoreExtraArguments() {
        let capture = Capture()
        let code = AgentMain.run(
            ProbeAgent.self, arguments: ["ProbeAgent", "monitor", "extra"],
            environment: OCFEnvironment(["OCF_RESKEY_name": "n", "OCF_RESKEY_running": "yes"]), io: capture.io)
        #expect(code == .success)
        #expect(capture.stdout.isEmpty)
    }
}

@Suite struct AgentMainTests {
    func run(_ action: String?, _ variables: [String: String] = [:]) -> (OCFExitCode, Capture) {
        let capture = Capture()
        var environment = ["OCF_RA_VERSION_MAJOR": "1", "OCF_RESOURCE_INSTANCE": "p1", "OCF_RESKEY_name": "n"]
        environment.merge(variables) { $1 }
        let arguments = ["ProbeAgent"] + (action.map { [$0] } ?? [])
        let code = AgentMain.run(
            ProbeAgent.self, arguments: arguments, environment: OCFEnvironment(environment), io: capture.io)
        return (code, capture)
    }

    @Test func noActionPrintsUsageAndReturnsArgs() {
        let (code, capture) = run(nil)
        #expect(code == .invalidArguments)
        #expect(capture.stderr.hasPrefix("usage: ProbeAgent {"))
    }

    @Test func metadataAndUsageNeedNoEnvironment() {
        for action in ["meta-data", "usage", "help"] {
            let capture = Capture()
            let code = AgentMain.run(
                ProbeAgent.self, arguments: ["ProbeAgent", action], environment: OCFEnvironment([:]), io: capture.io)
            #expect(code == .success)
            #expect(!capture.stdout.isEmpty)
            #expect(capture.stderr.isEmpty)
        }
    }

    @Test func unknownAndUnadvertisedActionsAreUnimplemented() {
        #expect(run("frobnicate").0 == .unimplemented)
        let (code, capture) = run("promote")
        #expect(code == .unimplemented)
        #expect(capture.stderr.contains("ocf-exit-reason:action promote is not implemented by ProbeAgent"))
        #expect(run("notify").0 == .success)
    }

    @Test func missingRequiredParameterIsConfiguredError() {
        let (code, capture) = run("validate-all", ["OCF_RESKEY_name": ""])
        #expect(code == .notConfigured)
        #expect(capture.stderr.contains("ocf-exit-reason:required parameter name is missing"))
        // ocf_exit_reason writes the reason to stderr once, and logs it with --ignore-stderr.
        #expect(!capture.stderr.contains("]: ERROR: required parameter name is missing"))
    }

    @Test func badValueFromInitIsReported() {
        let (code, capture) = run("start", ["OCF_RESKEY_name": "bad"])
        #expect(code == .notConfigured)
        #expect(capture.stderr.contains("ocf-exit-reason:name=bad is not allowed"))
    }

    @Test func stopSucceedsWhenTheConfigurationCannotWork() {
        #expect(run("stop", ["OCF_RESKEY_name": ""]).0 == .success)
        #expect(run("stop", ["OCF_RESKEY_name": "bad"]).0 == .success)
    }

    @Test func probeWithMissingSoftwareIsNotRunning() {
        let probe = run("monitor", ["OCF_RESKEY_mode": "missing-software", "OCF_RESKEY_CRM_meta_interval": "0"])
        #expect(probe.0 == .notRunning)
        let recurring = run("monitor", ["OCF_RESKEY_mode": "missing-software", "OCF_RESKEY_CRM_meta_interval": "10000"])
        #expect(recurring.0 == .notInstalled)
        #expect(run("validate-all", ["OCF_RESKEY_mode": "missing-software"]).0 == .notInstalled)
        #expect(run("start", ["OCF_RESKEY_mode": "missing-software"]).0 == .notInstalled)
    }

    @Test func monitorReportsState() {
        #expect(run("monitor").0 == .notRunning)
        #expect(run("monitor", ["OCF_RESKEY_running": "yes"]).0 == .success)
    }

    @Test func thrownErrorsMapToCodesWithReason() {
        let (code, capture) = run("start", ["OCF_RESKEY_mode": "start-fails"])
        #expect(code == .genericError)
        #expect(capture.stderr.hasSuffix("ocf-exit-reason:could not start: port 80 is taken\n"))
        #expect(run("start", ["OCF_RESKEY_mode": "throws-other"]).0 == .genericError)
    }

    @Test func instanceRulesFollowShellfuncs() {
        // Outside a cluster manager the instance is "default"; under one it must be set.
        let capture = Capture()
        let outside = AgentMain.run(
            ProbeAgent.self, arguments: ["ProbeAgent", "monitor"], environment: OCFEnvironment(["OCF_RESKEY_name": "n"]),
            io: capture.io)
        #expect(outside == .notRunning)
        let (code, inside) = run("monitor", ["OCF_RESOURCE_INSTANCE": ""])
        #expect(code == .invalidArguments)
        #expect(inside.stderr.contains("OCF_RESOURCE_INSTANCE is not set"))
    }

    @Test func debugLinesOnlyWithHADebug() {
        let capture = Capture()
        let log = OCFLog(agent: "A", instance: "i", action: "start", debugEnabled: false, sinks: [StandardErrorSink(io: capture.io)], io: capture.io)
        log.debug("hidden")
        log.info("shown")
        #expect(!capture.stderr.contains("hidden"))
        #expect(capture.stderr.contains("A(i)["))
        #expect(capture.stderr.contains("]: INFO: shown"))
        #expect(OCFEnvironment(["HA_DEBUG": "1"]).debugEnabled)
        #expect(!OCFEnvironment(["HA_DEBUG": "0"]).debugEnabled)
    }
}
