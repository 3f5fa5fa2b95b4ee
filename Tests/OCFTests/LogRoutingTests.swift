import HAKitSystem
import HAKitTestSupport
import OCF
import Testing

/// When a line goes to standard error, as ocf-shellfuncs' ha_log and ha_debug decide it
/// (resource-agents 4.12): Pacemaker's execd logs an agent's standard error again as "error
/// output", so a line that went to HA_LOGFILE or syslog must not go there too.
@Suite struct LogRoutingTests {
    struct Case: CustomStringConvertible {
        var environment: [String: String]
        var interactive = false
        var info: Bool
        var debug: Bool
        var description: String { "\(environment) tty=\(interactive)" }
    }

    static let cases: [Case] = [
        // Nothing set, not a terminal: ha_log's last resort is stderr; ha_debug's HA_DEBUGLOG is /dev/null.
        Case(environment: [:], info: true, debug: false),
        Case(environment: ["HA_LOGFILE": "/var/log/pacemaker/pacemaker.log"], info: false, debug: false),
        Case(environment: ["HA_LOGFACILITY": "daemon"], info: false, debug: false),
        Case(environment: ["HA_LOGFACILITY": "none"], info: true, debug: false),
        Case(environment: ["HA_LOGFACILITY": "none", "HA_LOGFILE": "/x.log"], info: false, debug: false),
        Case(environment: ["HA_LOGD": "yes"], info: false, debug: false),
        Case(environment: ["HA_use_logd": "on"], info: false, debug: false),
        Case(environment: ["HA_use_logd": "off"], info: true, debug: false),
        Case(environment: ["HA_DEBUGLOG": "/x.debug"], info: true, debug: false),
        // On a terminal everything goes to stderr only.
        Case(environment: ["HA_LOGFILE": "/x.log", "HA_LOGFACILITY": "daemon"], interactive: true, info: true, debug: true),
    ]

    @Test(arguments: cases) func standardErrorAsTheShellFunctionsDecide(_ c: Case) {
        let routing = StandardErrorRouting(environment: OCFEnvironment(c.environment), interactive: c.interactive)
        #expect(routing.writesStandardError(.info) == c.info)
        #expect(routing.writesStandardError(.error) == c.info)
        #expect(routing.writesStandardError(.debug) == c.debug)
    }

    /// Under a cluster with HA_LOGFILE, each line is in the file once and stderr holds only the
    /// exit reason: nothing reaches pacemaker.log twice.
    @Test func withLogFileEveryLineOnceAndStderrOnlyTheExitReason() throws {
        let directory = try TestSupport.temporaryDirectory("hk-ag-log")
        defer { TestSupport.removeTree(directory) }
        let file = "\(directory)/agent.log"
        let capture = Capture()
        let code = AgentMain.run(
            ProbeAgent.self, arguments: ["ProbeAgent", "start"],
            environment: OCFEnvironment([
                "OCF_RESOURCE_INSTANCE": "p1", "OCF_RA_VERSION_MAJOR": "1", "OCF_RESKEY_name": "n",
                "OCF_RESKEY_mode": "start-fails", "HA_LOGFILE": file,
            ]), io: capture.io)
        #expect(code == .genericError)
        #expect(capture.stderr == "ocf-exit-reason:could not start: port 80 is taken\n")
        let logged = try FileSystem.read(file) ?? ""
        #expect(logged.ranges(of: "ERROR: could not start: port 80 is taken").count == 1, "\(logged)")

        let without = Capture()
        _ = AgentMain.run(
            ProbeAgent.self, arguments: ["ProbeAgent", "start"],
            environment: OCFEnvironment([
                "OCF_RESOURCE_INSTANCE": "p1", "OCF_RA_VERSION_MAJOR": "1", "OCF_RESKEY_name": "n",
                "OCF_RESKEY_mode": "start-fails",
            ]), io: without.io)
        // Without a log file the reason is still on stderr exactly once.
        #expect(without.stderr.ranges(of: "could not start: port 80 is taken").count == 1, "\(without.stderr)")
    }
}
