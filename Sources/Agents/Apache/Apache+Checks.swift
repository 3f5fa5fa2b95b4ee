import HAKitSystem
import OCF

/// A page to fetch and the pattern it must contain.
struct PageCheck {
    var url: String
    var regex: ExtendedRegex
    var user: String?
    var password: String?
}

extension Apache {
    /// The basic check: the status URL against `testregex`.
    func basicCheck() throws(OCFError) -> PageCheck {
        let pattern = context.parameters.string("testregex") ?? "</ *html *>"
        return PageCheck(url: setup.statusURL, regex: try Self.regex(pattern, parameter: "testregex"))
    }

    /// The depth-10 checks: `testurl` against `testregex10`, and the chosen `testconffile` block.
    func extendedChecks() throws(OCFError) -> [PageCheck] {
        let parameters = context.parameters
        var checks: [PageCheck] = []
        if let url = parameters.string("testurl") {
            guard !url.allSatisfy({ $0 == " " || $0 == "\t" }) else {
                throw .notConfigured("testurl=\"\(url)\" is blank")
            }
            guard let pattern = parameters.string("testregex10") else {
                throw .notConfigured("testurl is set but testregex10 is not")
            }
            let regex = try Self.regex(pattern, parameter: "testregex10")
            checks.append(PageCheck(url: setup.localURL.resolve(url), regex: regex))
        }
        if let file = parameters.string("testconffile") {
            let found: String?
            do { found = try FileSystem.read(file) } catch { throw .notInstalled("test configuration file \(error)") }
            guard let text = found else { throw .notInstalled("test configuration file \(file) not found") }
            let block: WebCheck
            do { block = try WebTestFile.check(in: text, named: parameters.string("testname")) } catch {
                throw .notConfigured("\(file): \(error)")
            }
            let regex = try Self.regex(block.pattern, parameter: "match in \(file)")
            let url = setup.localURL.resolve(block.url)
            checks.append(PageCheck(url: url, regex: regex, user: block.user, password: block.password))
        }
        return checks
    }

    /// Whether nothing says what to monitor, so that any answer from the server's root also counts
    /// (the reference's fallback for servers without mod_status).
    var usesDefaults: Bool {
        let monitoring = ["statusurl", "testregex", "testurl", "testregex10", "testconffile"]
        return !monitoring.contains(where: context.parameters.isGiven)
    }

    private static func regex(_ pattern: String, parameter: String) throws(OCFError) -> ExtendedRegex {
        do {
            return try ExtendedRegex(pattern, caseInsensitive: true)
        } catch {
            throw .notConfigured("\(parameter): invalid regular expression \(error)")
        }
    }
}
