import OCF
import Runner

/// The state of one suite run: the session, what was recorded, and whether the resource may be
/// running. The checks themselves are in the `SuiteRun+…` extensions.
struct SuiteRun {
    /// What to test and how.
    let options: ConformanceOptions
    /// A private directory for wrappers and the meta-data document.
    let scratchDirectory: String
    /// Told about each entry as it is recorded.
    let observer: (ReportEntry) -> Void
    /// Runs the agent.
    var session: AgentSession
    /// Everything recorded so far.
    private(set) var entries: [ReportEntry] = []
    /// Whether an action that may have left the resource running was run since it was last
    /// seen stopped.
    var mayBeRunning = false
    /// The node name passed in the notify and migrate meta-attributes.
    let nodeName = Host.nodeName

    /// Creates a run; the session gets the options' instance, parameters and OCF root.
    init(options: ConformanceOptions, scratchDirectory: String, observer: @escaping (ReportEntry) -> Void) {
        self.options = options
        self.scratchDirectory = scratchDirectory
        self.observer = observer
        let template = ActionRequest(
            agent: options.agent, action: .monitor, parameters: options.parameters, instance: options.instance,
            ocfRoot: options.ocfRoot)
        session = AgentSession(executor: Executor(baseEnvironment: options.environment), template: template)
    }

    /// The interval recurring monitors run with (see `AgentMetadata.recurringMonitorIntervalMilliseconds`).
    var monitorInterval: Int {
        session.metadata?.recurringMonitorIntervalMilliseconds ?? AgentMetadata.defaultMonitorIntervalMilliseconds
    }

    /// Records a verdict.
    mutating func record(_ check: ConformanceCheck) {
        entries.append(.check(check))
        observer(.check(check))
    }

    /// Records a note.
    mutating func note(_ text: String) {
        entries.append(.note(text))
        observer(.note(text))
    }

    /// Runs an action; an agent that cannot be started at all is a failed check and ends the run.
    mutating func run(
        _ action: OCFAction, interval: Int = 0, parameters: [(name: String, value: String)]? = nil,
        meta: [(name: String, value: String)] = [], agent: AgentSpec? = nil
    ) throws(SuiteAbort) -> ActionResult {
        do {
            let result = try session.run(action, interval: interval, parameters: parameters, meta: meta, agent: agent)
            if options.verbose { trace(result) }
            return result
        } catch {
            record(
                ConformanceCheck(
                    passed: false, action: action.rawValue, seen: "not run", expected: "runs", title: "run the agent",
                    detail: error.description))
            throw SuiteAbort(reason: error.description)
        }
    }

    /// Runs an action and records whether it returned one of the expected codes.
    ///
    /// - Parameter abortOnFailure: end the run when the check fails (ocf-tester aborts after a
    ///   failed start or stop, because nothing after it would mean anything).
    @discardableResult
    mutating func expect(
        _ action: OCFAction, _ expected: [OCFExitCode], _ title: String, interval: Int = 0,
        parameters: [(name: String, value: String)]? = nil, meta: [(name: String, value: String)] = [],
        agent: AgentSpec? = nil, abortOnFailure: Bool = false
    ) throws(SuiteAbort) -> ActionResult {
        let result = try run(action, interval: interval, parameters: parameters, meta: meta, agent: agent)
        let check = ConformanceCheck(result: result, expected: expected, title: title)
        record(check)
        if !check.passed && abortOnFailure {
            throw SuiteAbort(reason: "\(title) failed (\(check.seen))")
        }
        return result
    }

    /// A verbose trace of one run: the action, its code and time, and what it wrote to stderr.
    private mutating func trace(_ result: ActionResult) {
        let interval = result.request.intervalMilliseconds
        var text = "ran \(result.request.action)\(interval > 0 ? " (interval \(interval) ms)" : ""): "
        text += "\(ConformanceCheck.describe(result)) in \(milliseconds(result.elapsedMilliseconds)) ms"
        note(text)
        for line in result.errorOutput.split(separator: "\n").prefix(20) { note("  | \(line)") }
    }
}

/// Milliseconds with one decimal.
func milliseconds(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}
