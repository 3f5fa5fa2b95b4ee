import HAKitSystem
import HAKitTestSupport
import Testing

/// Our IPaddr2 with IPv6 addresses against the real kernel, on a link between two namespaces.
@Suite struct IPaddr2IPv6Tests {
    @Test func lifecycleWaitsForDADAndMonitorTellsTheState() throws {
        try IPv6Lab.with("life") { lab in
            let runner = lab.runner
            let vip = ["ip": "2001:db8::10", "arp_count": "1"]
            #expect(try runner.run("IPaddr2", "monitor", vip, probe: true).status == 7)
            #expect(try runner.run("IPaddr2", "validate-all", vip).status == 0)
            let start = try runner.run("IPaddr2", "start", vip)
            #expect(start.status == 0, "\(start.errorOutput)")
            // Placed by the kernel's 2001:db8::/64 route on v0; DAD is over when start returns.
            let line = try #require(try lab.line("2001:db8::10"))
            #expect(line.contains("v0    inet6 2001:db8::10/64 scope global"), "\(line)")
            #expect(!line.contains("tentative"), "start returned before DAD ended: \(line)")
            #expect(start.errorOutput.contains("added 2001:db8::10/64 to v0"), "\(start.errorOutput)")
            #expect(try runner.run("IPaddr2", "start", vip).status == 0)
            #expect(try lab.lines().filter { $0.contains("2001:db8::10/") }.count == 1)
            #expect(try runner.run("IPaddr2", "monitor", vip).status == 0)
            // The peer reaches it.
            #expect(try lab.peer.exec(["ping", "-6", "-c", "1", "-W", "2", "2001:db8::10"]).status == 0)
            #expect(try runner.run("IPaddr2", "stop", vip).status == 0)
            #expect(try lab.line("2001:db8::10") == nil)
            #expect(try runner.run("IPaddr2", "stop", vip).status == 0)
            #expect(try runner.run("IPaddr2", "monitor", vip).status == 7)
            #expect(try lab.line("2001:db8::2") != nil, "the interface's own address is untouched")
        }
    }

    @Test func nodadNoprefixrouteAndPreferredLifetimeReachTheKernel() throws {
        try IPv6Lab.with("opts") { lab in
            let vip = [
                "ip": "2001:DB8:0:0::20", "nic": "v0", "cidr_netmask": "80", "nodad": "true", "noprefixroute": "true",
                "preferred_lft": "0", "arp_count": "0",
            ]
            #expect(try lab.runner.run("IPaddr2", "start", vip).status == 0)
            let line = try #require(try lab.line("2001:db8::20"), "handled in its canonical form")
            #expect(line.contains("inet6 2001:db8::20/80 scope global nodad deprecated noprefixroute"), "\(line)")
            #expect(!(try lab.node.ip("-6", "route", "show")).contains("2001:db8::/80"))
            #expect(try lab.runner.run("IPaddr2", "monitor", vip).status == 0)
            #expect(try lab.runner.run("IPaddr2", "stop", vip).status == 0)
            #expect(try lab.line("2001:db8::20") == nil)
        }
    }

    @Test func aConflictingAddressOnThePeerFailsStartWithTheReasonAndLeavesNothing() throws {
        try IPv6Lab.with("dad") { lab in
            try lab.peer.ip("addr", "add", "2001:db8::30/64", "dev", "v1", "nodad")
            let before = try lab.globalState()
            let vip = ["ip": "2001:db8::30"]
            let start = try lab.runner.run("IPaddr2", "start", vip)
            #expect(start.status == 1, "a local fault, not a configuration error: \(start.errorOutput)")
            #expect(start.errorOutput.contains("ocf-exit-reason:IPv6 address collision 2001:db8::30 on v0 [DAD]"), "\(start.errorOutput)")
            #expect(try lab.globalState() == before, "nothing left behind")
            #expect(try lab.runner.run("IPaddr2", "monitor", vip).status == 7)
            #expect(try lab.runner.run("IPaddr2", "stop", vip).status == 0)

            // nodad=true: no detection, the address is there at once (and the collision is the admin's).
            let forced = try lab.runner.run("IPaddr2", "start", ["ip": "2001:db8::30", "nodad": "true", "arp_count": "0"])
            #expect(forced.status == 0, "\(forced.errorOutput)")
            #expect(try lab.line("2001:db8::30")?.contains("nodad") == true)
        }
    }

    @Test func aCollisionWhileRunningMakesMonitorFail() throws {
        try IPv6Lab.with("later") { lab in
            let vip = ["ip": "2001:db8::40", "arp_count": "0"]
            #expect(try lab.runner.run("IPaddr2", "start", vip).status == 0)
            // Another node takes the address; our link flaps, so DAD runs again and loses (with
            // keep_addr_on_down; without it the kernel deletes the address on link down: vanished).
            let sysctl = try lab.node.exec(["sysctl", "-qw", "net.ipv6.conf.v0.keep_addr_on_down=1"])
            try #require(sysctl.status == 0, "\(sysctl.errorOutput)")
            try lab.peer.ip("addr", "add", "2001:db8::40/64", "dev", "v1", "nodad")
            try lab.node.ip("link", "set", "v0", "down")
            try lab.node.ip("link", "set", "v0", "up")
            let deadline = MonotonicClock.milliseconds() + 5000
            while try lab.line("2001:db8::40")?.contains("dadfailed") != true && MonotonicClock.milliseconds() < deadline {
                MonotonicClock.sleep(milliseconds: 50)
            }
            try #require(try lab.line("2001:db8::40")?.contains("dadfailed") == true)
            let monitor = try lab.runner.run("IPaddr2", "monitor", vip)
            #expect(monitor.status == 7, "\(monitor.errorOutput)")
            #expect(monitor.errorOutput.contains("IPv6 address collision 2001:db8::40 on v0 [DAD]"))
            // Declared difference: resource-agents 4.12 only looks for the address and says running.
            // (4.12 refuses arp_count=0.)
            let stock = try lab.runner.run(IPaddr2DifferentialTests.stock, "monitor", ["ip": "2001:db8::40", "arp_count": "1"])
            #expect(stock.status == 0, "\(stock.status): \(stock.errorOutput)")
            #expect(try lab.runner.run("IPaddr2", "stop", vip).status == 0)
            #expect(try lab.line("2001:db8::40") == nil, "stop removes the dadfailed address")

            // Vanished: deleted by hand, or by the kernel on link down without keep_addr_on_down.
            try lab.peer.ip("addr", "del", "2001:db8::40/64", "dev", "v1")
            #expect(try lab.runner.run("IPaddr2", "start", vip).status == 0)
            try lab.node.ip("addr", "del", "2001:db8::40/64", "dev", "v0")
            #expect(try lab.runner.run("IPaddr2", "monitor", vip).status == 7)
            #expect(try lab.runner.run("IPaddr2", "start", vip).status == 0)
            _ = try lab.node.exec(["sysctl", "-qw", "net.ipv6.conf.v0.keep_addr_on_down=0"])
            try lab.node.ip("link", "set", "v0", "down")
            try lab.node.ip("link", "set", "v0", "up")
            #expect(try lab.line("2001:db8::40") == nil)
            // v0's own 2001:db8::2 went too, and with it the route: the address cannot even be
            // placed, which a recurring monitor reports as an error (1), as for IPv4.
            let gone = try lab.runner.run("IPaddr2", "monitor", vip)
            #expect(gone.status == 1, "\(gone.errorOutput)")
            #expect(gone.errorOutput.contains("Unable to find nic or netmask for 2001:db8::40"))
        }
    }

    @Test func unsolicitedNeighbourAdvertisementsAreSeenOnThePeer() throws {
        try IPv6Lab.with("na") { lab in
            let mac = try lab.runner.hardwareAddress("v0").split(separator: ":").compactMap { UInt8($0, radix: 16) }
            try #require(mac.count == 6)
            let directory = try TestSupport.temporaryDirectory("na")
            defer { TestSupport.removeTree(directory) }
            let capture = try PacketCapture(
                namespace: lab.peer, interface: "v1", filter: "-U -w \(directory)/na.pcap 'icmp6 and ip6[40] == 136'",
                count: 3)
            let start = try lab.runner.run(
                "IPaddr2", "start", ["ip": "2001:db8::50", "arp_count": "3", "arp_interval": "100", "arp_bg": "false"])
            #expect(start.status == 0, "\(start.errorOutput)")
            _ = capture.lines()
            let frames = try CapturedAdvertisement.read(pcap: "\(directory)/na.pcap")
            let expected = CapturedAdvertisement(
                sourceMAC: mac, source: "2001:db8::50", destination: "ff02::1", hopLimit: 255, icmpType: 136,
                flags: 0x20, target: "2001:db8::50", optionType: 2, optionMAC: mac)
            #expect(frames == [expected, expected, expected])

            // resource-agents' send_ua sends the very same advertisement.
            let stockCapture = try PacketCapture(
                namespace: lab.peer, interface: "v1", filter: "-U -w \(directory)/stock.pcap 'icmp6 and ip6[40] == 136'",
                count: 1)
            let stock = try lab.runner.run(
                IPaddr2DifferentialTests.stock, "start", ["ip": "2001:db8::51", "arp_count": "1"])
            #expect(stock.status == 0, "\(stock.errorOutput)")
            _ = stockCapture.lines()
            let stockFrames = try CapturedAdvertisement.read(pcap: "\(directory)/stock.pcap")
            let first = try #require(stockFrames.first, "send_ua sent nothing")
            var same = expected
            same.source = "2001:db8::51"
            same.target = "2001:db8::51"
            #expect(first == same)
        }
    }

    @Test func backgroundAdvertisementsDoNotDelayStartAndStopEndsTheSender() throws {
        try IPv6Lab.with("bg") { lab in
            let vip = ["ip": "2001:db8::60", "nodad": "true", "arp_count": "50", "arp_interval": "200"]
            #expect(try lab.runner.run("IPaddr2", "start", vip).status == 0)
            let pidFile = "\(lab.runner.stateDirectory)/send_arp-2001:db8::60"
            let pid = try #require(try FileSystem.read(pidFile).flatMap { Int32($0.filter(\.isNumber)) })
            #expect(ProcessTable.isRunning(pid), "50 rounds at 200 ms go on after start returned")
            #expect(try lab.runner.run("IPaddr2", "stop", vip).status == 0)
            #expect(AgentRunner.waitForExit(pid), "stop ends the background sender")
            #expect(!FileSystem.exists(pidFile))
        }
    }

    @Test func lvsAddressLabelComesAndGoesAsWithTheStockAgent() throws {
        for agent in ["IPaddr2", IPaddr2DifferentialTests.stock] {
            try IPv6Lab.with("lbl") { lab in
                let vip = ["ip": "2001:db8::10", "lvs_ipv6_addrlabel": "true", "lvs_ipv6_addrlabel_value": "77", "arp_count": "1"]
                let start = try lab.runner.run(agent, "start", vip)
                #expect(start.status == 0, "\(agent): \(start.errorOutput)")
                #expect(try lab.node.ip("addrlabel", "list").contains("prefix 2001:db8::10/128 label 77"), "\(agent)")
                #expect(try lab.line("2001:db8::10") != nil)
                #expect(try lab.runner.run(agent, "stop", vip).status == 0)
                #expect(!(try lab.node.ip("addrlabel", "list")).contains("2001:db8::10"), "\(agent) removes the label")
                #expect(try lab.line("2001:db8::10") == nil)
            }
        }
    }

    @Test(arguments: [
        (["ip": "2001:db8::g"], 6, 6, "ip=2001:db8::g is not a valid IPv6 address"),
        (["ip": "ff02::5"], 6, 6, "cannot be a floating address"),
        (["ip": "fe80::5"], 6, 6, "'nic' parameter is mandatory for a link local address [fe80::5]"),
        (["ip": "2001:db8::10", "cidr_netmask": "129"], 6, 6, "invalid cidr_netmask \"129\""),
        (["ip": "2001:db8::10", "cidr_netmask": "255.255.255.0"], 6, 6, "invalid cidr_netmask"),
        (["ip": "2001:db8::10", "broadcast": "+"], 6, 6, "only for IPv4"),
        (["ip": "2001:db8::10", "lvs_support": "true"], 6, 6, "IPv6 does not support lvs_support"),
        (["ip": "2001:db8::10", "lvs_ipv6_addrlabel": "true", "lvs_ipv6_addrlabel_value": "-1"], 6, 6,
         "Invalid lvs_ipv6_addrlabel_value [-1]"),
        (["ip": "2001:db8::10", "preferred_lft": "soon"], 6, 6, "preferred_lft=soon"),
        (["ip": "203.0.113.10", "lvs_ipv6_addrlabel": "true"], 6, 6, "lvs_ipv6_addrlabel=true is for IPv6"),
        (["ip": "2001:db8::10", "nic": "eth9"], 1, 7, "nic=eth9 does not exist on this node"),
        (["ip": "2001:db8:99::5"], 1, 7, "Unable to find nic or netmask for 2001:db8:99::5"),
        (["ip": "2001:db8::10", "cidr_netmask": "48"], 1, 7, "wider"),
    ] as [([String: String], Int32, Int32, String)])
    func badInputIsRefusedWithItsCodeAndReason(parameters: [String: String], code: Int32, probeCode: Int32, reason: String) throws {
        try IPv6Lab.with("bad") { lab in
            let before = try lab.globalState()
            try lab.runner.expectRefused(
                "IPaddr2", parameters, code: code, validateCode: code == 1 && reason.contains("this node") ? 2 : nil,
                probeCode: probeCode, reason: reason)
            #expect(try lab.globalState() == before)
        }
    }

    @Test func passesDebiansOcfTester() throws {
        try IPv6Lab.with("tester") { lab in
            try lab.runner.expectPassesOcfTester("IPaddr2", ["ip": "2001:db8::10"])
            #expect(try lab.line("2001:db8::10") == nil, "ocf-tester ends with stop")
        }
    }
}
