import HAKitTestSupport
import OCF
import Runner
import Testing

/// Small deliberately broken agents: each check must catch its defect.
@Suite struct ContractCheckTests {
    let executor = Executor(baseEnvironment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"])

    static let metadata = """
        cat <<'XML'
        <?xml version="1.0"?>
        <resource-agent name="t"><version>1.0</version><longdesc lang="en">t</longdesc><shortdesc lang="en">t</shortdesc>
        <parameters/><actions><action name="start" timeout="20s"/><action name="stop" timeout="1s"/>
        <action name="monitor" timeout="20s"/><action name="meta-data" timeout="5s"/><action name="validate-all" timeout="5s"/></actions>
        </resource-agent>
        XML
        """

    /// A state-file agent whose actions can be broken one at a time through `$BROKEN`.
    func agent(broken: String) throws -> ScriptAgent {
        try ScriptAgent("contract", """
            state="$(dirname "$0")/state"
            case "$1" in
            meta-data) \(broken == "metadata" ? "echo '<resource-agent name=\"t\"><version>'" : Self.metadata)
                exit 0 ;;
            start) \(broken == "start" ? "" : "touch \"$state\";") exit 0 ;;
            stop) rm -f "$state"; \(broken == "stop-slow" ? "sleep 1.3;" : "") \(broken == "stop7" ? "exit 7" : "exit 0") ;;
            monitor) [ -f "$state" ] && exit 0; exit 7 ;;
            validate-all) exit 0 ;;
            notify) exit 0 ;;
            *) \(broken == "unknown" ? "exit 0" : "exit 3") ;;
            esac
            """)
    }

    func judge(_ broken: String, _ action: OCFAction) throws -> [Finding] {
        let script = try agent(broken: broken)
        defer { script.remove() }
        if action == .stop { _ = try executor.run(script.request(.start)) }
        let result = try executor.run(script.request(action))
        return ContractCheck(executor: executor).judge(result).findings
    }

    func failures(_ findings: [Finding]) -> [String] { findings.filter { !$0.passed }.map(\.message) }

    @Test func correctAgentPasses() throws {
        for action in [OCFAction.metaData, .start, .stop, .monitor, .validateAll, OCFAction(rawValue: "bogus")] {
            #expect(failures(try judge("none", action)).isEmpty, "\(action)")
        }
    }

    @Test func startThatDoesNotStartIsCaught() throws {
        let found = failures(try judge("start", .start))
        #expect(found == ["start returned 0 but the monitor after it returned 7 OCF_NOT_RUNNING; the resource should be running"])
    }

    @Test func stopReturningNotRunningIsCaught() throws {
        #expect(failures(try judge("stop7", .stop)).contains { $0.hasPrefix("7 OCF_NOT_RUNNING is not a valid result of stop") })
    }

    @Test func malformedMetadataIsCaught() throws {
        #expect(failures(try judge("metadata", .metaData)).contains { $0.contains("not well-formed") })
    }

    @Test func successForUnknownActionIsCaught() throws {
        #expect(failures(try judge("unknown", OCFAction(rawValue: "bogus"))).contains { $0.contains("should answer 3") })
    }

    @Test func actionUsedButNotAdvertisedIsCaught() throws {
        #expect(failures(try judge("none", .notify)) == ["notify answered 0 but is not advertised in meta-data"])
    }

    @Test func actionSlowerThanAdvertisedIsCaught() throws {
        #expect(failures(try judge("stop-slow", .stop)).contains { $0.contains("more than the 1000 ms its meta-data advertises") })
    }
}
