import Agents
import HAKitSystem
import HAKitTestSupport
import OCF
import Testing

@Suite struct MetadataTests {
    static let dtd = "/usr/share/resource-agents/ra-api-1.dtd"
    static let rng = "/usr/share/resource-agents/metadata.rng"

    /// A declaration with every feature and characters that need escaping.
    static let tricky = AgentDescriptor(
        name: "Tricky", version: "0.9", short: "Quotes \" & <angles>",
        long: "Long text with 'apostrophes', & ampersands, <tags> and \"quotes\".",
        parameters: [
            ParameterSpec("ip", required: true, unique: true, short: "IP <address>", long: "a & b"),
            ParameterSpec("count", .integer, default: "5", short: "count"),
            ParameterSpec("flag", .boolean, reloadable: true, default: "false", short: "flag"),
            ParameterSpec("pattern", default: "</ *html *>", short: "regex"),
        ],
        actions: [
            ActionSpec(.start, timeout: 20), ActionSpec(.stop, timeout: 20),
            ActionSpec(.monitor, timeout: 20, interval: 10, depth: 0),
            ActionSpec(.monitor, timeout: 30, interval: 11, depth: 10, role: "Promoted"),
            ActionSpec(.promote, timeout: 10), ActionSpec(.demote, timeout: 10), ActionSpec(.notify, timeout: 5),
            ActionSpec(.metaData, timeout: 5), ActionSpec(.validateAll, timeout: 20),
        ])

    func xmllint(_ xml: String, _ schemaOption: String, _ schema: String) throws -> TestSupport.CommandResult {
        let directory = try TestSupport.temporaryDirectory("xml")
        defer { TestSupport.removeTree(directory) }
        try FileSystem.writeAtomically("\(directory)/meta.xml", contents: xml)
        return try TestSupport.run(["xmllint", "--noout", "--nonet", schemaOption, schema, "\(directory)/meta.xml"])
    }

    @Test(arguments: AgentRegistry.names + ["Tricky"])
    func metadataIsValidAgainstBothSchemas(_ name: String) throws {
        let descriptor = AgentRegistry.agent(named: name)?.descriptor ?? Self.tricky
        let xml = MetadataRenderer.xml(descriptor)
        let dtd = try xmllint(xml, "--dtdvalid", Self.dtd)
        #expect(dtd.status == 0, "DTD: \(dtd.errorOutput)")
        let rng = try xmllint(xml, "--relaxng", Self.rng)
        #expect(rng.status == 0, "RNG: \(rng.errorOutput)")
    }

    @Test func dtdCheckCanFail() throws {
        // The schemas really are consulted: an action name the DTD does not know is rejected.
        var descriptor = Self.tricky
        descriptor.actions.append(ActionSpec(OCFAction(rawValue: "reload-agent"), timeout: 5))
        let result = try xmllint(MetadataRenderer.xml(descriptor), "--dtdvalid", Self.dtd)
        #expect(result.status != 0)
    }

    @Test func escapedTextReadsBackUnchanged() throws {
        let metadata = try AgentMetadata(xml: MetadataRenderer.xml(Self.tricky))
        #expect(metadata.name == "Tricky")
        #expect(metadata.shortDescription == "Quotes \" & <angles>")
        #expect(metadata.parameters.map(\.name) == ["ip", "count", "flag", "pattern"])
        #expect(metadata.parameters[0].required && metadata.parameters[0].unique)
        #expect(metadata.parameters[3].defaultValue == "</ *html *>")
        #expect(metadata.parameters[1].type == "integer")
        #expect(metadata.actions.count == 9)
        #expect(metadata.timeoutMilliseconds(for: "monitor") == 20_000)
        #expect(metadata.actions[3].role == "Promoted" && metadata.actions[3].depth == 10)
        #expect(metadata.actions[2].intervalMilliseconds == 10_000)
    }

    @Test func reloadableStaysOutOfTheXML() {
        #expect(!MetadataRenderer.xml(Self.tricky).contains("reloadable"))
        #expect(MetadataRenderer.documentationPage(Self.tricky).contains("| `flag` | boolean | no | no | yes |"))
    }

    @Test(arguments: AgentRegistry.names)
    func registryNameIsTheDescriptorsName(_ name: String) throws {
        #expect(try #require(AgentRegistry.agent(named: name)).descriptor.name == name)
    }

    @Test(arguments: AgentRegistry.names)
    func committedDocumentationPageIsCurrent(_ name: String) throws {
        let descriptor = try #require(AgentRegistry.agent(named: name)).descriptor
        let committed = try FileSystem.read("\(TestSupport.packageRoot)/agents/\(name).md")
        #expect(committed == MetadataRenderer.documentationPage(descriptor), "agents/\(name).md is stale: run make docs")
    }

    @Test func usageListsActionsAndParameters() {
        let usage = MetadataRenderer.usage(Self.tricky)
        #expect(usage.hasPrefix("usage: Tricky {start|stop|monitor|promote|demote|notify|meta-data|validate-all}"))
        #expect(usage.contains("ip "))
        #expect(usage.contains("(integer, default 5)"))
    }
}

@Suite struct XMLTreeTests {
    @Test func parsesPrologDoctypeCommentsAndEntities() throws {
        let root = try parseXML("""
            <?xml version="1.0"?>
            <!DOCTYPE a SYSTEM "x.dtd" [ <!ENTITY y "z"> ]>
            <!-- c -->
            <a k="1 &amp; 2"><b>t&lt;&#65;&#x42;</b><![CDATA[<raw>]]><c/></a>
            """)
        #expect(root.name == "a")
        #expect(root.attribute("k") == "1 & 2")
        #expect(root.child("b")?.text == "t<AB")
        #expect(root.text == "<raw>")
        #expect(root.children.map(\.name) == ["b", "c"])
    }

    @Test(arguments: [
        ("<a><b></a>", 1), ("<a>", 1), ("<a k=1/>", 1), ("<a k='1' k='2'/>", 1), ("<a/><b/>", 1),
        ("<a>&bogus;</a>", 1), ("", 1), ("<a>\n\n</b>", 3), ("text<a/>", 1), ("<a><!-- open</a>", 1),
    ])
    func rejectsMalformedDocuments(_ text: String, line: Int) {
        #expect(throws: XMLError.self) { try parseXML(text) }
        do {
            _ = try parseXML(text)
        } catch {
            #expect(error.line == line, "\(error)")
        }
    }

    @Test func metadataNeedsTheRequiredElements() {
        #expect(throws: MetadataProblem.self) {
            try AgentMetadata(xml: "<resource-agent name=\"x\"><version>1.0</version></resource-agent>")
        }
        #expect(throws: MetadataProblem.self) { try AgentMetadata(xml: "<agent/>") }
    }

    @Test(arguments: [("20s", 20_000), ("20", 20_000), ("500ms", 500), ("2m", 120_000), ("1h", 3_600_000), (" 5s ", 5000)])
    func durations(_ text: String, _ milliseconds: Int) { #expect(parseDurationMilliseconds(text) == milliseconds) }

    // The last two were found by fuzz/casefile: multiplying them into milliseconds trapped.
    @Test(arguments: ["", "s", "10x", "-5s", "0000000000000001522936300689302049", "9223372036854776h"])
    func malformedDurations(_ text: String) { #expect(parseDurationMilliseconds(text) == nil) }
}
