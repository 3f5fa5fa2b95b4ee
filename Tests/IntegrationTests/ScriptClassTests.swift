#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import HAKitTestSupport
import Testing

/// LSB init scripts and heartbeat v1 resource scripts run through `ocf-run`, with scripts the
/// test writes into its own init.d and resource.d directories.
@Suite struct ScriptClassTests {
    let ocfRun = TestSupport.binary("ocf-run")

    /// An LSB-compliant service: a background sleep with a pid file.
    static let service = """
        #!/bin/sh
        ### BEGIN INIT INFO
        # Provides:          svc
        # Short-Description: Test service
        # Description:       A sleeping test service
        ### END INIT INFO
        pidfile="$(dirname "$0")/../svc.pid"
        running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }
        case "$1" in
        start) running && exit 0; setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $! > "$pidfile"; exit 0 ;;
        stop) running && kill "$(cat "$pidfile")"; rm -f "$pidfile"; exit 0 ;;
        status) running && { echo "svc is running"; exit 0; }; [ -f "$pidfile" ] && exit 1; echo "svc is stopped"; exit 3 ;;
        *) exit 3 ;;
        esac
        """

    func withDirectories(_ body: (_ root: String) throws -> Void) throws {
        let root = try TestSupport.temporaryDirectory("classes")
        defer {
            if let pid = try? FileSystem.read("\(root)/svc.pid").flatMap({ Int32($0.filter(\.isNumber)) }) { kill(pid, SIGKILL) }
            TestSupport.removeTree(root)
        }
        try FileSystem.makeDirectories("\(root)/init.d")
        try FileSystem.makeDirectories("\(root)/resource.d")
        try body(root)
    }

    func run(_ root: String, _ arguments: String...) throws -> TestSupport.CommandResult {
        try TestSupport.run(
            [ocfRun, "--init-dir", "\(root)/init.d", "--ha-resource-dir", "\(root)/resource.d"] + arguments)
    }

    @Test func lsbScriptLifecycleWithMappedCodes() throws {
        try withDirectories { root in
            try TestSupport.writeScript("\(root)/init.d/svc", Self.service)
            #expect(try run(root, "lsb:svc", "monitor").status == 7)
            let monitor = try run(root, "lsb:svc", "monitor")
            #expect(monitor.errorOutput.contains("lsb:svc monitor: 7 OCF_NOT_RUNNING (script exit 3)"))
            let start = try run(root, "--check", "lsb:svc", "start")
            #expect(start.status == 0, "\(start.errorOutput)")
            #expect(start.errorOutput.contains("check ok   monitor after start returned 0 OCF_SUCCESS: running"))
            #expect(try run(root, "lsb:svc", "start").status == 0)
            #expect(try run(root, "lsb:svc", "status").status == 0)
            let stop = try run(root, "--check", "lsb:svc", "stop")
            #expect(stop.status == 0, "\(stop.errorOutput)")
            #expect(!stop.errorOutput.contains("FAIL"))
            #expect(try run(root, "lsb:svc", "stop").status == 0)
            // A dead service with its pid file left: status 1, counted as not running.
            try FileSystem.writeAtomically("\(root)/svc.pid", contents: "999999\n")
            #expect(try run(root, "lsb:svc", "monitor").status == 7)
            #expect(try run(root, "lsb:svc", "validate-all").status == 3)
            #expect(try run(root, "lsb:svc", "start", "a=b").errorOutput.contains("take no NAME=VALUE parameters"))
        }
    }

    @Test func lsbStatusCodesForMissingSoftwareAndPermissions() throws {
        try withDirectories { root in
            try TestSupport.writeScript("\(root)/init.d/odd", "#!/bin/sh\nexit $(cat \"$(dirname \"$0\")/../code\")\n")
            for (status, code) in [(150, 5), (151, 4), (4, 1)] as [(Int, Int32)] {
                try FileSystem.writeAtomically("\(root)/code", contents: "\(status)\n")
                #expect(try run(root, "lsb:odd", "monitor").status == code, "status \(status)")
            }
        }
    }

    @Test func lsbMetadataIsSynthesisedAndValid() throws {
        try withDirectories { root in
            try TestSupport.writeScript("\(root)/init.d/svc", Self.service)
            let result = try run(root, "--check", "lsb:svc", "meta-data")
            #expect(result.status == 0, "\(result.errorOutput)")
            #expect(result.output.contains("<shortdesc lang=\"en\">Test service</shortdesc>"))
            try FileSystem.writeAtomically("\(root)/meta.xml", contents: result.output)
            let lint = try TestSupport.run([
                "xmllint", "--noout", "--dtdvalid", "/usr/share/resource-agents/ra-api-1.dtd", "\(root)/meta.xml",
            ])
            #expect(lint.status == 0, "\(lint.errorOutput)")
        }
    }

    @Test func heartbeatScriptGetsItsArgumentsAndStatusOutputDecides() throws {
        try withDirectories { root in
            // Exit codes deliberately unhelpful: heartbeat judges status by what it prints.
            try TestSupport.writeScript("\(root)/resource.d/maid", """
                #!/bin/sh
                state="$(dirname "$0")/../maid.state"
                echo "$@" >> "$(dirname "$0")/../maid.calls"
                case "$2" in
                start) touch "$state" ;;
                stop) rm -f "$state" ;;
                status) [ -f "$state" ] && echo "maid $1 running" || echo "maid $1 is not running" ;;
                esac
                exit 0
                """)
            #expect(try run(root, "heartbeat:maid::vacuum", "monitor").status == 7)
            #expect(try run(root, "--check", "heartbeat:maid::vacuum", "start").status == 0)
            #expect(try run(root, "heartbeat:maid::vacuum", "monitor").status == 0)
            #expect(try run(root, "heartbeat:maid::vacuum", "stop").status == 0)
            #expect(try run(root, "heartbeat:maid::vacuum", "monitor").status == 7)
            let calls = try FileSystem.read("\(root)/maid.calls")
            #expect(calls == "vacuum status\nvacuum start\nvacuum status\nvacuum status\nvacuum stop\nvacuum status\n")
        }
    }

    @Test func heartbeatFallsBackToInitDirectory() throws {
        try withDirectories { root in
            try TestSupport.writeScript("\(root)/init.d/svc", Self.service)
            #expect(try run(root, "heartbeat:svc", "start").status == 0)
            let status = try run(root, "heartbeat:svc", "monitor")
            #expect(status.status == 0)
            #expect(status.errorOutput.contains("heartbeat:svc monitor: 0 OCF_SUCCESS"))
            #expect(try run(root, "heartbeat:svc", "stop").status == 0)
            let missing = try run(root, "heartbeat:nonexistent", "start")
            #expect(missing.status == 5)
            #expect(missing.errorOutput.contains("cannot run heartbeat:nonexistent"))
        }
    }
}
