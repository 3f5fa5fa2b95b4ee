import OCF
import Runner

/// The ocf-tester style suite for one agent: meta-data, validation, the start/stop/monitor
/// sequence, the optional actions it advertises, an unknown action, and timing.
///
/// It runs every action through Runner's `Executor` and leaves the resource stopped. The checks
/// are listed in `ocf-conformance/README.md`.
public struct ConformanceSuite: Sendable {
    /// What to test and how.
    public var options: ConformanceOptions

    /// Creates a suite.
    public init(options: ConformanceOptions) { self.options = options }

    /// Runs every check, telling `observer` about each verdict and note as it happens.
    public func run(observer: @escaping (ReportEntry) -> Void = { _ in }) -> ConformanceReport {
        let scratch: String
        do {
            scratch = try Host.makeScratchDirectory("check")
        } catch {
            let check = ConformanceCheck(
                passed: false, action: "-", seen: "\(error)", expected: "-", title: "create a scratch directory")
            observer(.check(check))
            return ConformanceReport(agent: options.agent.description, entries: [.check(check)])
        }
        defer { Host.removeScratchDirectory(scratch) }

        var run = SuiteRun(options: options, scratchDirectory: scratch, observer: observer)
        do {
            try run.checkAgentFile()
            try run.checkMetadata()
            try run.checkValidation()
            try run.checkInitialState()
            try run.checkLifecycle()
        } catch {
            run.note("tests aborted: \(error.reason)")
        }
        run.leaveStopped()
        run.checkTiming()
        return ConformanceReport(agent: options.agent.description, entries: run.entries)
    }
}

/// A failure after which the remaining checks make no sense (ocf-tester's "Aborting tests").
struct SuiteAbort: Error {
    /// Why the run stopped.
    var reason: String
}
