#if canImport(Glibc)
    import Glibc
#endif
import Conformance
import HAKitSystem
import HAKitTestSupport
import Testing

/// The shipped case files and their directory.
enum CaseFiles {
    static let directory = TestSupport.packageRoot + "/ocf-conformance"

    static func load(_ name: String) throws -> CaseFile {
        try CaseFileParser.parse(path: "\(directory)/\(name).cases")
    }
}

/// Running case files: the shipped ones pass on the stock agents (and Dummy on ours), and
/// deliberately wrong cases fail at the right `file:line`, always cleaning up.
@Suite struct CaseRunnerTests {
    /// A runner for a provider, its namespaces named after the test.
    func runner(_ label: String, provider: String = "heartbeat", agentRoot: String = "/usr/lib/ocf") -> CaseRunner {
        CaseRunner(
            options: CaseRunOptions(
                agentRoot: agentRoot, provider: provider, environment: TestSupport.currentEnvironment(),
                namespacePrefix: "hakit-case-\(getpid())-\(label)"))
    }

    /// Runs files and checks every case passed and no namespace was left.
    func expectAllPass(_ report: CaseRunReport, _ runner: CaseRunner, lines: [String]) throws {
        #expect(report.failedCount == 0, "\(lines.joined(separator: "\n"))")
        #expect(report.passed)
        #expect(try TestNamespace.existing(prefix: runner.options.namespacePrefix + "-").isEmpty)
    }

    @Test func dummyCasesPassOnTheStockDummy() throws {
        let runner = runner("dummy")
        var lines: [String] = []
        let report = runner.run([try CaseFiles.load("Dummy")]) { lines.append($0) }
        try expectAllPass(report, runner, lines: lines)
        #expect(report.outcomes.count == 13)
    }

    @Test func dummyCasesPassOnOurDummy() throws {
        let root = try TestSupport.temporaryDirectory("conf-cases-hakit")
        defer { TestSupport.removeTree(root) }
        try FileSystem.makeDirectories("\(root)/resource.d/hakit")
        #expect(
            try TestSupport.run(["ln", "-s", TestSupport.binary("hakit-agent"), "\(root)/resource.d/hakit/Dummy"])
                .status == 0)
        let runner = runner("hakit", provider: "hakit", agentRoot: root)
        var lines: [String] = []
        let report = runner.run([try CaseFiles.load("Dummy")]) { lines.append($0) }
        try expectAllPass(report, runner, lines: lines)
        #expect(
            lines.first == "== \(CaseFiles.directory)/Dummy.cases: ocf:hakit:Dummy (\(root)/resource.d/hakit/Dummy)")
    }

    /// The big set: every IPaddr2 case against the stock agent, each in its own namespace.
    @Test func ipaddr2CasesPassOnTheStockAgent() throws {
        try #require(TestSupport.isRoot, "network namespaces need root")
        let runner = runner("ipaddr2")
        var lines: [String] = []
        let started = MonotonicClock.milliseconds()
        let report = runner.run([try CaseFiles.load("IPaddr2")]) { lines.append($0) }
        let elapsed = MonotonicClock.milliseconds() - started
        try expectAllPass(report, runner, lines: lines)
        #expect(report.outcomes.count >= 20)
        #expect(elapsed < 60_000, "the stock IPaddr2 case set took \(elapsed) ms")
    }

    /// The IPv6 cases (IPaddr2 with IPv6 addresses, IPv6addr), on the stock agents and on ours:
    /// the same files, both must pass.
    @Test(arguments: [("heartbeat", "IPaddr2v6"), ("hakit", "IPaddr2v6"), ("heartbeat", "IPv6addr"), ("hakit", "IPv6addr")])
    func ipv6CasesPassOnBothProviders(provider: String, file: String) throws {
        try #require(TestSupport.isRoot, "network namespaces need root")
        let root = try TestSupport.temporaryDirectory("conf-cases-v6")
        defer { TestSupport.removeTree(root) }
        try FileSystem.makeDirectories("\(root)/resource.d/hakit")
        let agent = try CaseFiles.load(file).agentType
        try TestSupport.linkAgent(at: "\(root)/resource.d/hakit/\(agent)")
        let label = "hk6-\(provider.prefix(2))-\(file.prefix(5))"
        let runner = provider == "hakit" ? runner(label, provider: provider, agentRoot: root) : runner(label)
        var lines: [String] = []
        let report = runner.run([try CaseFiles.load(file)]) { lines.append($0) }
        try expectAllPass(report, runner, lines: lines)
        #expect(report.outcomes.count >= (file == "IPv6addr" ? 12 : 25))
    }

    @Test func ipaddrCasesPassOnTheStockAgent() throws {
        try #require(TestSupport.isRoot, "network namespaces need root")
        try #require(FileSystem.isExecutable("/bin/ping"), "the stock IPaddr needs /bin/ping: install iputils-ping")
        let runner = runner("ipaddr")
        var lines: [String] = []
        let report = runner.run([try CaseFiles.load("IPaddr")]) { lines.append($0) }
        try expectAllPass(report, runner, lines: lines)
        #expect(report.outcomes.count == 31)
    }

    @Test func sendArpCasesPassOnTheStockAgent() throws {
        try #require(TestSupport.isRoot, "network namespaces need root")
        let runner = runner("sendarp")
        var lines: [String] = []
        let report = runner.run([try CaseFiles.load("SendArp")]) { lines.append($0) }
        try expectAllPass(report, runner, lines: lines)
        #expect(report.outcomes.count == 25)
    }

    /// `depth=N` reaches the agent as `OCF_CHECK_LEVEL`; without it the variable is unset.
    @Test func depthIsPassedAsTheCheckLevel() throws {
        let root = try TestSupport.temporaryDirectory("conf-cases-depth")
        defer { TestSupport.removeTree(root) }
        try FileSystem.makeDirectories("\(root)/resource.d/test")
        // monitor answers 0 at level 10, 7 with no level, 1 at any other level.
        try FileSystem.writeAtomically(
            "\(root)/resource.d/test/Depth",
            contents: """
                #!/bin/sh
                [ "$1" = monitor ] || exit 0
                [ -z "${OCF_CHECK_LEVEL+set}" ] && exit 7
                [ "$OCF_CHECK_LEVEL" = 10 ] && exit 0
                exit 1

                """)
        #expect(try TestSupport.run(["chmod", "755", "\(root)/resource.d/test/Depth"]).status == 0)
        let text = """
            AGENT Depth
            CASE depth
                action monitor 0 depth=10
                action monitor 7
                action monitor 1 depth=20 probe
            """
        let runner = runner("depth", provider: "test", agentRoot: root)
        var lines: [String] = []
        let report = runner.run([try CaseFileParser.parse(text, path: "depth.cases")]) { lines.append($0) }
        #expect(report.passed, "\(lines.joined(separator: "\n"))")
    }

    /// Deliberately wrong expectations against the stock Dummy: each is reported at its line.
    @Test func wrongExpectationsFailAtTheirLines() throws {
        let text = """
            AGENT Dummy
            SETUP
                param state=${CASE_DIR}/state
            CLEANUP
                action stop any
            CASE wrong code
                action start 1
                action monitor 0
            CASE wrong file
                action start 0
                expect file ${CASE_DIR}/state absent
                expect file ${CASE_DIR}/other exists
            CASE wrong command
                expect command succeeds test -e ${CASE_DIR}/state
                expect command fails true
            CASE set-up that fails stops the case but not the clean-up
                action start 0
                run exit 3
                action stop 0
            CASE interface without a namespace is refused
                interface eth0
            CASE right expectations
                action start 0
                expect file ${CASE_DIR}/state exists
                expect command succeeds test -e ${CASE_DIR}/state
                expect no process matching no-such-process-anywhere-[0-9]
            """
        let file = try CaseFileParser.parse(text, path: "wrong.cases")
        let runner = runner("wrong")
        let report = runner.run([file])
        #expect(report.outcomes.map(\.passed) == [false, false, false, false, false, true])
        #expect(report.summaryLine == "1 passed, 5 failed")
        #expect(
            report.outcomes[0].failures.map(\.line) == [
                "wrong.cases:7: action start: 0 OCF_SUCCESS, expected 1"
            ])
        let fileFailures = report.outcomes[1].failures.map(\.line)
        #expect(fileFailures.count == 2)
        #expect(fileFailures[0].hasPrefix("wrong.cases:11: expect file /tmp/ocf-conformance-case-"))
        #expect(fileFailures[0].hasSuffix("/state absent: it exists"))
        #expect(fileFailures[1].hasPrefix("wrong.cases:12: expect file "))
        #expect(report.outcomes[2].failures.map(\.location) == ["wrong.cases:14", "wrong.cases:15"])
        #expect(report.outcomes[3].failures.map(\.line) == ["wrong.cases:18: run exit 3: exit status 3"])
        // The step after the failed set-up did not run; the clean-up did.
        #expect(report.outcomes[3].stepsRun == 4)
        #expect(
            report.outcomes[4].failures.map(\.line) == [
                "wrong.cases:21: interface needs the case's namespace: put a namespace step first"
            ])
        #expect(report.outcomes[5].reportLine.hasPrefix("PASS  wrong.cases:22       right expectations (6 steps, "))
    }

    /// Inside a namespace: addresses, processes, an HTTP GET, and nothing run before the namespace exists.
    @Test func namespacedPostconditions() throws {
        try #require(TestSupport.isRoot, "network namespaces need root")
        try #require(FileSystem.isExecutable("/usr/bin/curl"), "expect get uses curl: install curl")
        let text = """
            AGENT Dummy
            SETUP
                env HA_RSCTMP=${CASE_DIR}
                param state=${CASE_DIR}/state
            CLEANUP
                run if [ -f ${CASE_DIR}/pid ]; then kill $(cat ${CASE_DIR}/pid); fi
                action stop any
            CASE the agent never runs before the namespace
                action start 0
                namespace
                action monitor 7
            CASE addresses inside the namespace
                namespace
                interface eth0
                address 203.0.113.2/24 on eth0
                expect address 203.0.113.2/24 present on eth0 brd 0.0.0.0
                expect address 203.0.113.2/25 present on eth0
                expect address 203.0.113.9/24 present on eth0
                expect address 203.0.113.2 absent
                expect address 203.0.113.9 absent on eth0
                expect command succeeds ip -o addr show dev eth0 | grep -q 203.0.113.2/24
            CASE a process started in the namespace is seen there
                namespace
                run sleep 30 >/dev/null 2>&1 & echo $! > ${CASE_DIR}/pid
                expect process matching ^sleep 30$
                expect no process matching ^sleep 30$
            CASE an HTTP GET inside the namespace
                namespace
                write ${CASE_DIR}/www/index.html <<END
                <html><title>case file</title></html>
                END
                run cd ${CASE_DIR}/www && /usr/bin/python3 -m http.server --bind 127.0.0.1 8080 >/dev/null 2>&1 & echo $! > ${CASE_DIR}/pid
                run for i in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:8080/ && exit 0; sleep 0.1; done; exit 1
                expect get http://127.0.0.1:8080/index.html matches <title>case (file|files)</title>
                expect get http://127.0.0.1:8080/index.html matches <title>nothing</title>
            """
        let file = try CaseFileParser.parse(text, path: "ns.cases")
        let runner = runner("ns")
        let report = runner.run([file])
        #expect(try TestNamespace.existing(prefix: runner.options.namespacePrefix + "-").isEmpty)
        // The failed start is the only failure: the clean-up, which needs the namespace, is skipped.
        #expect(
            report.outcomes[0].failures.map(\.line) == [
                "ns.cases:9: no namespace yet: put the namespace step before agent actions"
            ])
        let addressFailures = report.outcomes[1].failures.map(\.line)
        #expect(
            addressFailures == [
                "ns.cases:16: expect address 203.0.113.2/24 present on eth0 brd 0.0.0.0: its broadcast is unset",
                "ns.cases:17: expect address 203.0.113.2/25 present on eth0: eth0 has 203.0.113.2/24",
                "ns.cases:18: expect address 203.0.113.9/24 present on eth0: eth0 has 203.0.113.2/24",
                "ns.cases:19: expect address 203.0.113.2 absent: 203.0.113.2/24 is on eth0",
            ])
        let processFailures = report.outcomes[2].failures.map(\.line)
        #expect(processFailures.count == 1)
        #expect(processFailures.first?.hasPrefix("ns.cases:26: expect no process matching ^sleep 30$: pid ") == true)
        #expect(
            report.outcomes[3].failures.map(\.line) == [
                "ns.cases:35: expect get http://127.0.0.1:8080/index.html matches <title>nothing</title>: the body (38 bytes) does not match"
            ])
    }
}
