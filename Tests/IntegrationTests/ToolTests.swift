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
