/// One physical line of a configuration file, with its 1-based number.
struct ConfigLine: Sendable {
    /// The 1-based line number.
    let number: Int
    /// The text without its line terminator.
    let text: Substring
}

/// Line and token helpers shared by the ha.cf, haresources and authkeys parsers.
enum ConfigText {
    /// Splits a file into lines, dropping `\n` and a `\r` before it.
    static func lines(_ text: String) -> [ConfigLine] {
        var result: [ConfigLine] = []
        var number = 0
        // "\r\n" is one Character in Swift, so it must be named as a separator of its own.
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            var line = raw
            if line.last == "\r" { line = line.dropLast() }
            result.append(ConfigLine(number: number, text: line))
        }
        // A final newline yields one empty trailing piece; it is not a line.
        if let last = result.last, last.text.isEmpty, text.last == "\n" || text.last == "\r\n" {
            result.removeLast()
        }
        return result
    }

    /// heartbeat's WHITESPACE: space, tab, CR, LF, form feed (and vertical tab, harmlessly).
    static func isWhitespace(_ c: Character) -> Bool {
        c == " " || c == "\t" || c == "\r" || c == "\n" || c == "\u{0C}" || c == "\u{0B}"
    }

    /// The text before the first `#`.
    static func stripComment(_ text: Substring) -> Substring {
        if let hash = text.firstIndex(of: "#") { text[..<hash] } else { text }
    }

    /// Whitespace-separated tokens.
    static func tokens(_ text: Substring) -> [Substring] {
        text.split(whereSeparator: isWhitespace)
    }

    /// Tokens separated by whitespace or commas (heartbeat's DELIMS, used for option lists).
    static func listTokens(_ text: Substring) -> [Substring] {
        text.split(whereSeparator: { isWhitespace($0) || $0 == "," })
    }

    /// heartbeat's `cl_str_to_boolean`: true/on/yes/y/1 or false/off/no/n/0, any case.
    static func boolean(_ text: Substring) -> Bool? {
        switch text.lowercased() {
        case "true", "on", "yes", "y", "1": true
        case "false", "off", "no", "n", "0": false
        default: nil
        }
    }

    /// A decimal integer made only of ASCII digits (at most 9), or `nil`.
    static func decimal(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 9, text.allSatisfy(\.isASCIIDigit) else { return nil }
        return Int(text)
    }
}

extension Character {
    /// Whether this is one of `0`…`9`.
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
