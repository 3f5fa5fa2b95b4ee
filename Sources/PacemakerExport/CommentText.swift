/// Comment text shared by the three renderers: the header, the notes, word-wrapped.
enum CommentText {
    /// The widest comment line, without its `# ` or `<!-- ` prefix.
    static let width = 96

    /// `lines` with each line longer than `width` broken at spaces (a longer word stays whole); the
    /// continuation keeps the line's indentation, two more spaces.
    static func wrap(_ lines: [String]) -> [String] {
        lines.flatMap { line -> [String] in
            let indent = String(line.prefix { $0 == " " })
            var result: [String] = []
            var current = indent
            for word in line.dropFirst(indent.count).split(separator: " ") {
                if current.count > indent.count && current.count + 1 + word.count > width {
                    result.append(current)
                    current = indent + "  " + word
                } else {
                    current += current.count > indent.count ? " " + word : String(word)
                }
            }
            result.append(current)
            return result
        }
    }

    /// What the file is and how to load it, then every note.
    static func header(_ configuration: PacemakerConfiguration, format: String, load: [String]) -> [String] {
        var lines = ["Pacemaker configuration (\(format)) exported by heartbeat-lite from \(configuration.origin)."]
        lines += load
        lines.append("")
        lines.append("Not translated (no Pacemaker equivalent, or it belongs in corosync.conf):")
        for note in configuration.notes {
            let prefix = note.source.map { "\($0): " } ?? ""
            lines.append("- " + prefix + (note.lines.first ?? ""))
            lines += note.lines.dropFirst().map { "  " + $0 }
        }
        return wrap(lines)
    }

    /// The ping clone and rule, as text to comment out, introduced by a line saying what it is.
    static func pingIntroduction(_ suggestion: PingSuggestion) -> [String] {
        wrap([
            "Suggested for heartbeat's ping nodes (\(suggestion.hosts.joined(separator: " "))): a ping clone "
                + "sets pingd on each node, and each group avoids nodes that reach none of them. To use it, remove the "
                + "leading # of the lines below."
        ])
    }
}

/// One `word` for /bin/sh: unquoted when it is made of safe characters only, else single-quoted.
func shellWord(_ word: String) -> String {
    let safe = word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_./:=@%+,-".contains($0)) }
    if safe && !word.isEmpty { return word }
    return "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
}
