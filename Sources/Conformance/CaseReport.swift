import Runner
/// A failed step of a case: where it is written and what went wrong.
public struct CaseFailure: Sendable, Hashable {
    /// `file:line` of the step (with the include line for a step of a block).
    public var location: String
    /// What went wrong.
    public var message: String

    /// `IPaddr2.cases:14: action start: 1 OCF_ERR_GENERIC, expected 0`.
    public var line: String { "\(location): \(message)" }
}

/// How one case went.
public struct CaseOutcome: Sendable, Hashable {
    /// The case file's name (without directories).
    public var file: String
    /// The case title.
    public var title: String
    /// The line of its `CASE` header.
    public var line: Int
    /// The steps that failed; empty when the case passed.
    public var failures: [CaseFailure]
    /// How many steps ran.
    public var stepsRun: Int
    /// Wall time of the whole case, set-up and clean-up included.
    public var elapsedMilliseconds: Double

    /// Whether every step held.
    public var passed: Bool { failures.isEmpty }

    /// The report line: `PASS  IPaddr2.cases:25  start with nic given (6 steps, 412.0 ms)`.
    public var reportLine: String {
        let place = padded("\(file):\(line)", 20)
        let size = "\(stepsRun) steps, \(milliseconds(elapsedMilliseconds)) ms"
        return "\(passed ? "PASS" : "FAIL")  \(place) \(title) (\(size))"
    }

    /// The case as one JSON object.
    public var json: String {
        JSONWriter.object([
            ("file", JSONWriter.string(file)), ("line", String(line)), ("title", JSONWriter.string(title)),
            ("passed", passed ? "true" : "false"), ("steps", String(stepsRun)),
            ("elapsed_ms", milliseconds(elapsedMilliseconds)),
            ("failures", JSONWriter.array(failures.map { JSONWriter.string($0.line) })),
        ])
    }
}

/// How all the cases of a run went.
public struct CaseRunReport: Sendable {
    /// Each case, in the order run.
    public var outcomes: [CaseOutcome]

    /// How many cases passed.
    public var passedCount: Int { outcomes.filter(\.passed).count }
    /// How many cases failed.
    public var failedCount: Int { outcomes.count - passedCount }
    /// Whether every case passed (and at least one ran).
    public var passed: Bool { failedCount == 0 && !outcomes.isEmpty }

    /// `N passed, N failed`, the closing line.
    public var summaryLine: String { "\(passedCount) passed, \(failedCount) failed" }

    /// The whole run as one JSON document.
    public var json: String {
        JSONWriter.object([
            ("passed", String(passedCount)), ("failed", String(failedCount)),
            ("cases", JSONWriter.array(outcomes.map(\.json))),
        ])
    }
}
