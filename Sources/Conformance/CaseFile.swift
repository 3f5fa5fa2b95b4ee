/// A parsed case file: the agent type it is written for, the steps run around every case, and
/// the cases. The format is described in `ocf-conformance/README.md`.
public struct CaseFile: Sendable {
    /// The file's path as given (used in `file:line` messages).
    public var path: String
    /// The agent type the cases are for (`AGENT IPaddr2`); the provider comes from the command line.
    public var agentType: String
    /// Steps run at the start of every case, in that case's own context.
    public var setup: [CaseStep]
    /// Steps run at the end of every case, even one that failed.
    public var cleanup: [CaseStep]
    /// The cases, in file order, with included blocks already expanded.
    public var cases: [CaseDefinition]

    /// The file name without its directories, as report lines show it.
    public var name: String { path.split(separator: "/").last.map(String.init) ?? path }
}

/// One case: a title and its steps.
public struct CaseDefinition: Sendable {
    /// The title after `CASE`.
    public var title: String
    /// The line of the `CASE` header.
    public var line: Int
    /// The steps, with included blocks expanded in place.
    public var steps: [CaseStep]
}

/// One statement of a case file and where it was written.
public struct CaseStep: Sendable, Hashable {
    /// The statement's line.
    public var line: Int
    /// For a statement of an included block: the line of the `include`.
    public var includedAt: Int?
    /// What to do.
    public var statement: CaseStatement
    /// The statement as written (for traces).
    public var text: String

    /// Creates a step.
    public init(line: Int, includedAt: Int? = nil, statement: CaseStatement, text: String = "") {
        self.line = line
        self.includedAt = includedAt
        self.statement = statement
        self.text = text
    }

    /// `12`, or `12 (included at 40)`.
    public var location: String {
        includedAt.map { "\(line) (included at \($0))" } ?? String(line)
    }
}
