import HAKitSystem
import OCF

/// What `ocf-run` was asked to do, after its arguments were parsed.
public struct RunOptions: Sendable {
    /// The first request (repeated `count` times for a recurring monitor).
    public var request: ActionRequest
    /// How many times to run it.
    public var count: Int
    /// Judge the results against the contract.
    public var check: Bool
    /// One JSON object per run on standard output instead of the human report.
    public var json: Bool
    /// Leave out the summary lines.
    public var quiet: Bool
    /// Where `systemd:` resources reach systemd.
    public var systemd: SystemdOptions

    /// Creates options.
    public init(
        request: ActionRequest, count: Int = 1, check: Bool = false, json: Bool = false, quiet: Bool = false,
        systemd: SystemdOptions = SystemdOptions()
    ) {
        self.request = request
        self.count = count
        self.check = check
        self.json = json
        self.quiet = quiet
        self.systemd = systemd
    }
}

/// Runs what `ocf-run` was asked and reports it; returns the exit status.
///
/// The status is the agent's own exit code (1 for a timeout or a signal, as Pacemaker counts
/// them), and 1 when `--check` found the contract broken.
public struct RunSession {
    let options: RunOptions
    let executor: Executor

    /// Creates a session whose agents inherit `environment`.
    public init(options: RunOptions, environment: [String: String]) {
        self.options = options
        executor = Executor(baseEnvironment: environment, systemd: options.systemd)
    }

    /// Runs all the requested iterations.
    public func run() -> Int32 {
        var status: Int32 = 0
        for iteration in 0..<max(1, options.count) {
            if iteration > 0 { MonotonicClock.sleep(milliseconds: options.request.intervalMilliseconds) }
            let result: ActionResult
            do {
                result = try executor.run(options.request)
            } catch {
                writeStandardError("ocf-run: cannot run \(options.request.agent): \(error)\n")
                return OCFExitCode.notInstalled.rawValue
            }
            status = report(result)
        }
        return status
    }

    private func report(_ result: ActionResult) -> Int32 {
        var status = result.code.rawValue
        var findings: [Finding]?
        var followUps: [ActionResult] = []
        if options.check {
            let verdict = ContractCheck(executor: executor).judge(result)
            findings = verdict.findings
            followUps = verdict.followUps
            if verdict.findings.contains(where: { !$0.passed }) && status == 0 { status = 1 }
        }
        if options.json {
            writeStandardOutput(result.json(findings: findings, followUps: followUps) + "\n")
            return status
        }
        writeStandardOutput(result.output)
        writeStandardError(result.errorOutput)
        if !options.quiet || result.code != .success { writeStandardError("ocf-run: \(result.summary)\n") }
        for followUp in followUps { writeStandardError("ocf-run: check ran \(followUp.summary)\n") }
        for finding in findings ?? [] {
            writeStandardError("ocf-run: check \(finding.passed ? "ok  " : "FAIL") \(finding.message)\n")
        }
        return status
    }
}
