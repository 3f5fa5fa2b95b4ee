import Conformance
import HAKitTestSupport
import OCF
import Runner
import Testing

/// The suite on small shell agents: a correct one passes every check, and each deliberately
/// broken one fails exactly the check meant to catch its defect.
@Suite struct ConformanceSuiteTests {
    /// The titles of the failed checks.
    func failures(_ report: ConformanceReport) -> [String] { report.checks.filter { !$0.passed }.map(\.title) }

    /// Runs the suite on an agent with some features and defects, and removes it afterwards.
    func run(
        _ label: String, features: Set<TestAgent.Feature> = [], defects: Set<TestAgent.Defect> = []
    ) throws -> (report: ConformanceReport, leftRunning: Bool) {
        let agent = try TestAgent(label, features: features, defects: defects)
        defer { agent.remove() }
        let report = try agent.report()
        return (report, agent.running)
    }

    @Test func correctAgentWithEveryOptionalActionPasses() throws {
        let (report, leftRunning) = try run("correct", features: Set(TestAgent.Feature.allCases))
        #expect(failures(report) == [])
        #expect(report.summaryLine == "\(report.checks.count) passed, 0 failed")
        #expect(!leftRunning)
        let titles = report.checks.map(\.title)
        for expected in [
            "meta-data as the unprivileged user nobody", "validate-all without the required parameter name",
            "monitor of a promoted resource", "notify (post-start) on a running resource", "monitor after reload",
            "migrate_from after migrate_to", "an unknown action", "stop again on a stopped resource",
            "reload-agent is not advertised, so it must answer 3",
        ] {
            #expect(titles.contains(expected), "\(expected)")
        }
        let promoted = report.checks.first { $0.title == "monitor of a promoted resource" }
        #expect(promoted?.seenCode == .runningPromoted)
        #expect(promoted?.line.hasPrefix("PASS  monitor        8 OCF_RUNNING_PROMOTED") == true)
    }

    @Test func correctAgentWithoutOptionalActionsPasses() throws {
        let (report, leftRunning) = try run("minimal")
        #expect(failures(report) == [])
        #expect(!leftRunning)
        let unadvertised = report.checks.filter { $0.title.hasSuffix("is not advertised, so it must answer 3") }
        #expect(
            unadvertised.map(\.action) == [
                "notify", "promote", "demote", "reload", "reload-agent", "migrate_to", "migrate_from",
            ])
    }

    @Test func metadataOnlyForRootIsCaught() throws {
        #expect(
            failures(try run("nobody", defects: [.nobodyMetadata]).report) == [
                "meta-data as the unprivileged user nobody"
            ])
    }

    @Test func metadataInvalidAgainstTheDTDIsCaught() throws {
        let report = try run("dtd", defects: [.dtdInvalid]).report
        #expect(failures(report) == ["valid against /usr/share/resource-agents/ra-api-1.dtd"])
        #expect(report.checks.first { !$0.passed }?.detail?.contains("select") == true)
    }

    @Test func metadataWithoutDoctypeIsCaught() throws {
        #expect(
            failures(try run("doctype", defects: [.noDoctype]).report) == [
                "DOCTYPE names ra-api-1.dtd (ocf-tester validates with xmllint --valid)"
            ])
    }

    @Test func mandatoryActionNotAdvertisedIsCaught() throws {
        let report = try run("mandatory", defects: [.validateNotAdvertised]).report
        #expect(failures(report) == ["advertises start, stop, monitor, meta-data and validate-all"])
        #expect(report.checks.first { !$0.passed }?.detail == "missing validate-all")
    }

    @Test func missingRequiredParameterAcceptedIsCaught() throws {
        let report = try run("required", defects: [.ignoresRequired]).report
        #expect(failures(report) == ["validate-all without the required parameter name"])
        let check = report.checks.first { !$0.passed }
        #expect(check?.seen == "0 OCF_SUCCESS")
        #expect(check?.expected == "6 or 5")
    }

    @Test func successForUnknownActionIsCaught() throws {
        // The catch-all that answers 0 also answers reload-agent, which is not advertised.
        let found = failures(try run("unknown", defects: [.unknownSucceeds]).report)
        #expect(found == ["an unknown action", "reload-agent is not advertised, so it must answer 3"])
    }

    @Test func monitorFailingOnStoppedResourceIsCaught() throws {
        let found = failures(try run("monitor", defects: [.monitorStoppedFails]).report)
        #expect(found.contains("monitor on a stopped resource"))
        #expect(found.contains("probe (interval 0) on a stopped resource"))
        #expect(found.contains("monitor after stop"))
    }

    @Test func startOnRunningResourceFailingIsCaught() throws {
        #expect(failures(try run("start", defects: [.startTwiceFails]).report) == ["start again on a running resource"])
    }

    @Test func stopOnStoppedResourceAnsweringNotRunningIsCaught() throws {
        #expect(
            failures(try run("stop", defects: [.stopTwiceNotRunning]).report) == ["stop again on a stopped resource"])
    }

    @Test func actionSlowerThanAdvertisedIsCaught() throws {
        let report = try run("slow", defects: [.slowStop]).report
        let found = failures(report)
        #expect(found.contains("stop on a running resource"))
        #expect(found.contains { $0.hasPrefix("every action finished within its advertised timeout") })
        #expect(report.checks.first { $0.title == "stop on a running resource" }?.seen == "timed out after 1000 ms")
    }

    @Test func abortedRunStillLeavesTheResourceStopped() throws {
        let (report, leftRunning) = try run("abort", defects: [.stopFailsOnce])
        #expect(failures(report) == ["stop on a running resource"])
        #expect(report.entries.contains(.note("tests aborted: stop on a running resource failed (1 OCF_ERR_GENERIC)")))
        #expect(!leftRunning)
    }

    @Test func actionUsedButNotAdvertisedIsCaught() throws {
        #expect(
            failures(try run("notify", defects: [.notifyNotAdvertised]).report) == [
                "notify is not advertised, so it must answer 3"
            ])
    }

    @Test func migrationNotAdvertisedIsCaughtAndTheResourceLeftStopped() throws {
        let (report, leftRunning) = try run("migrate", defects: [.migrateNotAdvertised])
        #expect(
            failures(report) == [
                "migrate_to is not advertised, so it must answer 3",
                "migrate_from is not advertised, so it must answer 3",
            ])
        #expect(!leftRunning)
    }

    @Test func promoteWithoutDemoteIsCaught() throws {
        let found = failures(try run("partial", features: [.promotable], defects: [.demoteNotAdvertised]).report)
        #expect(
            found == ["promote and demote are advertised together", "demote is not advertised, so it must answer 3"])
    }

    @Test func promotedRoleNotReportedIsCaught() throws {
        let found = failures(try run("role", features: [.promotable], defects: [.promotedRoleHidden]).report)
        #expect(found == ["monitor of a promoted resource", "monitor after promoting twice"])
    }

    @Test func reloadThatStopsTheResourceIsCaught() throws {
        #expect(
            failures(try run("reload", features: [.reload], defects: [.reloadStops]).report) == ["monitor after reload"]
        )
    }

    @Test func migrateFromThatDoesNotStartIsCaught() throws {
        let found = failures(try run("migrate-from", features: [.migrate], defects: [.migrateFromNoop]).report)
        #expect(found == ["monitor after migrate_from (the resource runs on the target)"])
    }

    @Test func probeFailingWithoutBinariesIsCaught() throws {
        #expect(
            failures(try run("binaries", defects: [.probeNeedsBinaries]).report) == [
                "probe on a stopped resource with binaries missing"
            ])
    }

    @Test func missingAgentFailsAndStops() throws {
        let directory = try TestSupport.temporaryDirectory("conf-missing")
        defer { TestSupport.removeTree(directory) }
        let options = ConformanceOptions(
            agent: try AgentSpec(parsing: "\(directory)/nothing", ocfRoot: "/usr/lib/ocf"),
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"])
        let report = ConformanceSuite(options: options).run()
        #expect(report.checks.map(\.seen) == ["missing"])
        #expect(report.checks.first?.title == "the agent \(directory)/nothing is an executable file")
        #expect(report.summaryLine == "0 passed, 1 failed")
    }
}
