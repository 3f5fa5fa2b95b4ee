/// The `${NAME}` variables of a running case, expanded in its statements.
struct CaseVariables {
    /// The names a case file may use.
    static let names: Set<String> = ["NS", "CASE_DIR", "AGENT", "TYPE", "PROVIDER", "OCF_ROOT", "INSTANCE"]

    /// The values.
    var values: [String: String]

    /// Replaces every `${NAME}` of a known variable; other `${…}` (a shell's own) stay as written.
    func expand(_ text: String) -> String {
        guard text.contains("${") else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstRange(of: "${") {
            out += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            if let close = after.firstIndex(of: "}"), let value = values[String(after[..<close])] {
                out += value
                rest = after[after.index(after: close)...]
            } else {
                out += "${"
                rest = after
            }
        }
        return out + rest
    }

    /// The names referenced as `${NAME}` in a text that are not case variables.
    static func unknownReferences(in text: String) -> [String] {
        var unknown: [String] = []
        var rest = Substring(text)
        while let open = rest.firstRange(of: "${") {
            let after = rest[open.upperBound...]
            guard let close = after.firstIndex(of: "}") else { break }
            let name = String(after[..<close])
            if !names.contains(name) { unknown.append(name) }
            rest = after[after.index(after: close)...]
        }
        return unknown
    }
}
