/// A type whose stored properties declare command-line arguments (`@Option`, `@Flag`,
/// `@Argument`, `@OptionGroup`); the parser creates it with `init()` and fills them in.
protocol ParsableArguments {
    init()
}

/// A subcommand: its description, its declared arguments and what it does.
protocol ParsableCommand: ParsableArguments {
    static var configuration: CommandConfiguration { get }
    /// Does the command's work. An exit status other than 0 is thrown as `ExitCode`, once the
    /// command has said why on standard error.
    func run() throws
}

/// What help says about a command: its name, a one-line abstract and a longer discussion.
struct CommandConfiguration {
    var name: String
    var abstract: String
    var discussion: String
}

/// A process exit status, thrown by a command that has already said why (swift-argument-parser's `ExitCode`).
struct ExitCode: Error, Equatable {
    var rawValue: Int32

    init(_ rawValue: Int32) { self.rawValue = rawValue }

    static let success = ExitCode(0)
    static let failure = ExitCode(1)
    /// A command line that does not fit the declarations: `EX_USAGE` in sysexits.h, as swift-argument-parser's
    /// `validationFailure`.
    static let usageError = ExitCode(64)
}
