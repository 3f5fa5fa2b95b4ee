import Runner
/// One line of a conformance run as it happens: a verdict, or a note for a person.
public enum ReportEntry: Sendable, Hashable {
    /// A verdict, counted in the summary.
    case check(ConformanceCheck)
    /// Information that is not a verdict: a skipped check, a clean-up step, a verbose trace.
    case note(String)

    /// The text line.
    public var line: String {
        switch self {
        case .check(let check): check.line
        case .note(let text): "      " + text
        }
    }
}

/// Everything a conformance run found about one agent.
public struct ConformanceReport: Sendable {
    /// The agent as given.
    public var agent: String
    /// The verdicts and notes, in the order they happened.
    public var entries: [ReportEntry]

    /// The verdicts.
    public var checks: [ConformanceCheck] {
        entries.compactMap { if case .check(let check) = $0 { check } else { nil } }
    }

    /// How many checks passed.
    public var passedCount: Int { checks.filter(\.passed).count }
    /// How many checks failed.
    public var failedCount: Int { checks.count - passedCount }
    /// Whether every check passed.
    public var passed: Bool { failedCount == 0 }

    /// `N passed, N failed`, the closing line.
    public var summaryLine: String { "\(passedCount) passed, \(failedCount) failed" }

    /// The whole report as one JSON document.
    public var json: String {
        let notes = entries.compactMap { if case .note(let text) = $0 { JSONWriter.string(text) } else { nil } }
        return JSONWriter.object([
            ("agent", JSONWriter.string(agent)),
            ("passed", String(passedCount)),
            ("failed", String(failedCount)),
            ("checks", JSONWriter.array(checks.map(\.json))),
            ("notes", JSONWriter.array(notes)),
        ])
    }
}
