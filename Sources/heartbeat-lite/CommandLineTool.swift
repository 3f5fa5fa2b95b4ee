/// A tool made of subcommands, each with its declared arguments: the command line parsed
/// against the declarations, `help`, and `-h`/`--help` at the top and after any subcommand.
struct CommandLineTool {
    let configuration: CommandConfiguration
    let subcommands: [any ParsableCommand.Type]

    /// What the command line asks for.
    enum Request {
        /// Help text for standard output.
        case help(String)
        /// A subcommand with its arguments filled in.
        case run(any ParsableCommand)
    }

    /// The request `arguments` (argv without the program name) makes. Nothing at all asks for
    /// the tool's help, as with swift-argument-parser.
    func parse(_ arguments: [String]) throws(CommandLineError) -> Request {
        guard let first = arguments.first, !Self.isHelp(first) else { return .help(help(for: nil)) }
        let rest = arguments.dropFirst()
        if first == "help" {
            guard let name = rest.first, !Self.isHelp(name) else { return .help(help(for: nil)) }
            let command = try subcommand(named: name)
            guard rest.count == 1 else {
                throw CommandLineError(.unexpectedArguments(Array(rest.dropFirst())), in: nil)
            }
            return .help(help(for: command))
        }
        if first.hasPrefix("-") { throw CommandLineError(.unknownOption(first), in: nil) }
        let type = try subcommand(named: first)
        // Help wins over every other word before `--`, as with swift-argument-parser.
        if rest.prefix(while: { $0 != "--" }).contains(where: Self.isHelp) { return .help(help(for: type)) }
        let command = type.init()
        try Self.fill(ArgumentBinding.all(in: command), from: rest, for: type)
        return .run(command)
    }

    static func isHelp(_ word: String) -> Bool { word == "-h" || word == "--help" }

    func subcommand(named name: String) throws(CommandLineError) -> any ParsableCommand.Type {
        for type in subcommands where type.configuration.name == name { return type }
        throw CommandLineError(.unknownSubcommand(name, among: subcommands.map { $0.configuration.name }), in: nil)
    }

    /// The subcommand `error` is about, nil when it is about the tool itself.
    func subcommand(of error: CommandLineError) -> (any ParsableCommand.Type)? {
        subcommands.first { $0.configuration.name == error.command }
    }

    /// Stores each word through the binding it is for. `--name VALUE` does not take a VALUE that
    /// starts with `-` (that is the next option, and the value is missing); `--name=VALUE` takes
    /// any. After `--`, every word is positional.
    static func fill(
        _ bindings: [ArgumentBinding], from words: ArraySlice<String>, for command: any ParsableCommand.Type
    ) throws(CommandLineError) {
        // Two declarations of one name are a programmer's error: this traps on the first parse.
        let options = Dictionary(
            uniqueKeysWithValues: bindings.filter { $0.declaration.kind != .positional }
                .map { ("--\($0.declaration.name)", $0) })
        var positionals = bindings.filter { $0.declaration.kind == .positional }[...]
        var unexpected: [String] = []
        func looksLikeOption(_ word: String) -> Bool { word.hasPrefix("-") && word.count > 1 }
        func store(_ value: String, through binding: ArgumentBinding) throws(CommandLineError) {
            guard binding.store(value) else {
                throw CommandLineError(.invalidValue(value, binding.declaration), in: command)
            }
        }
        func positional(_ word: String) throws(CommandLineError) {
            guard let binding = positionals.popFirst() else { return unexpected.append(word) }
            try store(word, through: binding)
        }

        var remaining = words[...]
        while let word = remaining.popFirst(), word != "--" {
            guard looksLikeOption(word) else {
                try positional(word)
                continue
            }
            let equals = word.firstIndex(of: "=")
            let name = String(word[..<(equals ?? word.endIndex)])
            let inline = equals.map { String(word[word.index(after: $0)...]) }
            guard let binding = options[name] else { throw CommandLineError(.unknownOption(name), in: command) }
            if binding.declaration.kind == .flag {
                if let inline { throw CommandLineError(.valueForFlag(inline, binding.declaration), in: command) }
                try store("", through: binding)
                continue
            }
            var value = inline
            if value == nil, let next = remaining.first, next != "--", !looksLikeOption(next) {
                value = remaining.removeFirst()
            }
            guard let value, !value.isEmpty else {
                throw CommandLineError(.missingValue(binding.declaration), in: command)
            }
            try store(value, through: binding)
        }
        for word in remaining { try positional(word) }
        guard unexpected.isEmpty else { throw CommandLineError(.unexpectedArguments(unexpected), in: command) }
    }
}

/// A command line that does not fit the declarations. main writes `report` to standard error
/// and exits with `ExitCode.usageError`.
struct CommandLineError: Error {
    enum Problem {
        case unknownOption(String)
        case unknownSubcommand(String, among: [String])
        case missingValue(ArgumentDeclaration)
        case invalidValue(String, ArgumentDeclaration)
        case valueForFlag(String, ArgumentDeclaration)
        case unexpectedArguments([String])
        /// Arguments that are each valid but not together (or one of several is missing).
        case conflict(String)
    }

    let problem: Problem
    /// The name of the subcommand whose usage the report shows; nil for the tool itself.
    let command: String?

    init(_ problem: Problem, in command: (any ParsableCommand.Type)?) {
        self.problem = problem
        self.command = command?.configuration.name
    }

    /// The problem in one line, naming the word at fault.
    var message: String {
        switch problem {
        case .unknownOption(let name): "Unknown option '\(name)'"
        case .unknownSubcommand(let name, let names):
            "Unknown subcommand '\(name)' (one of \(names.joined(separator: ", ")))"
        case .missingValue(let declaration): "Missing value for '\(declaration.label)'"
        case .invalidValue(let value, let declaration):
            "The value '\(value)' is invalid for '\(declaration.label)'"
                + (declaration.expectation.map { ": expected \($0)" } ?? "")
        case .valueForFlag(let value, let declaration):
            "The flag '\(declaration.label)' takes no value, but '\(value)' was given"
        case .unexpectedArguments(let words) where words.count == 1: "Unexpected argument '\(words[0])'"
        case .unexpectedArguments(let words):
            "\(words.count) unexpected arguments: \(words.map { "'\($0)'" }.joined(separator: ", "))"
        case .conflict(let message): message
        }
    }

    /// The declaration the problem is about, if it is about one.
    var declaration: ArgumentDeclaration? {
        switch problem {
        case .missingValue(let declaration), .invalidValue(_, let declaration), .valueForFlag(_, let declaration):
            declaration
        case .unknownOption, .unknownSubcommand, .unexpectedArguments, .conflict: nil
        }
    }
}
