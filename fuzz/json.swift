// JSON as the tools read it back: `heartbeat-lite status --json` from the control socket and
// `--experimental-dump-help` from another program (JSONReader.parse). Whatever parses must come
// out of JSONWriter and parse again to the same value; whatever does not gives an offset inside
// the text.
import Runner

/// The value as JSONWriter renders it (numbers as they were written).
func render(_ value: JSONValue) -> String {
    switch value {
    case .null: "null"
    case .bool(let flag): flag ? "true" : "false"
    case .number(let text): text
    case .string(let text): JSONWriter.string(text)
    case .array(let items): JSONWriter.array(items.map(render))
    case .object(let members): JSONWriter.object(members.map { ($0.0, render($0.1)) })
    }
}

/// How deep the value nests; the reader refuses more than its maximum.
func depth(_ value: JSONValue) -> Int {
    switch value {
    case .array(let items): 1 + (items.map(depth).max() ?? 0)
    case .object(let members): 1 + (members.map { depth($0.1) }.max() ?? 0)
    default: 1
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let value: JSONValue
    do {
        value = try JSONReader.parse(text)
    } catch {
        precondition(error.offset >= 0 && error.offset <= text.utf8.count, "an error offset outside the text")
        _ = error.description
        return 0
    }
    precondition(depth(value) <= JSONReader.maximumDepth, "nested deeper than the maximum")
    _ = (value.int, value.double, value.string, value.bool, value.array, value.members, value.isNull, value["a"])
    let written = render(value)
    guard let again = try? JSONReader.parse(written) else { preconditionFailure("JSONWriter's text does not parse") }
    precondition(again == value, "the value changed through JSONWriter")
    return 0
}
