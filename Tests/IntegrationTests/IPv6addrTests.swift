import HAKitSystem
import HAKitTestSupport
import Testing

/// Our IPv6addr against the real kernel and next to resource-agents 4.12's IPv6addr (a C
/// program), on the IPv6 lab's link between two namespaces.
@Suite struct IPv6addrTests {
    static let stock = "/usr/lib/ocf/resource.d/heartbeat/IPv6addr"
    typealias Scenario = IPaddr2IPv6DifferentialTests.Scenario
    typealias Outcome = IPaddr2IPv6DifferentialTests.Outcome
    static let onV0 = Outcome.placed(interface: "v0", prefix: 64, flags: [])

    static let scenarios: [Scenario] = [
        Scenario(name: "no prefix, no nic: the route's", parameters: ["ipv6addr": "2001:db8::10"], ours: onV0),
        Scenario(name: "the prefix with the address", parameters: ["ipv6addr": "2001:db8::10/64"], ours: onV0),
        Scenario(name: "nic and cidr_netmask for an address outside the routes",
                 parameters: ["ipv6addr": "2001:db8:99::10", "nic": "v0", "cidr_netmask": "64"],
                 ours: .placed(interface: "v0", prefix: 64, flags: [])),
        Scenario(name: "link-local with nic", parameters: ["ipv6addr": "fe80::10", "nic": "v0"], ours: onV0),
        Scenario(name: "no route at all", parameters: ["ipv6addr": "2001:db8:99::10"], ours: .failed(1)),
        Scenario(name: "an interface that does not exist", parameters: ["ipv6addr": "2001:db8::10", "nic": "eth9"],
                 ours: .failed(1)),
        Scenario(name: "a longer prefix than the link's", parameters: ["ipv6addr": "2001:db8::10/80"],
                 ours: .placed(interface: "v0", prefix: 80, flags: []),
                 stockDiffers: (.failed(1), "4.12 only accepts the prefix length of an address already on an interface; the route decides here, as in IPaddr2.")),
        Scenario(name: "cidr_netmask overrides", parameters: ["ipv6addr": "2001:db8::10/64", "cidr_netmask": "96"],
                 ours: .placed(interface: "v0", prefix: 96, flags: []),
                 stockDiffers: (.failed(1), "the same: 4.12 finds no address with a /96 prefix.")),
        Scenario(name: "a malformed address", parameters: ["ipv6addr": "2001:db8::g"], ours: .failed(6),
                 stockDiffers: (.failed(2), "wrong on every node, so OCF_ERR_CONFIGURED (4.12: OCF_ERR_ARGS, which only bans this node).")),
        Scenario(name: "a prefix of 129", parameters: ["ipv6addr": "2001:db8::10/129"], ours: .failed(6),
                 stockDiffers: (.failed(2), "the same.")),
    ]

    /// Serialized: 4.12's IPv6addr keeps a pid file per address in the host's /run and kills
    /// the process that holds it, whatever namespace that process runs in.
    @Test(.serialized, arguments: scenarios)
    func agreesWithTheStockAgentOrSaysWhyNot(_ scenario: Scenario) throws {
        try scenario.expectAgreement(ours: "IPv6addr", stock: Self.stock) {
            try IPaddr2IPv6DifferentialTests.outcome($0, $1, addressKey: "ipv6addr", extra: [:])
        }
    }

    @Test func startWaitsForDADAnnouncesAndStopEndsTheSender() throws {
        try IPv6Lab.with("v6a") { lab in
            let vip = ["ipv6addr": "2001:db8::10"]
            #expect(try lab.runner.run("IPv6addr", "monitor", vip, probe: true).status == 7)
            let capture = try PacketCapture(
                namespace: lab.peer, interface: "v1", filter: "'icmp6 and ip6[40] == 136'", count: 2)
            let start = try lab.runner.run("IPv6addr", "start", vip)
            #expect(start.status == 0, "\(start.errorOutput)")
            #expect(try lab.line("2001:db8::10")?.contains("tentative") == false)
            #expect(try lab.runner.run("IPv6addr", "status", vip).status == 0)
            #expect(try lab.runner.run("IPv6addr", "monitor", vip).status == 0)
            // Five advertisements one second apart: the first at once, the rest in the background.
            let lines = capture.lines(timeoutMilliseconds: 3000)
            #expect(lines.count == 2 && lines.allSatisfy { $0.contains("neighbor advertisement, tgt is 2001:db8::10") }, "\(lines)")
            let pidFile = "\(lab.runner.stateDirectory)/send_arp-2001:db8::10"
            let pid = try #require(try FileSystem.read(pidFile).flatMap { Int32($0.filter(\.isNumber)) })
            #expect(try lab.runner.run("IPv6addr", "stop", vip).status == 0)
            #expect(AgentRunner.waitForExit(pid))
            #expect(try lab.line("2001:db8::10") == nil)
            #expect(try lab.runner.run("IPv6addr", "monitor", vip).status == 7)
            #expect(try lab.runner.run("IPv6addr", "stop", vip).status == 0)
        }
    }

    @Test func aConflictingAddressFailsStartAndLeavesNothing() throws {
        try IPv6Lab.with("v6dad") { lab in
            try lab.peer.ip("addr", "add", "2001:db8::30/64", "dev", "v1", "nodad")
            let start = try lab.runner.run("IPv6addr", "start", ["ipv6addr": "2001:db8::30/64"])
            #expect(start.status == 1, "\(start.errorOutput)")
            #expect(start.errorOutput.contains("IPv6 address collision 2001:db8::30 on v0 [DAD]"))
            #expect(try lab.line("2001:db8::30") == nil, "4.12 leaves the dadfailed address behind; we remove it")
        }
    }

    @Test func passesDebiansOcfTester() throws {
        try IPv6Lab.with("v6tester") { lab in
            try lab.runner.expectPassesOcfTester("IPv6addr", ["ipv6addr": "2001:db8::10"])
            #expect(try lab.line("2001:db8::10") == nil)
        }
    }
}
