/// A case file that cannot be read or parsed, with the place of the problem.
public struct CaseFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file's path as given.
    public var path: String
    /// The 1-based line; 0 for a problem with the whole file.
    public var line: Int
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(path: String, line: Int, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    /// `IPaddr2.cases:12: unknown statement "actoin"`.
    public var description: String { line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)" }
}
