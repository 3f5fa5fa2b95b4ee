// The ocf-conformance case file parser (CaseFileParser: sections, blocks and includes, heredocs,
// actions and their expected codes, postconditions, durations, regular expressions) on arbitrary
// file contents; the statements of what parses are expanded as a run expands them.
@testable import Conformance

let variables = CaseVariables(values: [
    "NS": "hakit-case-1", "CASE_DIR": "/tmp/case", "AGENT": "/usr/lib/ocf/resource.d/hakit/IPaddr2", "TYPE": "IPaddr2",
    "PROVIDER": "hakit", "OCF_ROOT": "/usr/lib/ocf", "INSTANCE": "vip",
])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let file: CaseFile
    do { file = try CaseFileParser.parse(text, path: "/tmp/fuzz.cases") } catch {
        precondition(error.line >= 0, "an error before the first line")
        _ = error.description
        return 0
    }
    precondition(!file.cases.isEmpty, "a case file without cases")
    for step in file.setup + file.cleanup + file.cases.flatMap(\.steps) {
        _ = step.location
        let expanded = variables.expand(step.text)
        _ = CaseVariables.unknownReferences(in: expanded)
        if case .action(let action) = step.statement {
            _ = action.expected.description
            _ = action.expected.accepts(.success)
        }
    }
    return 0
}
