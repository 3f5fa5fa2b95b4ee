import Foundation
import HAKitSystem
import HAKitTestSupport
import Testing

/// `hakit-agent` and `ocf-run` as processes, against our agents and Debian's.
@Suite struct ToolTests {
    let ocfRun = TestSupport.binary("ocf-run")

    /// A directory holding a link named Dummy to hakit-agent, as an OCF provider directory.
    func withProvider(_ body: (_ root: String, _ directory: String) throws -> Void) throws {
        let root = try TestSupport.temporaryDirectory("provider")
        defer { TestSupport.removeTree(root) }
        try FileSystem.makeDirectories("\(root)/resource.d/hakit")
        _ = try TestSupport.run(["ln", "-s", TestSupport.binary("hakit-agent"), "\(root)/resource.d/hakit/Dummy"])
        try body(root, root)
    }

    @Test func multiCallBinaryDispatchesOnItsName() throws {
        try withProvider { root, _ in
            let link = "\(root)/resource.d/hakit/Dummy"
            let bare = try TestSupport.run([link], environment: [:])
            #expect(bare.status == 2)
            #expect(bare.errorOutput.hasPrefix("usage: Dummy {start|stop|monitor|reload|migrate_to|migrate_from|meta-data|validate-all}"))
            let unknown = try TestSupport.run([link, "frobnicate"], environment: [:])
            #expect(unknown.status == 3)
            let direct = try TestSupport.run([TestSupport.binary("hakit-agent"), "Dummy", "meta-data"], environment: [:])
            #expect(direct.status == 0 && direct.output.contains("<resource-agent name=\"Dummy\""))
            let none = try TestSupport.run([TestSupport.binary("hakit-agent"), "NoSuchAgent", "start"], environment: [:])
            #expect(none.status == 2)
            #expect(none.errorOutput.contains("no agent named NoSuchAgent"))
        }
    }

    @Test func ocfRunDrivesOurDummyThroughItsLifecycle() throws {
        try withProvider { root, directory in
            let state = "\(directory)/state"
            func run(_ action: String) throws -> TestSupport.CommandResult {
                try TestSupport.run([ocfRun, "--ocf-root", root, "--check", "ocf:hakit:Dummy", action, "state=\(state)"])
            }
            #expect(try run("monitor").status == 7)
            let start = try run("start")
            #expect(start.status == 0, "\(start.errorOutput)")
            #expect(start.errorOutput.contains("ocf-run: ocf:hakit:Dummy start: 0 OCF_SUCCESS ("))
            #expect(start.errorOutput.contains("check ok   monitor after start returned 0 OCF_SUCCESS: running"))
            #expect(!start.errorOutput.contains("FAIL"))
            #expect(try run("start").status == 0)
            #expect(try run("monitor").status == 0)
            #expect(try run("stop").status == 0)
            #expect(try run("stop").status == 0)
            #expect(try run("monitor").status == 7)
        }
    }

    @Test func ocfRunRunsDebiansDummy() throws {
        let directory = try TestSupport.temporaryDirectory("stock")
        defer { TestSupport.removeTree(directory) }
        let state = "\(directory)/state"
        for (action, expected) in [("start", 0), ("monitor", 0), ("stop", 0), ("monitor", 7)] as [(String, Int32)] {
            let result = try TestSupport.run([ocfRun, "--check", "ocf:heartbeat:Dummy", action, "state=\(state)"])
            #expect(result.status == expected, "\(action): \(result.errorOutput)")
            #expect(!result.errorOutput.contains("check FAIL"), "\(result.errorOutput)")
        }
    }

    @Test func timedOutActionSaysSoAndExitsOne() throws {
        let directory = try TestSupport.temporaryDirectory("slow")
        defer { TestSupport.removeTree(directory) }
        try TestSupport.writeScript("\(directory)/slow", "#!/bin/sh\nsleep 30\n")
        let result = try TestSupport.run([ocfRun, "--timeout", "300ms", "--kill-after", "200ms", "\(directory)/slow", "start"])
        #expect(result.status == 1)
        #expect(result.errorOutput.contains("start: timed out after 300 ms, counted as 1 OCF_ERR_GENERIC"))
    }

    /// Durations too long for Pacemaker's 32-bit milliseconds are a usage error (before, the
    /// nanosecond deadline of `--timeout 9223372036854775s` overflowed and trapped).
    @Test(arguments: [
        ["--timeout", "9223372036854775s"], ["--timeout", "4294968s"], ["--kill-after", "9223372036854775s"],
        ["--interval", "9223372036854775807", "--count", "2"],
    ])
    func durationsBeyondPacemakersAreRefused(arguments: [String]) throws {
        let directory = try TestSupport.temporaryDirectory("long")
        defer { TestSupport.removeTree(directory) }
        try TestSupport.writeScript("\(directory)/quick", "#!/bin/sh\nexit 0\n")
        let result = try TestSupport.run([ocfRun] + arguments + ["\(directory)/quick", "start"])
        #expect(result.status == 64, "\(result.errorOutput)")
        #expect(result.errorOutput.contains("may be at most 4294967295 ms"), "\(result.errorOutput)")
        let longest = try TestSupport.run([ocfRun, "--timeout", "4294967s", "\(directory)/quick", "start"])
        #expect(longest.status == 0, "the longest duration is accepted: \(longest.errorOutput)")
    }

    @Test func jsonOutputIsOneObjectPerRun() throws {
        try withProvider { root, directory in
            let result = try TestSupport.run([
                ocfRun, "--json", "--ocf-root", root, "--interval", "50", "--count", "3", "ocf:hakit:Dummy", "monitor",
                "state=\(directory)/state",
            ])
            #expect(result.status == 7)
            let lines = result.output.split(separator: "\n")
            #expect(lines.count == 3)
            for line in lines {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect(object["rc"] as? Int == 7)
                #expect(object["rc_name"] as? String == "OCF_NOT_RUNNING")
                #expect(object["action"] as? String == "monitor")
                #expect(object["timed_out"] as? Bool == false)
            }
        }
    }

    /// An agent that writes megabytes to standard error before its reason: `--json` says what was
    /// cut, the reason still counts, and ocf-run's memory does not grow with the output.
    @Test func hugeErrorOutputIsCutInTheMiddleAndItsReasonKept() throws {
        let directory = try TestSupport.temporaryDirectory("chatty")
        defer { TestSupport.removeTree(directory) }
        // $PPID is ocf-run: its peak resident size once it has read (all but a pipe's worth of) the output.
        try TestSupport.writeScript("\(directory)/chatty", """
            #!/bin/sh
            echo "the start of stderr" >&2
            head -c "$OCF_RESKEY_bytes" /dev/zero | tr '\\0' x >&2
            echo >&2
            echo "ocf-exit-reason:late reason" >&2
            grep VmHWM /proc/$PPID/status | tr -dc 0-9 > "$OCF_RESKEY_hwm"
            exit 1
            """)
        func run(bytes: Int) throws -> (object: [String: Any], peakKiB: Int) {
            // Through a file: the JSON is larger than the test's own capture keeps.
            let json = "\(directory)/out-\(bytes).json"
            let hwm = "\(directory)/hwm-\(bytes)"
            let result = try TestSupport.run([
                "sh", "-c", "exec \"$0\" --json \"$1\" start bytes=\"$2\" hwm=\"$3\" > \"$4\"", ocfRun,
                "\(directory)/chatty", "\(bytes)", hwm, json,
            ])
            #expect(result.status == 1, "\(result.errorOutput)")
            let text = try #require(try FileSystem.read(json))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let peak = try FileSystem.read(hwm).flatMap { Int($0) }
            return (object, try #require(peak))
        }
        let big = 3 << 20
        let (object, peak) = try run(bytes: big)
        #expect(object["rc"] as? Int == 1)
        #expect(object["exit_reason"] as? String == "late reason")
        let total = "the start of stderr\n".utf8.count + big + "\nocf-exit-reason:late reason\n".utf8.count
        #expect(object["stderr_truncated"] as? Bool == true)
        #expect(object["stderr_cut_bytes"] as? Int == total - (1 << 20))
        #expect(object["stdout_truncated"] as? Bool == false)
        #expect(object["stdout_cut_bytes"] as? Int == 0)
        let stderr = try #require(object["stderr"] as? String)
        #expect(stderr.hasPrefix("the start of stderr\nxxx"))
        #expect(stderr.contains("xxx\n[ocf-run: \(total - (1 << 20)) bytes cut]\nxxx"))
        #expect(stderr.hasSuffix("xxx\nocf-exit-reason:late reason\n"))
        // Ten times as much output: ocf-run keeps the same 1 MiB and its peak memory stays put.
        let (huge, hugePeak) = try run(bytes: 10 * big)
        #expect(huge["exit_reason"] as? String == "late reason")
        #expect(hugePeak - peak < 4096, "peak \(peak) KiB after 3 MiB, \(hugePeak) KiB after 30 MiB")
    }

    @Test func unsupportedClassIsAClearError() throws {
        let result = try TestSupport.run([ocfRun, "stonith:fence_virsh", "status"])
        #expect(result.status != 0)
        #expect(result.errorOutput.contains("agent \"stonith:fence_virsh\" uses the stonith class, which ocf-run does not run yet"))
        let missing = try TestSupport.run([ocfRun, "--init-dir", "/nonexistent", "lsb:httpd", "status"])
        #expect(missing.status == 5)
        #expect(missing.errorOutput.contains("cannot run lsb:httpd: starting /nonexistent/httpd: No such file or directory"))
        let params = try TestSupport.run([ocfRun, "ocf:heartbeat:Dummy", "start", "novalue"])
        #expect(params.errorOutput.contains("parameter \"novalue\" is not NAME=VALUE"))
    }
}
