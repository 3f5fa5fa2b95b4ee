import HAKitSystem
import HAKitTestSupport
import Testing

/// Our IPaddr against the real kernel, each test in a namespace of its own: the floating address
/// as an alias `v0:N`, and heartbeat v1's address argument.
@Suite struct IPaddrTests {
    @Test func lifecycleIsIdempotentAndMonitorTellsTheState() throws {
        try AgentRunner.with("alias-life") { runner in
            let vip = ["ip": "203.0.113.10"]
            #expect(try runner.run("IPaddr", "monitor", vip, probe: true).status == 7)
            #expect(try runner.run("IPaddr", "monitor", vip).status == 7)
            let start = try runner.run("IPaddr", "start", vip)
            #expect(start.status == 0, "\(start.errorOutput)")
            let line = try #require(try runner.addressLine("203.0.113.10"))
            #expect(line.contains("inet 203.0.113.10/24 brd 203.0.113.255 scope global secondary v0:0"), "\(line)")
            #expect(try runner.run("IPaddr", "start", vip).status == 0)
            #expect(try runner.namespace.addressLines().filter { $0.contains("203.0.113.10/") }.count == 1)
            #expect(try runner.run("IPaddr", "monitor", vip).status == 0)
            let status = try runner.run("IPaddr", "status", vip)
            #expect(status.status == 0)
            #expect(status.output.isEmpty, "only a heartbeat v1 call prints its state")
            #expect(try runner.run("IPaddr", "stop", vip).status == 0)
            #expect(try runner.addressLine("203.0.113.10") == nil)
            #expect(try runner.run("IPaddr", "stop", vip).status == 0)
            #expect(try runner.run("IPaddr", "monitor", vip).status == 7)
            #expect(try runner.addressLine("203.0.113.2") != nil, "the interface's own address is untouched")
        }
    }

    @Test func aliasesTakeTheFirstFreeNumber() throws {
        try AgentRunner.with("alias-num") { runner in
            func label(_ address: String) throws -> String? {
                // `ip -o` ends the label with a backslash: "… secondary v0:1\       valid_lft …".
                try runner.addressLine(address)?.split(separator: " ").last { $0.hasPrefix("v0") }.map { String($0.filter { $0 != "\\" }) }
            }
            let quiet = ["nic": "v0", "ARP_REPEAT": "0"]
            func vip(_ address: String) -> [String: String] { quiet.merging(["ip": address]) { $1 } }
            #expect(try runner.run("IPaddr", "start", vip("203.0.113.10")).status == 0)
            #expect(try runner.run("IPaddr", "start", vip("203.0.113.11")).status == 0)
            #expect(try label("203.0.113.10") == "v0:0")
            #expect(try label("203.0.113.11") == "v0:1")
            #expect(try runner.run("IPaddr", "stop", vip("203.0.113.10")).status == 0)
            #expect(try runner.run("IPaddr", "start", vip("203.0.113.12")).status == 0)
            #expect(try label("203.0.113.12") == "v0:0", "the number the stopped address freed is taken again")
            // A label given by hand counts as taken; iflabel names the alias itself.
            try runner.namespace.ip("addr", "add", "203.0.113.13/24", "dev", "v0", "label", "v0:2")
            #expect(try runner.run("IPaddr", "start", vip("203.0.113.14")).status == 0)
            #expect(try label("203.0.113.14") == "v0:3")
            #expect(try runner.run("IPaddr", "start", vip("203.0.113.15").merging(["iflabel": "web"]) { $1 }).status == 0)
            #expect(try label("203.0.113.15") == "v0:web")
            // An alias suffix on nic is ignored, as the reference ignores it.
            #expect(try runner.run("IPaddr", "start", vip("203.0.113.16").merging(["nic": "v0:7"]) { $1 }).status == 0)
            #expect(try label("203.0.113.16") == "v0:4")
        }
    }

    @Test(arguments: [
        (["ip": "203.0.113.300"], 6, 6, "ip=203.0.113.300 is not a valid IPv4 address"),
        ([String: String](), 6, 6, "required parameter ip is missing"),
        (["ip": "203.0.113.10", "cidr_netmask": "33"], 6, 6, "invalid cidr_netmask \"33\""),
        (["ip": "203.0.113.10", "nic": "eth9"], 1, 7, "nic=eth9 does not exist on this node"),
        (["ip": "198.51.100.7"], 1, 7, "Unable to find nic or netmask"),
        (["ip": "203.0.113.10", "iflabel": "averylonglabel"], 6, 7, "label v0:averylonglabel is longer than 15 characters"),
        (["ip": "203.0.113.10", "ARP_REPEAT": "-1"], 6, 6, "ARP_REPEAT=-1 must not be negative"),
        (["ip": "203.0.113.10", "ARP_INTERVAL_MS": "soon"], 6, 6, "ARP_INTERVAL_MS=soon is not an integer"),
        (["ip": "203.0.113.10", "ARP_BACKGROUND": "maybe"], 6, 6, "ARP_BACKGROUND=maybe is not a boolean"),
    ] as [([String: String], Int32, Int32, String)])
    func badInputIsRefusedWithItsCodeAndReason(parameters: [String: String], code: Int32, probeCode: Int32, reason: String) throws {
        try AgentRunner.with("alias-bad") { runner in
            // Missing on this node (1 on start) is OCF_ERR_ARGS (2) for validate-all, never 6.
            try runner.expectRefused(
                "IPaddr", parameters, code: code, validateCode: code == 1 && probeCode == 7 && reason.contains("this node") ? 2 : nil,
                probeCode: probeCode, reason: reason)
        }
    }

    @Test(arguments: [
        ("203.0.113.10", "inet 203.0.113.10/24 brd 203.0.113.255 scope global secondary v0:0"),
        // The seed's example 192.168.85.3/27 in a documentation range: netmask .224, broadcast .31.
        ("203.0.113.3/27", "inet 203.0.113.3/27 brd 203.0.113.31 scope global v0:0"),
        ("203.0.113.3/27/v0", "inet 203.0.113.3/27 brd 203.0.113.31 scope global v0:0"),
        ("203.0.113.3/27/v0/203.0.113.30", "inet 203.0.113.3/27 brd 203.0.113.30 scope global v0:0"),
        ("203.0.113.3/27/203.0.113.30", "inet 203.0.113.3/27 brd 203.0.113.30 scope global v0:0"),
    ])
    func heartbeatAddressArgumentForms(argument: String, expected: String) throws {
        try AgentRunner.with("alias-v1") { runner in
            let address = String(argument.prefix { $0 != "/" })
            let quiet = ["ARP_REPEAT": "0"]
            let stopped = try runner.legacy("IPaddr", [argument], "status", quiet)
            #expect(stopped.output == "IPaddr \(argument) is not running\n")
            #expect(stopped.status == 7)
            let start = try runner.legacy("IPaddr", [argument], "start", quiet)
            #expect(start.status == 0, "\(start.errorOutput)")
            let line = try #require(try runner.addressLine(address))
            #expect(line.contains(expected), "\(line)")
            #expect(try runner.legacy("IPaddr", [argument], "start", quiet).status == 0)
            let running = try runner.legacy("IPaddr", [argument], "status", quiet)
            #expect(running.output == "IPaddr \(argument) is running\n")
            #expect(running.status == 0)
            #expect(try runner.legacy("IPaddr", [argument], "monitor", quiet).status == 0)
            #expect(try runner.legacy("IPaddr", [argument], "stop", quiet).status == 0)
            #expect(try runner.addressLine(address) == nil)
            #expect(try runner.legacy("IPaddr", [argument], "status", quiet).output.hasSuffix("is not running\n"))
        }
    }

    /// An interface of the argument that this node lacks: 1 (recover elsewhere), not 6.
    @Test func heartbeatArgumentWithAnInterfaceMissingHereIsAGenericError() throws {
        try AgentRunner.with("alias-v1nic") { runner in
            let start = try runner.legacy("IPaddr", ["203.0.113.3/27/eth9"], "start")
            #expect(start.status == 1, "\(start.errorOutput)")
            #expect(start.errorOutput.contains("ocf-exit-reason:nic=eth9 does not exist on this node"))
            #expect(try runner.legacy("IPaddr", ["203.0.113.3/27/eth9"], "stop").status == 0)
        }
    }

    @Test(arguments: [
        (["203.0.113.3/33"], "invalid cidr_netmask \"33\""),
        (["203.0.113.3/27/203.0.113.30/v0"], "heartbeat's IPaddr takes one argument"),
        (["203.0.113.3//v0"], "heartbeat's IPaddr takes one argument"),
        (["203.0.113.3/27/v0/203.0.113.30/x"], "heartbeat's IPaddr takes one argument"),
        (["203.0.113.3", "extra"], "heartbeat's IPaddr takes one argument"),
        (["garbage"], "ip=garbage is not a valid IPv4 address"),
    ])
    func badHeartbeatArgumentsAreConfigurationErrors(arguments: [String], reason: String) throws {
        try AgentRunner.with("alias-v1bad") { runner in
            let start = try runner.legacy("IPaddr", arguments, "start")
            #expect(start.status == 6, "\(start.errorOutput)")
            #expect(start.errorOutput.contains("ocf-exit-reason:"))
            #expect(start.errorOutput.contains(reason), "\(start.errorOutput)")
            #expect(try runner.namespace.addressLines().count == 2, "nothing was added")
            #expect(try runner.legacy("IPaddr", arguments, "stop").status == 0)
        }
    }

    @Test func ocfRunDrivesItAsAHeartbeatResource() throws {
        try AgentRunner.with("alias-ocfrun") { runner in
            // ocf-run's heartbeat class: <dir>/IPaddr 203.0.113.3/27 ACTION, running judged from status output.
            let resource = ["heartbeat:IPaddr::203.0.113.3/27"]
            func ocfRun(_ arguments: [String]) throws -> TestSupport.CommandResult {
                try runner.namespace.exec(
                    [TestSupport.binary("ocf-run"), "--ha-resource-dir", runner.linkDirectory] + arguments,
                    environment: ["HA_RSCTMP": runner.stateDirectory])
            }
            _ = try runner.agentLink("IPaddr")
            #expect(try ocfRun(resource + ["monitor"]).status == 7)
            let start = try ocfRun(["--check"] + resource + ["start"])
            #expect(start.status == 0, "\(start.errorOutput)")
            #expect(try runner.addressLine("203.0.113.3")?.contains("203.0.113.3/27 brd 203.0.113.31") == true)
            #expect(try ocfRun(resource + ["monitor"]).status == 0)
            #expect(try ocfRun(["--check"] + resource + ["stop"]).status == 0)
            #expect(try ocfRun(resource + ["monitor"]).status == 7)
        }
    }

    @Test func localScriptsRunWithTheAddressAndTheirFailureIsAWarning() throws {
        try AgentRunner.with("alias-scripts") { runner in
            let record = "\(runner.stateDirectory)/scripts.log"
            let started = "\(runner.stateDirectory)/started.sh"
            let stopped = "\(runner.stateDirectory)/stopped.sh"
            try TestSupport.writeScript(started, "#!/bin/sh\nip -o -4 addr show dev v0 | grep -q \" $1/\" && echo \"start $*\" >> \(record)\n")
            try TestSupport.writeScript(stopped, "#!/bin/sh\nip -o -4 addr show dev v0 | grep -q \" $1/\" || echo \"stop $*\" >> \(record)\n")
            let vip = ["ip": "203.0.113.10", "ARP_REPEAT": "0", "local_start_script": started, "local_stop_script": stopped]
            #expect(try runner.run("IPaddr", "start", vip).status == 0)
            #expect(try runner.run("IPaddr", "start", vip).status == 0, "already there: the script does not run again")
            #expect(try runner.run("IPaddr", "stop", vip).status == 0)
            #expect(try runner.run("IPaddr", "stop", vip).status == 0, "already gone: the script does not run again")
            // Each saw the address as it should be: present after start, gone after stop.
            #expect(try FileSystem.read(record) == "start 203.0.113.10\nstop 203.0.113.10\n")

            let failing = "\(runner.stateDirectory)/failing.sh"
            try TestSupport.writeScript(failing, "#!/bin/sh\necho 'no web server here' >&2\nexit 3\n")
            let start = try runner.run("IPaddr", "start", vip.merging(["local_start_script": failing]) { $1 })
            #expect(start.status == 0)
            #expect(start.errorOutput.contains("WARNING: local_start_script \(failing) 203.0.113.10 failed (exit 3): no web server here"))
            try FileSystem.writeAtomically("\(runner.stateDirectory)/plain", contents: "#!/bin/sh\nexit 0\n", mode: 0o644)
            let stop = try runner.run("IPaddr", "stop", vip.merging(["local_stop_script": "\(runner.stateDirectory)/plain"]) { $1 })
            #expect(stop.status == 0)
            #expect(stop.errorOutput.contains("WARNING: local_stop_script=\(runner.stateDirectory)/plain is not an executable file; not run"))
            #expect(try runner.addressLine("203.0.113.10") == nil)
        }
    }

    @Test func gratuitousARPsAreSeenOnTheWireInTheForeground() throws {
        try AgentRunner.with("alias-garp") { runner in
            let mac = try runner.hardwareAddress("v0")
            let capture = try PacketCapture(namespace: runner.namespace, interface: "v1", filter: "arp", count: 4)
            let vip = ["ip": "203.0.113.10", "ARP_REPEAT": "2", "ARP_INTERVAL_MS": "100", "ARP_BACKGROUND": "no"]
            let start = try runner.run("IPaddr", "start", vip)
            #expect(start.status == 0, "\(start.errorOutput)")
            #expect(!FileSystem.exists("\(runner.stateDirectory)/send_arp-203.0.113.10"), "no background sender")
            let round = AgentRunner.gratuitousRound("203.0.113.10", from: mac)
            #expect(AgentRunner.frames(capture) == round + round)
        }
    }

    @Test func backgroundARPsByDefaultAndStopEndsTheSender() throws {
        try AgentRunner.with("alias-bg") { runner in
            let started = MonotonicClock.milliseconds()
            #expect(try runner.run("IPaddr", "start", ["ip": "203.0.113.10"]).status == 0)
            #expect(MonotonicClock.milliseconds() - started < 2000, "10 rounds at 500 ms would take 5 s in the foreground")
            let pidFile = "\(runner.stateDirectory)/send_arp-203.0.113.10"
            let pid = try #require(try FileSystem.read(pidFile).flatMap { Int32($0.filter(\.isNumber)) })
            #expect(ProcessTable.isRunning(pid))
            #expect(try runner.run("IPaddr", "stop", ["ip": "203.0.113.10"]).status == 0)
            #expect(AgentRunner.waitForExit(pid), "stop ends the background sender")
            #expect(!FileSystem.exists(pidFile))
        }
    }

    @Test func passesDebiansOcfTester() throws {
        try AgentRunner.with("alias-tester") { runner in
            try runner.expectPassesOcfTester("IPaddr", ["ip": "203.0.113.10"])
            #expect(try runner.addressLine("203.0.113.10") == nil, "ocf-tester ends with stop")
        }
    }
}
