/// Help, usage lines and usage errors, rendered from the declarations in swift-argument-parser's layout.
extension CommandLineTool {
    /// The longest line help has: 79 columns, as swift-argument-parser's (an 80-column terminal
    /// may wrap a line that fills its last column).
    static let width = 79
    /// Where an option's help starts: its label is indented by 2 and padded to here.
    static let helpColumn = 26

    /// The help of `command`, or of the tool itself for nil.
    func help(for command: (any ParsableCommand.Type)?) -> String {
        guard let command else {
            return overview(configuration) + usage(for: nil, prefix: "USAGE: ") + "\n\nOPTIONS:\n" + Self.helpEntry
                + "\nSUBCOMMANDS:\n"
                + subcommands.map { Self.entry($0.configuration.name, $0.configuration.abstract) }.joined()
                + "\n  See '\(configuration.name) help <subcommand>' for detailed help.\n"
        }
        let declarations = Self.declarations(of: command)
        var text = overview(command.configuration) + usage(for: command, prefix: "USAGE: ") + "\n\n"
        let positionals = declarations.filter { $0.kind == .positional }
        if !positionals.isEmpty { text += "ARGUMENTS:\n" + positionals.map(Self.entry).joined() + "\n" }
        let options = declarations.filter { $0.kind != .positional }
        return text + "OPTIONS:\n" + options.map(Self.entry).joined() + Self.helpEntry + "\n"
    }

    /// `PREFIX heartbeat-lite run [--config-dir <dir>] …`: options first, then positional
    /// arguments, wrapped below the command's name.
    func usage(for command: (any ParsableCommand.Type)?, prefix: String) -> String {
        guard let command else { return "\(prefix)\(configuration.name) <subcommand>" }
        let declarations = Self.declarations(of: command)
        let ordered = declarations.filter { $0.kind != .positional } + declarations.filter { $0.kind == .positional }
        let head = "\(prefix)\(configuration.name) \(command.configuration.name)"
        return Self.wrap([head] + ordered.map { "[\($0.label)]" }, indent: head.count + 1).joined(separator: "\n")
    }

    /// What main writes to standard error for a usage error: the problem, the help of the
    /// argument at fault if there is one, the usage line and where to read more.
    func report(_ error: CommandLineError) -> String {
        var text = "Error: \(error.message)\n"
        if let declaration = error.declaration {
            text += "Help:  \(declaration.label)  \(Self.helpText(declaration))\n"
        }
        let commandName = configuration.name + (error.command.map { " \($0)" } ?? "")
        return text + usage(for: subcommand(of: error), prefix: "Usage: ")
            + "\n  See '\(commandName) --help' for more information.\n"
    }

    private func overview(_ configuration: CommandConfiguration) -> String {
        var text = Self.paragraphs("OVERVIEW: \(configuration.abstract)") + "\n\n"
        if !configuration.discussion.isEmpty { text += Self.paragraphs(configuration.discussion) + "\n\n" }
        return text
    }

    private static func declarations(of command: any ParsableCommand.Type) -> [ArgumentDeclaration] {
        ArgumentBinding.all(in: command.init()).map(\.declaration)
    }

    private static let helpEntry = entry("-h, --help", "Show help information.")

    private static func helpText(_ declaration: ArgumentDeclaration) -> String {
        declaration.help + (declaration.defaultText.map { " (default: \($0))" } ?? "")
    }

    private static func entry(_ declaration: ArgumentDeclaration) -> String {
        entry(declaration.label, helpText(declaration))
    }

    /// `  LABEL   HELP`, the help wrapped in its column; a label too wide for the column puts the
    /// help on the next line.
    private static func entry(_ label: String, _ help: String) -> String {
        let column = String(repeating: " ", count: helpColumn)
        let lines = wrap(words(help), width: width - helpColumn)
        let start =
            label.count + 3 <= helpColumn
            ? "  " + label + String(repeating: " ", count: helpColumn - 2 - label.count)
            : "  \(label)\n\(column)"
        return start + lines.joined(separator: "\n" + column) + "\n"
    }

    /// `text` wrapped to `width`, each of its lines as a paragraph of its own.
    private static func paragraphs(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { wrap(words(String($0))).joined(separator: "\n") }.joined(separator: "\n")
    }

    private static func words(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }

    /// `words` joined by spaces into lines of at most `width` columns (a longer word stands alone);
    /// the lines after the first start with `indent` spaces.
    static func wrap(_ words: [String], width: Int = width, indent: Int = 0) -> [String] {
        let pad = String(repeating: " ", count: indent)
        var lines: [String] = []
        var line: String?
        for word in words {
            if let current = line, current.count + 1 + word.count <= width {
                line = current + " " + word
                continue
            }
            if let current = line { lines.append(current) }
            line = (lines.isEmpty ? "" : pad) + word
        }
        if let line { lines.append(line) }
        return lines
    }
}
