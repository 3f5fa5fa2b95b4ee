import HAKitTestSupport
import OCF
import Runner
import Testing

/// What a `systemd:` resource gives without a systemd to ask (the real thing is in
/// IntegrationTests/SystemdClassTests).
@Suite struct SystemdExecutorTests {
    let executor = Executor(
        baseEnvironment: [:],
        systemd: SystemdOptions(busAddress: "unix:path=/nonexistent/hakit-bus", runtimeUnitDirectory: "/nonexistent/run"))

    func run(_ action: OCFAction) throws -> ActionResult {
        try executor.run(ActionRequest(agent: try AgentSpec(parsing: "systemd:httpd", ocfRoot: "/"), action: action))
    }

    @Test func noBusIsAGenericErrorThatSaysWhy() throws {
        for action in [OCFAction.start, .stop, .monitor] {
            let result = try run(action)
            #expect(result.code == .genericError)
            #expect(!result.timedOut)
            #expect(result.exitReason?.contains("connecting to the bus at unix:path=/nonexistent/hakit-bus") == true, "\(result.errorOutput)")
        }
    }

    @Test func metadataIsSynthesisedEvenWithoutABus() throws {
        let result = try run(.metaData)
        #expect(result.code == .success)
        let metadata = try AgentMetadata(xml: result.output)
        for action in ["start", "stop", "monitor", "status", "restart", "meta-data"] {
            #expect(metadata.advertises(action), "\(action)")
        }
        #expect(metadata.timeoutMilliseconds(for: "start") == 100_000)
        #expect(result.output.contains("The systemd unit httpd.service, started and stopped through systemd&apos;s D-Bus API."))
    }

    @Test func actionsSystemdDoesNotHaveAreUnimplemented() throws {
        for action in [OCFAction.validateAll, .reload, .promote, .notify] {
            let result = try run(action)
            #expect(result.code == .unimplemented)
            #expect(result.exitReason == "systemd resources have no \(action) action")
        }
    }
}
