import OCF

/// heartbeat-lite's bash completion (`heartbeat-lite --generate-completion-script bash`, run by
/// `make completion`), from the same declarations as its help: subcommands, then each one's
/// options, flags and positional arguments.
extension CommandLineTool {
    var bashCompletion: BashCompletion {
        let help = [BashCompletion.Option("-h", values: nil), BashCompletion.Option("--help", values: nil)]
        let commands = subcommands.map { command in
            let declarations = ArgumentBinding.all(in: command.init()).map(\.declaration)
            return BashCompletion.Command(
                name: command.configuration.name,
                options: declarations.filter { $0.kind != .positional }.map { declaration in
                    BashCompletion.Option(
                        "--\(declaration.name)", values: declaration.kind == .flag ? nil : Self.values(of: declaration))
                } + help,
                positionals: declarations.filter { $0.kind == .positional }.map(Self.values))
        }
        let helpCommand = BashCompletion.Command(name: "help", options: [], positionals: [.words(subcommands.map { $0.configuration.name })])
        return BashCompletion(program: configuration.name, root: .init(name: "", options: help), subcommands: commands + [helpCommand])
    }

    /// A value named `dir` is a directory, one named `file` a file; declared choices are offered as words.
    private static func values(of declaration: ArgumentDeclaration) -> BashCompletion.Values {
        if !declaration.choices.isEmpty { return .words(declaration.choices) }
        switch declaration.valueName {
        case "dir": return .directories
        case "file": return .files
        default: return .none
        }
    }
}
