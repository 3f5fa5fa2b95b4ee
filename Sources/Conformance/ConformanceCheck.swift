import OCF
import Runner

/// One verdict of the conformance suite: what was checked, on which action, what was seen and
/// what the OCF contract expects.
public struct ConformanceCheck: Sendable, Hashable {
    /// Whether the contract held.
    public var passed: Bool
    /// The action the check is about (`start`, `meta-data`, …).
    public var action: String
    /// What was seen: `0 OCF_SUCCESS`, `timed out after 20000 ms`, `invalid`.
    public var seen: String
    /// What the contract expects: `0`, `7 or 5`, `valid`.
    public var expected: String
    /// The exit code seen, when the check is about one.
    public var seenCode: OCFExitCode?
    /// The exit codes accepted, when the check is about one.
    public var expectedCodes: [OCFExitCode]
    /// What was checked, for a person: `start on a stopped resource`.
    public var title: String
    /// Why it failed (the agent's exit reason, a validator's message), or extra facts.
    public var detail: String?

    /// A check on something other than an exit code (meta-data contents, timing).
    public init(
        passed: Bool, action: String, seen: String, expected: String, title: String, detail: String? = nil
    ) {
        self.passed = passed
        self.action = action
        self.seen = seen
        self.expected = expected
        seenCode = nil
        expectedCodes = []
        self.title = title
        self.detail = detail
    }

    /// A check of an action's exit code against the codes the contract allows. A timed-out or
    /// signalled action never passes, whatever code it is counted as.
    public init(result: ActionResult, expected: [OCFExitCode], title: String) {
        let timely = !result.timedOut && result.signal == nil
        passed = timely && expected.contains(result.code)
        action = result.request.action.rawValue
        seen = Self.describe(result)
        self.expected = Self.describe(expected)
        seenCode = result.code
        expectedCodes = expected
        self.title = title
        detail = passed ? nil : Self.reason(result)
    }

    /// `0 OCF_SUCCESS`, or how the run ended when it did not exit by itself.
    static func describe(_ result: ActionResult) -> String {
        if result.timedOut { return "timed out after \(result.request.timeoutMilliseconds) ms" }
        if let signal = result.signal { return "killed by signal \(signal)" }
        return "\(result.code.rawValue) \(result.code)"
    }

    /// `0`, `7 or 5`.
    static func describe(_ codes: [OCFExitCode]) -> String {
        codes.map { String($0.rawValue) }.joined(separator: " or ")
    }

    /// Why an action failed: its exit reason, else the last line it wrote to standard error,
    /// shortened; `nil` for an action that succeeded (what it logged then is no reason).
    static func reason(_ result: ActionResult) -> String? {
        guard result.code != .success || result.timedOut else { return nil }
        let text =
            result.exitReason
            ?? result.errorOutput.split(separator: "\n").last(where: { !$0.allSatisfy(\.isWhitespace) }).map(
                String.init)
        guard let text else { return nil }
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }

    /// The report line: status, action, code seen, code expected, what was checked:
    /// `PASS  start          0 OCF_SUCCESS            expected 0           start on a stopped resource`.
    public var line: String {
        var text = "\(passed ? "PASS" : "FAIL")  \(padded(action, 14)) \(padded(seen, 24)) "
        text += "expected \(padded(expected, 11)) \(title)"
        if let detail { text += ": \(detail)" }
        return text
    }

    /// The check as one JSON object.
    public var json: String {
        JSONWriter.object([
            ("passed", passed ? "true" : "false"),
            ("action", JSONWriter.string(action)),
            ("seen", JSONWriter.string(seen)),
            ("seen_rc", seenCode.map { String($0.rawValue) } ?? "null"),
            ("expected", JSONWriter.string(expected)),
            ("expected_rc", JSONWriter.array(expectedCodes.map { String($0.rawValue) })),
            ("check", JSONWriter.string(title)),
            ("detail", JSONWriter.optional(detail)),
        ])
    }
}

/// Pads text with spaces to a width (longer text is kept whole).
func padded(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}
