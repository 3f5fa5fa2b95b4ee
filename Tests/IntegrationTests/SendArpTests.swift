#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import HAKitTestSupport
import Testing

/// Our SendArp in a namespace: the frames a real tcpdump sees on a veth peer and on loopback, the
/// background sender and its pid file, the state file, and every bad input.
@Suite struct SendArpTests {
    /// An address no interface has: SendArp announces without adding it.
    static let address = "203.0.113.60"

    func pidFile(_ runner: AgentRunner) -> String { "\(runner.stateDirectory)/send_arp-\(Self.address)" }
    func stateFile(_ runner: AgentRunner) -> String { "\(runner.stateDirectory)/SendArp_r1" }

    @Test func lifecycleWithTheBackgroundSender() throws {
        try AgentRunner.with("sendarp-life") { runner in
            let resource = ["ip": Self.address, "nic": "v0", "arp_count": "50", "arp_interval": "200"]
            #expect(try runner.run("SendArp", "monitor", resource, probe: true).status == 7)
            let started = MonotonicClock.milliseconds()
            let start = try runner.run("SendArp", "start", resource)
            #expect(start.status == 0, "\(start.errorOutput)")
            #expect(MonotonicClock.milliseconds() - started < 2000, "50 rounds at 200 ms take 10 s: start does not wait")
            let pid = try #require(try FileSystem.read(pidFile(runner)).flatMap { Int32($0.filter(\.isNumber)) })
            #expect(ProcessTable.isRunning(pid))
            #expect(FileSystem.exists(stateFile(runner)))
            #expect(try runner.run("SendArp", "monitor", resource).status == 0)
            #expect(try runner.run("SendArp", "status", resource).status == 0)
            #expect(try runner.run("SendArp", "start", resource).status == 0)
            #expect(try FileSystem.read(pidFile(runner)).flatMap { Int32($0.filter(\.isNumber)) } == pid, "start on running changes nothing")
            #expect(try runner.addressLine(Self.address) == nil, "the address is only announced, never added")

            #expect(try runner.run("SendArp", "stop", resource).status == 0)
            #expect(AgentRunner.waitForExit(pid), "stop ends the sender")
            #expect(!FileSystem.exists(pidFile(runner)))
            #expect(!FileSystem.exists(stateFile(runner)))
            #expect(try runner.run("SendArp", "monitor", resource).status == 7)
            #expect(try runner.run("SendArp", "stop", resource).status == 0)
        }
    }

    @Test func framesOnAVethPeerCarryTheInterfaceAddress() throws {
        try AgentRunner.with("sendarp-veth") { runner in
            let mac = try runner.hardwareAddress("v0")
            let capture = try PacketCapture(namespace: runner.namespace, interface: "v1", filter: "arp", count: 6)
            let resource = [
                "ip": Self.address, "nic": "v0", "background": "false", "arp_count": "3", "arp_interval": "100",
            ]
            let started = MonotonicClock.milliseconds()
            let start = try runner.run("SendArp", "start", resource)
            #expect(start.status == 0, "\(start.errorOutput)")
            #expect(MonotonicClock.milliseconds() - started >= 250, "in the foreground start waits for the rounds")
            #expect(!FileSystem.exists(pidFile(runner)), "no background sender")
            #expect(FileSystem.exists(stateFile(runner)))
            let round = AgentRunner.gratuitousRound(Self.address, from: mac)
            #expect(AgentRunner.frames(capture) == round + round + round)
            #expect(try runner.run("SendArp", "monitor", resource).status == 0, "the state file says started")
        }
    }

    @Test(arguments: ["false", "true"])
    func framesOnLoopbackHaveAZeroHardwareAddress(background: String) throws {
        try AgentRunner.with("sendarp-lo") { runner in
            #expect(try runner.hardwareAddress("lo") == "00:00:00:00:00:00")
            let capture = try PacketCapture(namespace: runner.namespace, interface: "lo", filter: "arp", count: 4)
            let resource = [
                "ip": Self.address, "nic": "lo", "background": background, "arp_count": "2", "arp_interval": "100",
            ]
            let start = try runner.run("SendArp", "start", resource)
            #expect(start.status == 0, "\(start.errorOutput)")
            let round = AgentRunner.gratuitousRound(Self.address, from: "00:00:00:00:00:00")
            #expect(AgentRunner.frames(capture) == round + round)
            #expect(try runner.run("SendArp", "stop", resource).status == 0)
        }
    }

    @Test func monitorRefreshesWhenAskedTo() throws {
        try AgentRunner.with("sendarp-refresh") { runner in
            let resource = ["ip": Self.address, "nic": "v0", "arp_count": "0", "arp_count_refresh": "1", "arp_interval": "50"]
            #expect(try runner.run("SendArp", "start", resource).status == 0)
            let capture = try PacketCapture(namespace: runner.namespace, interface: "v1", filter: "arp", count: 2)
            #expect(try runner.run("SendArp", "monitor", resource).status == 0)
            #expect(AgentRunner.frames(capture) == AgentRunner.gratuitousRound(Self.address, from: try runner.hardwareAddress("v0")))
        }
    }

    @Test func sendingFailureFailsAForegroundStartOnly() throws {
        try AgentRunner.with("sendarp-down") { runner in
            // A packet socket cannot send on an interface that is down (ENETDOWN).
            try runner.namespace.ip("link", "set", "v0", "down")
            let foreground = ["ip": Self.address, "nic": "v0", "background": "false"]
            let failed = try runner.run("SendArp", "start", foreground)
            #expect(failed.status == 1, "\(failed.errorOutput)")
            #expect(failed.errorOutput.contains("ocf-exit-reason:could not send gratuitous ARPs for \(Self.address) on v0"))
            #expect(!FileSystem.exists(stateFile(runner)))
            #expect(try runner.run("SendArp", "monitor", foreground).status == 7)
            // In the background nobody waits for the outcome, as with the reference's send_arp.
            #expect(try runner.run("SendArp", "start", ["ip": Self.address, "nic": "v0"]).status == 0)
            #expect(FileSystem.exists(stateFile(runner)))
        }
    }

    @Test func stalePidFilesAreCleanedWithoutKillingAnyone() throws {
        try AgentRunner.with("sendarp-stale") { runner in
            let resource = ["ip": Self.address, "nic": "v0"]
            // A pid that has gone: a child of ours that exited.
            let gone = try ChildProcess.spawn(path: "/bin/true", arguments: ["true"], environment: [:], captureOutput: false)
            gone.reap(blocking: true)
            try FileSystem.writeAtomically(pidFile(runner), contents: "\(gone.pid)\n")
            #expect(try runner.run("SendArp", "monitor", resource).status == 7, "a dead sender is not running")
            #expect(try runner.run("SendArp", "stop", resource).status == 0)
            #expect(!FileSystem.exists(pidFile(runner)))

            // A pid that now names another program (a sleep of ours): not a sender, so not killed.
            let other = try ChildProcess.spawn(path: "/bin/sleep", arguments: ["sleep", "30"], environment: [:], captureOutput: false)
            defer {
                kill(other.pid, SIGKILL)
                other.reap(blocking: true)
            }
            try FileSystem.writeAtomically(pidFile(runner), contents: "\(other.pid)\n")
            #expect(try runner.run("SendArp", "monitor", resource).status == 7)
            #expect(try runner.run("SendArp", "stop", resource).status == 0)
            #expect(!FileSystem.exists(pidFile(runner)))
            #expect(other.reap() == nil, "the other program still runs")
        }
    }

    @Test(arguments: [
        (["nic": "v0"], 6, 6, "required parameter ip is missing"),
        (["ip": "203.0.113.60"], 6, 6, "required parameter nic is missing"),
        (["ip": "203.0.113.600", "nic": "v0"], 6, 6, "ip=203.0.113.600 is not a valid IPv4 address"),
        (["ip": "203.0.113.60", "nic": "eth9"], 1, 7, "nic=eth9 does not exist on this node"),
        (["ip": "203.0.113.60", "nic": "v0", "arp_count": "-1"], 6, 6, "arp_count=-1 must not be negative"),
        (["ip": "203.0.113.60", "nic": "v0", "background": "sometimes"], 6, 6, "parameter background=sometimes is not a boolean"),
    ] as [([String: String], Int32, Int32, String)])
    func badInputIsRefusedWithItsCodeAndReason(parameters: [String: String], code: Int32, probeCode: Int32, reason: String) throws {
        try AgentRunner.with("sendarp-bad") { runner in
            // Missing on this node (1 on start) is OCF_ERR_ARGS (2) for validate-all, never 6.
            try runner.expectRefused(
                "SendArp", parameters, code: code, validateCode: code == 1 && probeCode == 7 && reason.contains("this node") ? 2 : nil,
                probeCode: probeCode, reason: reason)
            #expect(!FileSystem.exists(stateFile(runner)))
        }
    }

    @Test func passesDebiansOcfTester() throws {
        try AgentRunner.with("sendarp-tester") { runner in
            try runner.expectPassesOcfTester("SendArp", ["ip": Self.address, "nic": "v0"])
            #expect(!FileSystem.exists(stateFile(runner)), "ocf-tester ends with stop")
        }
    }
}
