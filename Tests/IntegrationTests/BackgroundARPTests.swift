#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import HAKitTestSupport
import Synchronization
import Testing

/// The background ARP sender takes about 15 ms to start; the first gratuitous request goes out
/// from the agent itself, before start returns, so that a takeover is announced at once.
@Suite struct BackgroundARPTests {
    static let address = "203.0.113.61"

    /// Binding a packet socket created with a protocol waits for an RCU grace period (10 to
    /// 20 ms each); created with protocol 0 and bound with the ethertype, it does not wait.
    @Test func packetSocketsOpenWithoutWaiting() throws {
        try AgentRunner.with("garp-socket") { runner in
            let index = try #require(Int32(try runner.namespace.ip("-o", "link", "show", "v0").prefix { $0 != ":" }))
            // On a thread of its own: entering the namespace moves only that thread.
            let outcome = Mutex<Result<Int64, any Error>?>(nil)
            let name = runner.namespace.name
            try DetachedThread.start("the packet socket test") {
                let result = Result<Int64, any Error> {
                    try Namespaces.enterNetworkNamespace(named: name)
                    // Kept open while timed: closing one waits for a grace period in any case
                    // (packet_release), after the frames are out.
                    var sockets: [PacketSocket] = []
                    let started = MonotonicClock.milliseconds()
                    for _ in 0..<20 { sockets.append(try PacketSocket(interfaceIndex: index, etherType: 0x0806)) }
                    return MonotonicClock.milliseconds() - started
                }
                outcome.withLock { $0 = result }
            }
            var elapsed: Result<Int64, any Error>?
            while elapsed == nil {
                MonotonicClock.sleep(milliseconds: 5)
                elapsed = outcome.withLock { $0 }
            }
            #expect(try elapsed!.get() < 150, "20 sockets opened and bound")
        }
    }

    @Test(arguments: ["SendArp", "IPaddr2"])
    func firstRequestLeavesBeforeStartReturns(agent: String) throws {
        try AgentRunner.with("garp-first") { runner in
            let mac = try runner.hardwareAddress("v0")
            let capture = try PacketCapture(namespace: runner.namespace, interface: "v1", filter: "arp", count: 2)
            // One round, its reply 5 s after the request: only the agent's own request can be seen
            // when the sender is killed right after start.
            var resource = ["ip": Self.address, "nic": "v0", "arp_count": "1", "arp_interval": "10000"]
            if agent == "IPaddr2" { resource["cidr_netmask"] = "24" }
            let start = try runner.run(agent, "start", resource)
            #expect(start.status == 0, "\(start.errorOutput)")
            let pidFile = "\(runner.stateDirectory)/send_arp-\(Self.address)"
            let pid = try #require(try FileSystem.read(pidFile).flatMap { Int32($0.filter(\.isNumber)) })
            // The agent's socket lives on in the sender, which pays its closing (an RCU grace period).
            #expect(FileSystem.readLink("/proc/\(pid)/fd/3")?.hasPrefix("socket:") == true)
            kill(pid, SIGKILL)
            let frames = capture.lines(timeoutMilliseconds: 1000).map { String($0.drop { $0 != " " }.dropFirst()) }
            #expect(frames == [AgentRunner.gratuitousRound(Self.address, from: mac)[0]])
            _ = try runner.run(agent, "stop", resource)
        }
    }

    /// A start that fails after spawning the sender (here: its pid file cannot be written) kills
    /// and reaps the sender before it returns, so that a rolled back address is not announced on:
    /// stop could not find the sender without its pid file.
    @Test(arguments: ["SendArp", "IPaddr2", "IPaddr"])
    func failedStartLeavesNoSender(agent: String) throws {
        try AgentRunner.with("garp-fail") { runner in
            let address = "203.0.113.67"
            let mac = try runner.hardwareAddress("v0")
            // A directory, not empty, where the file goes: the rename onto it fails (EISDIR).
            let path = "\(runner.stateDirectory)/send_arp-\(address)"
            try FileSystem.makeDirectories("\(path)/blocker")
            let capture = try PacketCapture(namespace: runner.namespace, interface: "v1", filter: "arp", count: 8)
            // Three rounds 1 s apart, replies half a second after each request: a leaked sender
            // would still be announcing when start has returned.
            var resource = ["ip": address, "nic": "v0"]
            switch agent {
            case "IPaddr": resource.merge(["cidr_netmask": "24", "ARP_REPEAT": "3", "ARP_INTERVAL_MS": "1000"]) { $1 }
            case "IPaddr2": resource.merge(["cidr_netmask": "24", "arp_count": "3", "arp_interval": "1000"]) { $1 }
            default: resource.merge(["arp_count": "3", "arp_interval": "1000"]) { $1 }
            }
            let start = try runner.run(agent, "start", resource)
            #expect(start.status != 0 && start.status != 6, "\(start.status): \(start.errorOutput)")
            #expect(start.errorOutput.contains("ocf-exit-reason:"), "\(start.errorOutput)")
            let senders = ProcessTable.allProcesses().filter {
                let words = ProcessTable.commandLine($0) ?? []
                return words.contains(BackgroundARPTests.senderCommand) && words.contains { $0.hasPrefix(runner.stateDirectory) }
            }
            #expect(senders.filter(ProcessTable.isRunning).isEmpty, "sender still running: \(senders)")
            #expect(try runner.addressLine(address) == nil, "the address was rolled back")
            // Only the agent's own first request, sent before the sender was spawned, went out.
            let frames = capture.lines(timeoutMilliseconds: 2500).map { String($0.drop { $0 != " " }.dropFirst()) }
            #expect(frames == [AgentRunner.gratuitousRound(address, from: mac)[0]])
            TestSupport.removeTree(path)
            #expect(try runner.run(agent, "stop", resource).status == 0)
        }
    }

    /// The internal command the background sender runs under (`BackgroundARP.command`).
    static let senderCommand = "--send-arp"
}
