import HAKitSystem

/// Variables from shell environment files such as Debian's `/etc/apache2/envvars`, read without
/// running a shell.
///
/// Only assignments are read: `NAME=value` and `export NAME=value`, one per line, with values
/// unquoted, in single quotes, or in double quotes. `$NAME` and `${NAME}` in unquoted and
/// double-quoted values expand from earlier assignments, then from the environment given; other
/// expansions (`${NAME##pattern}`, `$(command)`) expand to nothing. Everything else (conditionals,
/// `unset`, commands) is ignored, and assignments inside `if` blocks all apply in file order.
struct EnvironmentFile: Sendable {
    /// The variables assigned, with their final values.
    var variables: [String: String] = [:]

    /// Reads files in order. A file that is missing, unreadable or no regular file (a FIFO, a
    /// device) is skipped, as the reference skips it (`[ -f "$f" -a -r "$f" ]`).
    ///
    /// - Throws: `FileReadError` for a file larger than `FileSystem.defaultReadLimit`, which the
    ///   reference would source but no environment file needs.
    init(paths: [String], environment: [String: String]) throws(FileReadError) {
        for path in paths {
            let text: String?
            do { text = try FileSystem.read(path) } catch where error.code == .tooLarge { throw error } catch {
                continue
            }
            guard let text else { continue }
            read(text, environment: environment)
        }
    }

    /// Reads assignments from text.
    init(text: String, environment: [String: String]) {
        read(text, environment: environment)
    }

    private mutating func read(_ text: String, environment: [String: String]) {
        for raw in text.split(separator: "\n") {
            var line = raw.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("export ") { line = line.dropFirst("export ".count).drop { $0 == " " } }
            guard let equals = line.firstIndex(of: "="), Self.isName(line[..<equals]) else { continue }
            let name = String(line[..<equals])
            variables[name] = value(line[line.index(after: equals)...], environment: environment)
        }
    }

    private func value(_ text: Substring, environment: [String: String]) -> String {
        var out = ""
        var index = text.startIndex
        var quote: Character?
        while index < text.endIndex {
            let character = text[index]
            index = text.index(after: index)
            switch (quote, character) {
            case (nil, " "), (nil, "\t"), (nil, ";"):
                return out
            case (nil, "'"), (nil, "\""):
                quote = character
            case ("'", "'"), ("\"", "\""):
                quote = nil
            case ("'", _):
                out.append(character)
            case (_, "\\") where index < text.endIndex:
                out.append(text[index])
                index = text.index(after: index)
            case (_, "$"):
                out += expansion(text, &index, environment: environment)
            default:
                out.append(character)
            }
        }
        return out
    }

    /// Expands what follows a `$`, moving `index` past it.
    private func expansion(_ text: Substring, _ index: inout Substring.Index, environment: [String: String]) -> String {
        guard index < text.endIndex else { return "$" }
        let name: Substring
        if text[index] == "{" {
            guard let close = text[index...].firstIndex(of: "}") else {
                index = text.endIndex
                return ""
            }
            name = text[text.index(after: index)..<close]
            index = text.index(after: close)
            guard Self.isName(name) else { return "" }
        } else {
            let end = text[index...].firstIndex { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_")) }
            name = text[index..<(end ?? text.endIndex)]
            guard !name.isEmpty else { return "$" }
            index = end ?? text.endIndex
        }
        return variables[String(name)] ?? environment[String(name)] ?? ""
    }

    private static func isName(_ text: Substring) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}
