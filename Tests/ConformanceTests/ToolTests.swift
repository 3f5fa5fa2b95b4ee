import HAKitSystem
import HAKitTestSupport
import Testing

/// The `ocf-conformance` command line: report lines, closing line, exit status, JSON, usage errors.
@Suite struct ToolTests {
    let tool = TestSupport.binary("ocf-conformance")

    /// The last non-empty line of a text.
    func lastLine(_ text: String) -> String { text.split(separator: "\n").last.map(String.init) ?? "" }

    @Test func stockDummyPasses() throws {
        let directory = try TestSupport.temporaryDirectory("conf-tool")
        defer { TestSupport.removeTree(directory) }
        let result = try TestSupport.run([tool, "-n", "d1", "-o", "state=\(directory)/state", "ocf:heartbeat:Dummy"])
        #expect(result.status == 0, "\(result.output)\(result.errorOutput)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "Testing ocf:heartbeat:Dummy as resource d1")
        let checks = lines.dropFirst().dropLast().filter { !$0.hasPrefix("      ") }
        #expect(checks.count > 25)
        #expect(checks.allSatisfy { $0.hasPrefix("PASS  ") })
        #expect(lastLine(result.output) == "\(checks.count) passed, 0 failed")
        #expect(
            lines.contains {
                $0.hasPrefix("PASS  start          0 OCF_SUCCESS") && $0.hasSuffix("start on a stopped resource")
            })
        #expect(!FileSystem.exists("\(directory)/state"))
    }

    @Test func brokenAgentFailsWithTheCheckOnItsOwnLine() throws {
        let agent = try TestAgent("tool-broken", defects: [.stopTwiceNotRunning])
        defer { agent.remove() }
        let result = try TestSupport.run([tool, "-o", "name=x", agent.path])
        #expect(result.status == 1)
        let failed = result.output.split(separator: "\n").filter { $0.hasPrefix("FAIL") }
        #expect(failed.count == 1)
        #expect(failed.first?.hasPrefix("FAIL  stop           7 OCF_NOT_RUNNING        expected 0") == true)
        #expect(failed.first?.hasSuffix("stop again on a stopped resource") == true)
        #expect(lastLine(result.output).hasSuffix(" passed, 1 failed"))
    }

    @Test func verboseTracesEveryRun() throws {
        let agent = try TestAgent("tool-verbose")
        defer { agent.remove() }
        let result = try TestSupport.run([tool, "-v", "-o", "name=x", agent.path])
        #expect(result.status == 0)
        #expect(result.output.contains("      ran start: 0 OCF_SUCCESS in "))
        #expect(result.output.contains("      ran monitor (interval 10000 ms): 7 OCF_NOT_RUNNING in "))
    }

    @Test func jsonIsOneDocument() throws {
        let agent = try TestAgent("tool-json", defects: [.unknownSucceeds])
        defer { agent.remove() }
        let result = try TestSupport.run([tool, "--json", "-o", "name=x", agent.path])
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(result.output.hasPrefix("{\"agent\":\"\(agent.path)\",\"passed\":"))
        #expect(result.output.contains(",\"failed\":2,"))
        #expect(
            result.output.contains(
                "{\"passed\":false,\"action\":\"no-such-action\",\"seen\":\"0 OCF_SUCCESS\",\"seen_rc\":0,\"expected\":\"3\",\"expected_rc\":[3],"
            ))
    }

    @Test func malformedParameterIsAUsageError() throws {
        let result = try TestSupport.run([tool, "-o", "novalue", "ocf:heartbeat:Dummy"])
        #expect(result.status == 64)
        #expect(result.errorOutput.contains("-o \"novalue\" is not NAME=VALUE"))
    }

    @Test func unknownClassIsAUsageError() throws {
        let result = try TestSupport.run([tool, "systemd:foo"])
        #expect(result.status == 64)
    }

    @Test func caseFileErrorsNameFileAndLine() throws {
        let directory = try TestSupport.temporaryDirectory("conf-tool-cases")
        defer { TestSupport.removeTree(directory) }
        let file = "\(directory)/bad.cases"
        try FileSystem.writeAtomically(file, contents: "AGENT Dummy\nCASE one\n    actoin start 0\n")
        let result = try TestSupport.run([tool, "cases", file])
        #expect(result.status == 2)
        #expect(result.errorOutput.hasPrefix("ocf-conformance: \(file):3: unknown statement \"actoin\""))
    }

    @Test func casesSubcommandRunsAgainstAProvider() throws {
        let file = TestSupport.packageRoot + "/ocf-conformance/Dummy.cases"
        let result = try TestSupport.run([tool, "cases", "--provider", "heartbeat", "--only", "double", file])
        #expect(result.status == 0, "\(result.output)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "== \(file): ocf:heartbeat:Dummy (/usr/lib/ocf/resource.d/heartbeat/Dummy)")
        #expect(lines.filter { $0.hasPrefix("PASS  Dummy.cases:") }.count == 2)
        #expect(lines.last == "2 passed, 0 failed")
    }

    @Test func casesForAMissingAgentFail() throws {
        let directory = try TestSupport.temporaryDirectory("conf-tool-root")
        defer { TestSupport.removeTree(directory) }
        let file = TestSupport.packageRoot + "/ocf-conformance/Dummy.cases"
        let result = try TestSupport.run([tool, "cases", "--agent-root", directory, "--provider", "hakit", file])
        #expect(result.status == 1)
        #expect(result.output.contains("== \(file): no executable agent at \(directory)/resource.d/hakit/Dummy"))
        #expect(lastLine(result.output).hasPrefix("0 passed, "))
    }
}
