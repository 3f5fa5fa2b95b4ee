/// Renders JSON values for the tools' `--json` output.
public enum JSONWriter {
    /// A JSON string literal.
    public static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A string literal, or `null`.
    public static func optional(_ text: String?) -> String { text.map(string) ?? "null" }

    /// An array of already-rendered values.
    public static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }

    /// A JSON object from already-rendered values, keys in the given order.
    public static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { "\(string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }
}

extension ActionResult {
    /// The result as one JSON object; with `--check`, its findings and follow-up runs too.
    public func json(findings: [Finding]? = nil, followUps: [ActionResult] = []) -> String {
        var members: [(String, String)] = [
            ("agent", JSONWriter.string(request.agent.description)),
            ("path", JSONWriter.string(request.agent.path)),
            ("action", JSONWriter.string(request.action.rawValue)),
            ("instance", JSONWriter.string(request.instance)),
            ("rc", String(code.rawValue)),
            ("rc_name", JSONWriter.string(code.description)),
            ("timed_out", timedOut ? "true" : "false"),
            ("signal", signal.map { String($0) } ?? "null"),
            ("elapsed_ms", formatMilliseconds(elapsedMilliseconds)),
            ("exit_reason", exitReason.map(JSONWriter.string) ?? "null"),
            ("stdout", JSONWriter.string(output)),
            ("stderr", JSONWriter.string(errorOutput)),
            ("stdout_truncated", outputCutBytes > 0 ? "true" : "false"),
            ("stdout_cut_bytes", String(outputCutBytes)),
            ("stderr_truncated", errorOutputCutBytes > 0 ? "true" : "false"),
            ("stderr_cut_bytes", String(errorOutputCutBytes)),
        ]
        if let findings {
            members.append(("checks", "[" + findings.map(\.json).joined(separator: ",") + "]"))
            members.append(("follow_ups", "[" + followUps.map { $0.json() }.joined(separator: ",") + "]"))
        }
        return JSONWriter.object(members)
    }
}

extension Finding {
    /// The finding as one JSON object.
    public var json: String {
        JSONWriter.object([("passed", passed ? "true" : "false"), ("message", JSONWriter.string(message))])
    }
}
