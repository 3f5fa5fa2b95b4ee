#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import HAKitTestSupport
import OCF
import Runner
import Testing

/// Whether a process is still there (a zombie counts as gone: it runs nothing).
func processExists(_ pid: pid_t) -> Bool { ProcessTable.isRunning(pid) }

/// A directory with an agent script in it, removed at the end.
struct ScriptAgent {
    let directory: String
    let path: String

    init(_ label: String, _ body: String) throws {
        directory = try TestSupport.temporaryDirectory(label)
        path = "\(directory)/\(label)"
        try TestSupport.writeScript(path, "#!/bin/sh\n" + body)
    }

    func request(_ action: OCFAction, timeout: Int = 5000, grace: Int = 500, _ parameters: [(String, String)] = []) throws
        -> ActionRequest
    {
        ActionRequest(
            agent: try AgentSpec(parsing: path, ocfRoot: "/usr/lib/ocf"), action: action,
            parameters: parameters.map { (name: $0.0, value: $0.1) }, instance: "r1", timeoutMilliseconds: timeout,
            killGraceMilliseconds: grace)
    }

    func remove() { TestSupport.removeTree(directory) }
}

@Suite struct ExecutorTests {
    let executor = Executor(baseEnvironment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"])

    @Test func hangingAgentAndItsChildrenAreGoneAtTheTimeout() throws {
        let agent = try ScriptAgent("hang", """
            sleep 300 &
            echo $! > "$(dirname "$0")/child.pid"
            echo $$ > "$(dirname "$0")/agent.pid"
            sleep 300
            """)
        defer { agent.remove() }
        let result = try executor.run(agent.request(.start, timeout: 400))
        #expect(result.timedOut)
        #expect(result.code == .genericError, "a timeout counts as 1, as Pacemaker counts it")
        #expect(result.summary.contains("timed out after 400 ms"))
        #expect(!result.survivors)
        #expect(result.elapsedMilliseconds >= 400 && result.elapsedMilliseconds < 3000)
        for name in ["child.pid", "agent.pid"] {
            let pid = try #require(try FileSystem.read("\(agent.directory)/\(name)").flatMap { pid_t($0.trimmingSpace) })
            #expect(!processExists(pid), "\(name) \(pid) survived")
        }
    }

    @Test func agentIgnoringTermIsKilledAfterTheGrace() throws {
        let agent = try ScriptAgent("stubborn", """
            trap '' TERM
            sh -c 'trap "" TERM; echo $$ > "$1"; while :; do sleep 1; done' x "$(dirname "$0")/child.pid" &
            while :; do sleep 1; done
            """)
        defer { agent.remove() }
        let result = try executor.run(agent.request(.stop, timeout: 300, grace: 300))
        #expect(result.timedOut)
        #expect(result.elapsedMilliseconds >= 600, "SIGKILL only after the grace period")
        #expect(!result.survivors)
        let child = try #require(try FileSystem.read("\(agent.directory)/child.pid").flatMap { pid_t($0.trimmingSpace) })
        #expect(!processExists(child))
    }

    @Test func environmentIsExactlyWhatPacemakerSets() throws {
        let agent = try ScriptAgent("env", "env > \"$(dirname \"$0\")/env.txt\"\n")
        defer { agent.remove() }
        let leaky = Executor(baseEnvironment: [
            "PATH": "/usr/bin:/bin", "OCF_RESKEY_leak": "from the caller", "OCF_ROOT": "/wrong", "KEEP": "me",
        ])
        var request = try agent.request(.monitor, timeout: 7000, [("ip", "203.0.113.10"), ("nic", "eth0")])
        request.intervalMilliseconds = 10_000
        request.checkLevel = 10
        request.meta = [("on-node", "node1")]
        let result = try leaky.run(request)
        #expect(result.code == .success)
        let text = try #require(try FileSystem.read("\(agent.directory)/env.txt"))
        var seen: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("OCF_") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            seen[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        #expect(
            seen == [
                "OCF_RA_VERSION_MAJOR": "1", "OCF_RA_VERSION_MINOR": "1", "OCF_ROOT": "/usr/lib/ocf",
                "OCF_EXIT_REASON_PREFIX": "ocf-exit-reason:", "OCF_RESOURCE_INSTANCE": "r1",
                "OCF_RESOURCE_TYPE": "env", "OCF_RESKEY_ip": "203.0.113.10", "OCF_RESKEY_nic": "eth0",
                "OCF_RESKEY_CRM_meta_timeout": "7000", "OCF_RESKEY_CRM_meta_interval": "10000",
                "OCF_RESKEY_CRM_meta_on_node": "node1", "OCF_CHECK_LEVEL": "10",
            ])
        #expect(text.contains("KEEP=me\n"), "the rest of the caller's environment is inherited")
        #expect(text.contains("PATH=/usr/bin:/bin\n"))
    }

    @Test(arguments: [
        (0, "OCF_SUCCESS"), (1, "OCF_ERR_GENERIC"), (2, "OCF_ERR_ARGS"), (3, "OCF_ERR_UNIMPLEMENTED"), (4, "OCF_ERR_PERM"),
        (5, "OCF_ERR_INSTALLED"), (6, "OCF_ERR_CONFIGURED"), (7, "OCF_NOT_RUNNING"), (8, "OCF_RUNNING_PROMOTED"),
        (9, "OCF_FAILED_PROMOTED"), (190, "OCF_DEGRADED"), (191, "OCF_DEGRADED_PROMOTED"), (42, "UNKNOWN(42)"),
    ])
    func exitCodesAreNamed(code: Int32, name: String) throws {
        let agent = try ScriptAgent("code", "exit $OCF_RESKEY_rc\n")
        defer { agent.remove() }
        let result = try executor.run(agent.request(.monitor, [("rc", String(code))]))
        #expect(result.code.rawValue == code)
        #expect(result.summary.contains("monitor: \(code) \(name) ("))
        #expect(!result.timedOut && result.signal == nil)
    }

    @Test func lastExitReasonLineWinsAndOutputIsCaptured() throws {
        let agent = try ScriptAgent("reason", """
            echo "to stdout"
            echo "ocf-exit-reason:first" >&2
            echo "noise" >&2
            echo "ocf-exit-reason:address 203.0.113.10 is in use" >&2
            exit 1
            """)
        defer { agent.remove() }
        let result = try executor.run(agent.request(.start))
        #expect(result.output == "to stdout\n")
        #expect(result.exitReason == "address 203.0.113.10 is in use")
        #expect(result.summary.hasSuffix(": address 203.0.113.10 is in use"))
    }

    /// 3 MiB of standard error, then the reason: what is kept is the first and last 512 KiB with
    /// a line saying how much was cut between them, and the reason still counts.
    @Test func exitReasonAfterMegabytesOfErrorOutputIsReported() throws {
        let agent = try ScriptAgent("chatty", """
            echo "to stdout"
            echo "the start of stderr" >&2
            head -c 3145728 /dev/zero | tr '\\0' x >&2
            echo >&2
            echo "ocf-exit-reason:late reason" >&2
            exit 1
            """)
        defer { agent.remove() }
        let result = try executor.run(agent.request(.start, timeout: 20_000))
        #expect(result.code == .genericError)
        #expect(result.exitReason == "late reason")
        #expect(result.summary.hasSuffix(": late reason"))
        let total = "the start of stderr\n".utf8.count + 3_145_728 + "\nocf-exit-reason:late reason\n".utf8.count
        let kept = 1 << 20
        #expect(result.errorOutputCutBytes == total - kept)
        #expect(result.outputCutBytes == 0 && result.output == "to stdout\n")
        let marker = "[ocf-run: \(total - kept) bytes cut]"
        #expect(result.errorOutput.utf8.count == kept + marker.utf8.count + 2, "bounded: head, marker line, tail")
        #expect(result.errorOutput.hasPrefix("the start of stderr\nxxx"))
        #expect(result.errorOutput.contains("xxx\n\(marker)\nxxx"))
        #expect(result.errorOutput.hasSuffix("xxx\nocf-exit-reason:late reason\n"))
    }

    /// The reason is read from the whole stream as it passes: a reason in the part that was cut
    /// still wins over an earlier one in the head, as Pacemaker takes the last.
    @Test func exitReasonInTheCutPartIsNotLost() throws {
        let agent = try ScriptAgent("cut", """
            echo "ocf-exit-reason:early reason" >&2
            head -c 1048576 /dev/zero | tr '\\0' a >&2
            printf '\\nocf-exit-reason:middle reason\\n' >&2
            head -c 1048576 /dev/zero | tr '\\0' b >&2
            printf '\\nnot a reason: ocf-exit-reason:no\\n' >&2
            exit 1
            """)
        defer { agent.remove() }
        let result = try executor.run(agent.request(.start, timeout: 20_000))
        #expect(result.exitReason == "middle reason")
        #expect(!result.errorOutput.contains("middle reason"), "the line itself was cut")
        #expect(result.errorOutputCutBytes > 0)
    }

    @Test func captureKeepsHeadAndTailAcrossChunks() {
        var capture = OutputCapture(headLimit: 4, tailLimit: 5, linePrefix: "R:")
        for piece in ["ab", "cd\nR", ":one\nxR:t"] { capture.append(Array(piece.utf8)[...]) }
        #expect(capture.lastPrefixedLine == "one", "a prefix split between reads; a line with it inside does not count")
        for piece in ["wo\nR:", "thr", "ee"] { capture.append(Array(piece.utf8)[...]) }
        #expect(String(decoding: capture.head, as: UTF8.self) == "abcd")
        #expect(String(decoding: capture.tail, as: UTF8.self) == "three")
        #expect(capture.byteCount == 25 && capture.cutByteCount == 16)
        #expect(String(decoding: capture.bytes(), as: UTF8.self) == "abcd\n[16 bytes cut]\nthree")
        #expect(capture.lastPrefixedLine == "three", "an unfinished last line counts")
        capture.append(Array("\nxx".utf8)[...])
        #expect(capture.lastPrefixedLine == "three")
        var small = OutputCapture(headLimit: 4, tailLimit: 5, linePrefix: "R:")
        small.append(Array("R:a\nno".utf8)[...])
        #expect(!small.isTruncated && String(decoding: small.bytes(), as: UTF8.self) == "R:a\nno")
        #expect(small.lastPrefixedLine == "a")
    }

    @Test func agentKilledBySignalCountsAsError() throws {
        let agent = try ScriptAgent("crash", "kill -SEGV $$\n")
        defer { agent.remove() }
        let result = try executor.run(agent.request(.start))
        #expect(result.signal == SIGSEGV)
        #expect(result.code == .genericError)
        #expect(!result.timedOut)
    }

    @Test func daemonHoldingThePipesDoesNotDelayTheResult() throws {
        // Like apache: the agent starts a daemon that keeps stdout open and returns at once.
        let agent = try ScriptAgent("daemon", """
            sleep 30 &
            echo $! > "$(dirname "$0")/daemon.pid"
            echo started
            exit 0
            """)
        defer {
            if let pid = try? FileSystem.read("\(agent.directory)/daemon.pid").flatMap({ pid_t($0.trimmingSpace) }) {
                kill(pid, SIGKILL)
            }
            agent.remove()
        }
        let result = try executor.run(agent.request(.start, timeout: 10_000))
        #expect(result.code == .success)
        #expect(result.output == "started\n")
        #expect(result.elapsedMilliseconds < 2000)
        let pid = try #require(try FileSystem.read("\(agent.directory)/daemon.pid").flatMap { pid_t($0.trimmingSpace) })
        #expect(processExists(pid), "a daemon the agent started is not killed when the action succeeds")
    }

    @Test func commandPrefixAndExtraVariablesReachTheAgent() throws {
        let agent = try ScriptAgent("prefixed", "echo \"$$ $OCF_TESTER_FAIL_HAVE_BINARY $WRAPPED\"\n")
        defer { agent.remove() }
        var request = try agent.request(.monitor)
        request.agent.commandPrefix = ["env", "WRAPPED=yes"]
        request.agent.extraEnvironment = ["OCF_TESTER_FAIL_HAVE_BINARY": "1"]
        let result = try executor.run(request)
        #expect(result.code == .success, "\(result.errorOutput)")
        let words = result.output.split(separator: " ")
        #expect(words.dropFirst().joined(separator: " ") == "1 yes\n", "an OCF_ variable survives when given explicitly")
    }

    @Test func missingAgentIsAnError() throws {
        let spec = try AgentSpec(parsing: "/nonexistent/hakit/agent", ocfRoot: "/usr/lib/ocf")
        #expect(throws: SystemError.self) { try executor.run(ActionRequest(agent: spec, action: .start)) }
    }
}

extension String {
    var trimmingSpace: String { String(filter { !$0.isWhitespace }) }
}
