import HAKitSystem
import HAKitTestSupport
import Testing

/// Our IPaddr2 against the real kernel, each test in a namespace of its own.
@Suite struct IPaddr2Tests {
    @Test func lifecycleIsIdempotentAndMonitorTellsTheState() throws {
        try AgentRunner.with("life") { runner in
            let vip = ["ip": "203.0.113.10"]
            #expect(try runner.run("IPaddr2", "monitor", vip, probe: true).status == 7)
            #expect(try runner.run("IPaddr2", "monitor", vip).status == 7)
            let start = try runner.run("IPaddr2", "start", vip)
            #expect(start.status == 0, "\(start.errorOutput)")
            let line = try #require(try runner.addressLine("203.0.113.10"))
            #expect(line.contains("inet 203.0.113.10/24 brd 203.0.113.255 scope global secondary v0"))
            #expect(try runner.run("IPaddr2", "start", vip).status == 0)
            #expect(try runner.namespace.addressLines().filter { $0.contains("203.0.113.10/") }.count == 1)
            #expect(try runner.run("IPaddr2", "monitor", vip).status == 0)
            #expect(try runner.run("IPaddr2", "status", vip).status == 0)
            #expect(try runner.run("IPaddr2", "stop", vip).status == 0)
            #expect(try runner.addressLine("203.0.113.10") == nil)
            #expect(try runner.run("IPaddr2", "stop", vip).status == 0)
            #expect(try runner.run("IPaddr2", "monitor", vip).status == 7)
            #expect(try runner.addressLine("203.0.113.2") != nil, "the interface's own address is untouched")
        }
    }

    @Test func stoppingThePrimaryOfASubnetKeepsTheOtherFloatingAddresses() throws {
        try AgentRunner.with("promote") { runner in
            // The kernel's default: removing a subnet's primary address removes its secondaries too.
            let sysctl = try runner.namespace.exec(["sysctl", "-qw", "net.ipv4.conf.v0.promote_secondaries=0"])
            try #require(sysctl.status == 0, "\(sysctl.errorOutput)")
            let first = ["ip": "198.51.100.10", "nic": "v0", "cidr_netmask": "24"]
            let second = ["ip": "198.51.100.11", "nic": "v0", "cidr_netmask": "24"]
            #expect(try runner.run("IPaddr2", "start", first).status == 0)
            #expect(try runner.run("IPaddr2", "start", second).status == 0)
            #expect(try runner.addressLine("198.51.100.11")?.contains("secondary") == true)
            let stop = try runner.run("IPaddr2", "stop", first)
            #expect(stop.status == 0)
            #expect(stop.errorOutput.contains("enabled promote_secondaries on v0"), "\(stop.errorOutput)")
            #expect(try runner.addressLine("198.51.100.10") == nil)
            #expect(try runner.addressLine("198.51.100.11") != nil, "the other floating address survives")
            #expect(try runner.run("IPaddr2", "monitor", second).status == 0)
            #expect(try runner.run("IPaddr2", "stop", second).status == 0)
        }
    }

    @Test func labelNetmaskBroadcastAndFlagsReachTheKernel() throws {
        try AgentRunner.with("opts") { runner in
            let parameters = [
                "ip": "203.0.113.20", "nic": "v0", "cidr_netmask": "255.255.255.128", "broadcast": "203.0.113.126",
                "iflabel": "vip", "noprefixroute": "true", "arp_count": "0",
            ]
            #expect(try runner.run("IPaddr2", "start", parameters).status == 0)
            let line = try #require(try runner.addressLine("203.0.113.20"))
            #expect(line.contains("inet 203.0.113.20/25 brd 203.0.113.126 scope global noprefixroute v0:vip"), "\(line)")
            #expect(try runner.run("IPaddr2", "monitor", parameters).status == 0)
            #expect(try runner.run("IPaddr2", "stop", parameters).status == 0)
            #expect(try runner.addressLine("203.0.113.20") == nil)

            // nic=v0:lbl sets the label too; the computed broadcast follows the prefix.
            let labelled = ["ip": "203.0.113.40", "nic": "v0:web", "cidr_netmask": "27", "arp_count": "0"]
            #expect(try runner.run("IPaddr2", "start", labelled).status == 0)
            #expect(try runner.addressLine("203.0.113.40")?.contains("inet 203.0.113.40/27 brd 203.0.113.63 scope global v0:web") == true)
            #expect(try runner.run("IPaddr2", "stop", labelled).status == 0)
        }
    }

    @Test(arguments: [
        (["ip": "203.0.113.300"], 6, 6, "ip=203.0.113.300 is not a valid IPv4 address"),
        ([String: String](), 6, 6, "required parameter ip is missing"),
        (["ip": "203.0.113.10", "cidr_netmask": "33"], 6, 6, "invalid cidr_netmask \"33\""),
        (["ip": "203.0.113.10", "cidr_netmask": "255.0.255.0"], 6, 6, "invalid cidr_netmask \"255.0.255.0\""),
        (["ip": "203.0.113.10", "nic": "eth9"], 1, 7, "nic=eth9 does not exist on this node"),
        (["ip": "198.51.100.7"], 1, 7, "Unable to find nic or netmask"),
        (["ip": "203.0.113.10", "cidr_netmask": "16"], 1, 7, "wider"),
        (["ip": "203.0.113.10", "iflabel": "averylonglabel"], 6, 7, "longer than 15 characters"),
        (["ip": "203.0.113.10", "broadcast": "203.0.113"], 6, 6, "broadcast=203.0.113 is not an IPv4 address"),
        (["ip": "203.0.113.10", "arp_count": "many"], 6, 6, "arp_count=many is not an integer"),
        (["ip": "203.0.113.10", "arp_sender": "carrier_pigeon"], 6, 6, "arp_sender=carrier_pigeon"),
        (["ip": "203.0.113.10", "mac": "01:00:5e:00:00:01"], 6, 6, "CLUSTERIP"),
        (["ip": "203.0.113.10", "network_namespace": "hakit-no-such-ns"], 1, 7, "network_namespace=hakit-no-such-ns cannot be entered on this node"),
    ] as [([String: String], Int32, Int32, String)])
    func badInputIsRefusedWithItsCodeAndReason(parameters: [String: String], code: Int32, probeCode: Int32, reason: String) throws {
        try AgentRunner.with("bad") { runner in
            // Missing on this node (1 on start) is OCF_ERR_ARGS (2) for validate-all, never 6.
            try runner.expectRefused(
                "IPaddr2", parameters, code: code, validateCode: code == 1 && probeCode == 7 && reason.contains("this node") ? 2 : nil,
                probeCode: probeCode, reason: reason)
        }
    }

    @Test func interfaceGoneIsAMonitorErrorButProbeSaysStopped() throws {
        try AgentRunner.with("gone") { runner in
            try runner.namespace.addVethPair("v2", "v3")
            let vip = ["ip": "203.0.113.10", "nic": "v2", "cidr_netmask": "24", "arp_count": "0"]
            #expect(try runner.run("IPaddr2", "start", vip).status == 0)
            try runner.namespace.ip("link", "del", "v2")
            let monitor = try runner.run("IPaddr2", "monitor", vip)
            #expect(monitor.status != 0 && monitor.status != 7, "\(monitor.errorOutput)")
            #expect(monitor.errorOutput.contains("v2"))
            #expect(try runner.run("IPaddr2", "monitor", vip, probe: true).status == 7)
            #expect(try runner.run("IPaddr2", "stop", vip).status == 0)
        }
    }

    @Test func loopbackAddressGoesToLoWithoutBroadcastOrARP() throws {
        try AgentRunner.with("lo") { runner in
            let vip = ["ip": "127.0.0.5"]
            #expect(try runner.run("IPaddr2", "start", vip).status == 0)
            let line = try #require(try runner.addressLine("127.0.0.5"))
            #expect(line.contains("lo    inet 127.0.0.5/8 scope host secondary lo"), "\(line)")
            #expect(!FileSystem.exists("\(runner.stateDirectory)/send_arp-127.0.0.5"))
            #expect(try runner.run("IPaddr2", "stop", vip).status == 0)
        }
    }

    @Test func gratuitousARPsAreSeenOnTheWire() throws {
        try AgentRunner.with("garp") { runner in
            let mac = try runner.hardwareAddress("v0")
            let capture = try PacketCapture(namespace: runner.namespace, interface: "v1", filter: "arp", count: 4)
            let start = try runner.run(
                "IPaddr2", "start", ["ip": "203.0.113.10", "arp_count": "2", "arp_interval": "100", "arp_bg": "false"])
            #expect(start.status == 0, "\(start.errorOutput)")
            let round = AgentRunner.gratuitousRound("203.0.113.10", from: mac)
            #expect(AgentRunner.frames(capture) == round + round)
        }
    }

    @Test func backgroundARPsDoNotDelayStartAndStopEndsTheSender() throws {
        try AgentRunner.with("bg") { runner in
            let vip = ["ip": "203.0.113.10", "arp_count": "50", "arp_interval": "200"]
            let capture = try PacketCapture(namespace: runner.namespace, interface: "v1", filter: "arp", count: 2)
            let started = MonotonicClock.milliseconds()
            #expect(try runner.run("IPaddr2", "start", vip).status == 0)
            #expect(MonotonicClock.milliseconds() - started < 2000, "50 rounds at 200 ms would take 10 s in the foreground")
            #expect(capture.lines().count == 2)
            let pidFile = "\(runner.stateDirectory)/send_arp-203.0.113.10"
            let pid = try #require(try FileSystem.read(pidFile).flatMap { Int32($0.filter(\.isNumber)) })
            #expect(ProcessTable.isRunning(pid))
            #expect(try runner.run("IPaddr2", "stop", vip).status == 0)
            #expect(AgentRunner.waitForExit(pid), "stop ends the background sender")
            #expect(!FileSystem.exists(pidFile))
        }
    }

    @Test func runArpingRefusesAnAddressAnotherHostHas() throws {
        try AgentRunner.with("dad") { runner in
            // The "other host": v1 moved into a second namespace that owns 203.0.113.30.
            try TestNamespace.with(prefix: "hakit-ip", "dad-peer") { peer in
                try runner.namespace.ip("link", "set", "v1", "netns", peer.name)
                try peer.ip("link", "set", "v1", "up")
                try peer.ip("addr", "add", "203.0.113.30/24", "dev", "v1")
                let taken = try runner.run("IPaddr2", "start", ["ip": "203.0.113.30", "run_arping": "true"])
                #expect(taken.status == 1, "\(taken.errorOutput)")
                #expect(taken.errorOutput.contains("IPv4 address collision 203.0.113.30 on v0"))
                #expect(try runner.addressLine("203.0.113.30") == nil, "nothing half-applied")
                let free = try runner.run("IPaddr2", "start", ["ip": "203.0.113.31", "run_arping": "true", "arp_count": "0"])
                #expect(free.status == 0, "\(free.errorOutput)")
                #expect(try runner.addressLine("203.0.113.31") != nil)
            }
        }
    }

    @Test func lvsSupportKeepsAHostRouteOnLoopback() throws {
        try AgentRunner.with("lvs") { runner in
            let vip = ["ip": "203.0.113.10", "lvs_support": "true", "arp_count": "0"]
            #expect(try runner.run("IPaddr2", "start", vip).status == 0)
            #expect(try runner.run("IPaddr2", "stop", vip).status == 0)
            #expect(try runner.addressLine("203.0.113.10")?.contains("lo    inet 203.0.113.10/32") == true)
            #expect(try runner.run("IPaddr2", "start", vip).status == 0)
            let lines = try runner.namespace.addressLines().filter { $0.contains("203.0.113.10/") }
            #expect(lines.count == 1 && lines[0].contains("v0"), "start takes the loopback copy away: \(lines)")
        }
    }

    @Test func passesDebiansOcfTester() throws {
        try AgentRunner.with("tester") { runner in
            try runner.expectPassesOcfTester("IPaddr2", ["ip": "203.0.113.10"])
            #expect(try runner.addressLine("203.0.113.10") == nil, "ocf-tester ends with stop")
        }
    }

    @Test func networkNamespaceParameterWorksFromOutside() throws {
        try AgentRunner.with("netns") { runner in
            let environment = [
                "OCF_ROOT": "/usr/lib/ocf", "OCF_RA_VERSION_MAJOR": "1", "OCF_RESOURCE_INSTANCE": "r1",
                "HA_RSCTMP": runner.stateDirectory, "OCF_RESKEY_ip": "203.0.113.10", "OCF_RESKEY_arp_count": "0",
                "OCF_RESKEY_network_namespace": runner.namespace.name,
            ]
            // Run in the host namespace: the agent itself enters the named one.
            let start = try TestSupport.run([TestSupport.binary("hakit-agent"), "IPaddr2", "start"], environment: environment)
            #expect(start.status == 0, "\(start.errorOutput)")
            #expect(try runner.addressLine("203.0.113.10") != nil)
            #expect(try TestSupport.run([TestSupport.binary("hakit-agent"), "IPaddr2", "stop"], environment: environment).status == 0)
            #expect(try runner.addressLine("203.0.113.10") == nil)
        }
    }
}
