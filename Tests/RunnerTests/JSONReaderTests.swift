import Runner
import Testing

@Suite struct JSONReaderTests {
    @Test func readsWhatJSONWriterWrites() throws {
        let text = JSONWriter.object([
            ("name", JSONWriter.string("a \"b\"\n\u{1}é")), ("n", "-12"), ("x", "1.5e3"), ("t", "true"), ("f", "false"),
            ("none", "null"), ("list", JSONWriter.array(["1", JSONWriter.object([])])),
        ])
        let value = try JSONReader.parse(" \(text)\n")
        #expect(value["name"]?.string == "a \"b\"\n\u{1}é")
        #expect(value["n"]?.int == -12)
        #expect(value["x"]?.double == 1500)
        #expect(value["x"]?.int == nil, "not a whole number as written")
        #expect(value["t"]?.bool == true && value["f"]?.bool == false)
        #expect(value["none"]?.isNull == true)
        #expect(value["list"]?.array == [.number("1"), .object([])])
        #expect(value["missing"] == nil)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try JSONReader.parse(#""\u00e9\ud83d\ude00\/\b\f\t""#).string == "é😀/\u{8}\u{c}\t")
    }

    /// Outside input: every malformed document is an error with its offset, never a trap.
    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "01", "1.", "-", "1e", "tru", "\"abc", "\"\\x\"", "\"\\u12\"",
        "\"\\ud800\"", "\"\\ud800\\u0041\"", "\"a\u{1}\"", "1 2", "nul", "[", "{\"a\":}", "+1",
    ])
    func refusesMalformed(_ text: String) {
        #expect(throws: JSONReader.ParseError.self) { try JSONReader.parse(text) }
    }

    @Test func limitsNesting() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONReader.ParseError.self) { try JSONReader.parse(deep) }
        let fine = String(repeating: "[", count: JSONReader.maximumDepth) + String(repeating: "]", count: JSONReader.maximumDepth)
        #expect(try JSONReader.parse(fine).array?.count == 1)
    }
}
