import OCF
import Runner

extension SuiteRun {
    /// An action no agent implements; the contract says 3.
    static let unknownAction = OCFAction(rawValue: "no-such-action")

    /// validate-all with the given parameters, then without each required parameter, and an
    /// unknown action.
    mutating func checkValidation() throws(SuiteAbort) {
        let validate = try expect(.validateAll, [.success], "validate-all with the given parameters")
        if validate.code == .unimplemented {
            note("not checked: required parameters left out (they are checked with validate-all)")
        } else if validate.code != .success || validate.timedOut {
            // As ocf-tester: nothing after this means anything without a valid configuration.
            throw SuiteAbort(reason: "validate-all failed; are all required parameters given with -o?")
        } else {
            try checkRequiredParameters()
        }
        try expect(Self.unknownAction, [.unimplemented], "an unknown action")
    }

    /// Each required parameter left out must make validate-all fail with 6. 5 is accepted too:
    /// resource-agents' agents report a missing parameter that names a program as "not installed".
    private mutating func checkRequiredParameters() throws(SuiteAbort) {
        for parameter in session.metadata?.parameters ?? [] where parameter.required {
            let without = options.parameters.filter { $0.name != parameter.name }
            try expect(
                .validateAll, [.notConfigured, .notInstalled],
                "validate-all without the required parameter \(parameter.name)",
                parameters: without)
        }
    }

    /// Finds the resource stopped (stopping it first if it runs, as ocf-tester does), then checks
    /// monitor and probes on it.
    mutating func checkInitialState() throws(SuiteAbort) {
        let current = try run(.monitor, interval: monitorInterval)
        switch current.code {
        case .notRunning where !current.timedOut:
            break
        case .unimplemented:
            record(ConformanceCheck(result: current, expected: [.notRunning], title: "monitor on the initial resource"))
            throw SuiteAbort(reason: "monitor is not implemented")
        case .runningPromoted:
            note("the resource was running promoted; demoting and stopping it first")
            mayBeRunning = true
            try expect(.demote, [.success], "demote the resource found promoted", abortOnFailure: true)
            try expect(.stop, [.success], "stop the resource found running", abortOnFailure: true)
        default:
            note("the resource was not stopped (monitor: \(ConformanceCheck.describe(current))); stopping it first")
            mayBeRunning = true
            try expect(.stop, [.success], "stop the resource found running", abortOnFailure: true)
        }
        try expect(.monitor, [.notRunning], "monitor on a stopped resource", interval: monitorInterval)
        try expect(.monitor, [.notRunning], "probe (interval 0) on a stopped resource")
        try expect(
            .monitor, [.notRunning, .notInstalled], "probe on a stopped resource with binaries missing",
            agent: noBinariesAgent())
    }

    /// start, start again, stop, stop again, with monitors and probes between, and the optional
    /// actions while the resource runs.
    mutating func checkLifecycle() throws(SuiteAbort) {
        let interval = monitorInterval
        mayBeRunning = true
        try expect(.start, [.success], "start on a stopped resource", abortOnFailure: true)
        try expect(.monitor, [.success], "monitor on a running resource", interval: interval)
        try expect(.monitor, [.success], "probe (interval 0) on a running resource")
        try expect(.start, [.success], "start again on a running resource")
        try expect(.monitor, [.success], "monitor after starting twice", interval: interval)

        try checkOptionalActions()

        try expect(.stop, [.success], "stop on a running resource", abortOnFailure: true)
        mayBeRunning = false
        try expect(.monitor, [.notRunning], "monitor after stop", interval: interval)
        try expect(.stop, [.success], "stop again on a stopped resource")
        try expect(.monitor, [.notRunning], "monitor after stopping twice", interval: interval)
        try expect(.monitor, [.notRunning], "probe (interval 0) after stopping twice")
    }

    /// Stops the resource if anything may have left it running, so the run ends as it found it
    /// (ocf-tester leaves a Dummy running after its migrate_from).
    mutating func leaveStopped() {
        guard mayBeRunning else { return }
        guard let monitor = try? run(.monitor, interval: monitorInterval) else { return }
        if monitor.code == .notRunning && !monitor.timedOut { return }
        note("the resource may still run (monitor: \(ConformanceCheck.describe(monitor))); stopping it")
        guard let stop = try? run(.stop) else { return }
        if stop.code != .success || stop.timedOut {
            record(ConformanceCheck(result: stop, expected: [.success], title: "stop to leave the resource stopped"))
        }
    }

    /// Every run finished within the timeout its action advertises (Pacemaker's 20 s default for
    /// actions without one); a timed-out run never does.
    mutating func checkTiming() {
        let runs = session.runs
        guard let slowest = runs.max(by: { $0.elapsedMilliseconds < $1.elapsedMilliseconds }) else { return }
        var late: [String] = []
        for result in runs {
            let limit = session.timeoutMilliseconds(for: result.request.action)
            if result.timedOut || result.elapsedMilliseconds > Double(limit) {
                late.append(
                    "\(result.request.action) took \(milliseconds(result.elapsedMilliseconds)) ms of \(limit) ms")
            }
        }
        let slowestText = "\(slowest.request.action) \(milliseconds(slowest.elapsedMilliseconds)) ms"
        let title = "every action finished within its advertised timeout (\(runs.count) runs; slowest \(slowestText))"
        record(
            ConformanceCheck(
                passed: late.isEmpty, action: "(all)", seen: late.isEmpty ? "in time" : "\(late.count) late",
                expected: "in time", title: title, detail: late.isEmpty ? nil : late.joined(separator: "; ")))
    }
}
