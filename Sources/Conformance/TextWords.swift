/// Small text helpers for the case-file reader.
extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (and a carriage return).
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }

    /// The words, split at runs of spaces and tabs.
    func words() -> [String] {
        String(self).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    /// The first word and the rest of the (trimmed) text after it.
    func splitKeyword() -> (String, String) {
        let text = trimmingSpaces()
        guard let space = text.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return (text, "") }
        return (String(text[..<space]), text[space...].trimmingSpaces())
    }

    /// The text after the first `count` words, as written (inner spacing kept).
    func dropWords(_ count: Int) -> String {
        var rest = Substring(trimmingSpaces())
        for _ in 0..<count {
            rest = rest.drop { $0 != " " && $0 != "\t" }
            rest = rest.drop { $0 == " " || $0 == "\t" }
        }
        return String(rest)
    }
}
