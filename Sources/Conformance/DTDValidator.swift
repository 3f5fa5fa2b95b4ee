import HAKitSystem

/// Validates meta-data against `ra-api-1.dtd` with `xmllint --noout --dtdvalid`, the check
/// ocf-tester makes (it uses `--valid` with the document's own DOCTYPE, which
/// `declaresDTD` covers separately).
struct DTDValidator {
    /// The DTD, `/usr/share/resource-agents/ra-api-1.dtd` normally.
    let dtdPath: String
    /// A private directory for the document (xmllint reads a file; the executor gives no stdin).
    let scratchDirectory: String

    /// Why a document is not valid, or why it could not be validated.
    struct Problem: Error, CustomStringConvertible {
        /// The validator's first complaints, with the temporary file's name left out.
        var description: String
    }

    /// Validates a document; throws the validator's complaints.
    func validate(_ xml: String) throws(Problem) {
        guard FileSystem.exists(dtdPath) else {
            throw Problem(description: "\(dtdPath) is missing (Debian package resource-agents)")
        }
        let document = "\(scratchDirectory)/meta-data.xml"
        let outcome: ProcessResult
        do {
            try FileSystem.writeAtomically(document, contents: xml, mode: 0o600)
            outcome = try ProcessRun.run(
                path: "xmllint", arguments: ["xmllint", "--noout", "--nonet", "--dtdvalid", dtdPath, document],
                environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"], timeoutMilliseconds: 30_000)
        } catch {
            throw Problem(description: "cannot run xmllint (Debian package libxml2-utils): \(error)")
        }
        if case .exited(0)? = outcome.termination, !outcome.timedOut { return }
        let complaints = String(decoding: outcome.errorOutput, as: UTF8.self)
            .split(separator: "\n")
            .filter { $0.contains("error") }
            .prefix(3)
            .map { $0.replacing(document + ":", with: "line ") }
        throw Problem(description: complaints.isEmpty ? "xmllint rejected it" : complaints.joined(separator: "; "))
    }

    /// Whether the document names `ra-api-1.dtd` in a `<!DOCTYPE resource-agent …>`: ocf-tester
    /// validates with `xmllint --valid`, which fails a document without one ("no DTD found").
    static func declaresDTD(_ xml: String) -> Bool {
        guard let start = xml.firstRange(of: "<!DOCTYPE") else { return false }
        let declaration = xml[start.upperBound...].prefix { $0 != ">" }
        let words = declaration.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
        guard words.first == "resource-agent" else { return false }
        return declaration.contains("ra-api-1.dtd\"") || declaration.contains("ra-api-1.dtd'")
    }
}
