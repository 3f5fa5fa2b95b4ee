import OCF
import Runner
import Testing

@Suite struct ResultMappingTests {
    @Test(arguments: [(0, 0), (1, 7), (2, 7), (3, 7), (4, 1), (5, 1), (150, 5), (151, 4), (200, 1)] as [(Int32, Int32)])
    func lsbStatusMapsAsPacemakerDoes(status: Int32, ocf: Int32) {
        #expect(LSBResultMapping.ocfCode(action: .monitor, status: status).rawValue == ocf)
        #expect(LSBResultMapping.ocfCode(action: .status, status: status).rawValue == ocf)
    }

    @Test(arguments: [(0, 0), (1, 1), (5, 5), (6, 6), (7, 7), (8, 1), (150, 1), (255, 1)] as [(Int32, Int32)])
    func lsbOtherActionsKeepZeroToSeven(status: Int32, ocf: Int32) {
        #expect(LSBResultMapping.ocfCode(action: .start, status: status).rawValue == ocf)
        #expect(LSBResultMapping.ocfCode(action: .stop, status: status).rawValue == ocf)
    }

    @Test func monitorIsSentAsStatus() {
        #expect(LSBResultMapping.scriptAction(for: .monitor) == "status")
        #expect(LSBResultMapping.scriptAction(for: .start) == "start")
        #expect(HeartbeatResultMapping.scriptAction(for: .monitor) == "status")
    }

    @Test(arguments: [
        ("httpd (pid 1234) is running...", true), ("IPaddr Running OK", true), ("OK", true),
        ("httpd is not running", false), ("Resource is NOT RUNNING", false), ("stopped", false), ("", false),
        ("ok", false),
    ])
    func heartbeatJudgesRunningFromStatusOutput(output: String, running: Bool) {
        #expect(HeartbeatResultMapping.isRunning(statusOutput: output) == running)
        #expect(HeartbeatResultMapping.ocfCode(action: .monitor, status: 0, output: output) == (running ? .success : .notRunning))
    }

    @Test func initInfoBlockIsRead() {
        let script = """
            #!/bin/sh
            ### BEGIN INIT INFO
            # Provides:          apache2
            # Required-Start:    $local_fs $remote_fs $network
            # Short-Description: Apache2 web server
            # Description:       Start the web server
            #  This script will start the apache2 web server.
            ### END INIT INFO
            # Description: not this one
            """
        let info = SynthesizedMetadata.initInfo(script)
        #expect(info["Provides"] == "apache2")
        #expect(info["Short-Description"] == "Apache2 web server")
        #expect(info["Description"] == "Start the web server This script will start the apache2 web server.")
        #expect(info["Required-Start"] == "$local_fs $remote_fs $network")
    }

    @Test func heartbeatSpecSplitsArguments() throws {
        let spec = try AgentSpec(parsing: "heartbeat:maid::vacuum::full", locations: AgentLocations(haResourceDirectory: "/nonexistent"))
        #expect(spec.standard == .heartbeat)
        #expect(spec.type == "maid")
        #expect(spec.arguments == ["vacuum", "full"])
        #expect(spec.description == "heartbeat:maid::vacuum::full")
        let lsb = try AgentSpec(parsing: "lsb:apache2", locations: AgentLocations(initDirectory: "/x/init.d"))
        #expect(lsb.path == "/x/init.d/apache2")
        #expect(lsb.description == "lsb:apache2")
    }
}
