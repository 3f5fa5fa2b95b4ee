/// One depth-10 check: fetch a URL and look for a pattern, optionally with basic authentication.
struct WebCheck: Equatable, Sendable {
    /// The URL; relative URLs are relative to the server's `Listen` address.
    var url: String
    /// The extended regular expression to find, case-insensitive.
    var pattern: String
    /// The user for basic authentication.
    var user: String?
    /// The password for basic authentication.
    var password: String?
}

/// Reads the reference agent's test configuration file (`testconffile`, see resource-agents'
/// README.webapps): blocks of `test NAME`, then `url`, `match`, `user`, `password`, `client`,
/// `client_opts` lines, closed by `end`. `#` starts a comment line. `client` and `client_opts`
/// name an external HTTP client; they are accepted and ignored, since the agent fetches natively.
enum WebTestFile {
    /// The block named `name`, or the first block when `name` is `nil`.
    ///
    /// - Throws: `WebTestFileError` for an unknown keyword, a missing block, or a block without
    ///   `url` or `match`, or with a user but no password (or the reverse).
    static func check(in text: String, named name: String?) throws(WebTestFileError) -> WebCheck {
        var check: WebCheck?
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let (key, value) = split(raw)
            if var current = check {
                switch key {
                case "url": current.url = value
                case "match": current.pattern = value
                case "user": current.user = value
                case "password": current.password = value
                case "client", "client_opts", "": break
                case "end": return try sane(current, name: name)
                default:
                    if key.hasPrefix("#") { break }
                    throw .unknownKeyword(line: number + 1, key)
                }
                check = current
            } else if key == "test" && (name == nil || name == value) {
                check = WebCheck(url: "", pattern: "")
            }
        }
        guard let check else { throw .noTest(name) }
        return try sane(check, name: name)
    }

    private static func sane(_ check: WebCheck, name: String?) throws(WebTestFileError) -> WebCheck {
        guard !check.url.isEmpty, !check.pattern.isEmpty else { throw .incomplete(name) }
        guard (check.user == nil) == (check.password == nil) else { throw .halfCredentials(name) }
        return check
    }

    /// `key value…` as the shell's `read key value` splits it: the first word, then the rest trimmed.
    private static func split(_ line: Substring) -> (String, String) {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        let trimmed = line.drop(while: isSpace)
        let key = trimmed.prefix { !isSpace($0) }
        var value = trimmed.dropFirst(key.count).drop(while: isSpace)
        while let last = value.last, isSpace(last) { value = value.dropLast() }
        return (String(key), String(value))
    }
}

/// Why a test configuration file is unusable.
enum WebTestFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A line in a block starts with a keyword the format does not have.
    case unknownKeyword(line: Int, String)
    /// No block has the name (or there is no block at all).
    case noTest(String?)
    /// The block lacks `url` or `match`.
    case incomplete(String?)
    /// The block has a user without a password, or the reverse.
    case halfCredentials(String?)

    var description: String {
        switch self {
        case .unknownKeyword(let line, let key): "line \(line): unknown keyword \(key)"
        case .noTest(let name): name.map { "no test named \($0)" } ?? "no test block"
        case .incomplete(let name): "test \(name ?? "block") needs both url and match"
        case .halfCredentials(let name): "test \(name ?? "block") has a user without a password or the reverse"
        }
    }
}
