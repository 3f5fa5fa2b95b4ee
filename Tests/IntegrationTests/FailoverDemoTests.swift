import HAKitSystem
import HAKitTestSupport
import Testing

/// `make demo`'s scenario, checked at every stable point: two heartbeat-lite nodes, the floating
/// address and a real apache2 as one group, a client polling the address. Node1 serves; node1 is
/// killed hard and node2 takes over; node1 comes back and takes its group back (auto_failback on).
/// At each point: the address on exactly one live node, apache answering from that node, and a
/// gratuitous ARP from that node's interface seen by the client.
@Suite struct FailoverDemoTests {
    @Test func killTakeoverAndFailback() throws {
        try FailoverLab.with("demo") { lab in
            let mac1 = try lab.hardwareAddress("node1")
            let mac2 = try lab.hardwareAddress("node2")

            // 1. Both daemons start; node1, the home node, acquires the group.
            var capture = try lab.gratuitousARPCapture(count: 2)
            try lab.startDaemon("node1")
            try lab.startDaemon("node2")
            let first = try lab.probe(["--until", "node1", "--max-wait", "30000"])
            try #require(first.status == 0, "node1 never served the address: \(first.output)\n\(lab.logs)")
            #expect(try lab.holders() == ["node1"], "\(lab.logs)")
            #expect(try lab.page() == "Served by node1\n")
            #expect(FailoverDemoTests.senders(capture).contains(mac1), "a gratuitous ARP from node1 reached the client")
            #expect(!FailoverDemoTests.senders(capture).contains(mac2))

            // 2. node1 dies hard: every process SIGKILLed, both links down. node2 takes over.
            capture = try lab.gratuitousARPCapture(count: 2, from: mac2)
            // The kill at a random phase of the client's polling, as make bench makes it.
            let kill = try lab.probe([
                "--before", "node1", "--trigger-jitter", "10", "--trigger", lab.killCommand("node1"), "--until", "node2",
                "--max-wait", "20000",
            ])
            lab.reapDaemon("node1")
            try #require(kill.status == 0, "node2 never answered: \(kill.output)\n\(lab.logs)")
            let outage = try #require(Double(kill.summary["outage_ms"] ?? ""))
            let delay = try #require(Double(kill.summary["trigger_delay_ms"] ?? ""), "\(kill.summary)")
            #expect(delay >= 0 && delay < 12, "the kill came \(delay) ms after node1's answer")
            // deadtime 500 ms plus the takeover; generous for a loaded machine.
            #expect(outage > 400 && outage < 3000, "outage \(outage) ms")
            #expect(try lab.holders() == ["node2"], "\(lab.logs)")
            #expect(try lab.page() == "Served by node2\n")
            #expect(FailoverDemoTests.senders(capture).contains(mac2), "a gratuitous ARP from node2 reached the client")
            let takeover = lab.log("node2")
            #expect(takeover.contains("node node1: status dead") || takeover.contains("node1") && takeover.contains("dead"), "\(takeover)")
            #expect(takeover.contains("acquiring"), "\(takeover)")

            // 3. node1 returns: its daemon starts with the links still down and first removes
            // what the killed run left (the address among it); then the links come up.
            #expect(try lab.carriesAddress("node1"), "the killed node still had the address configured")
            let mark = lab.log("node1").count
            try lab.startDaemon("node1")
            try #require(lab.waitForLog("node1", "Local status now set to: 'up'", after: mark), "\(lab.logs)")
            #expect(try !lab.carriesAddress("node1"), "the leftover address is gone before node1 rejoins")
            capture = try lab.gratuitousARPCapture(count: 2, from: mac1)
            try lab.setLinks("node1", up: true)
            let back = try lab.probe(["--until", "node1", "--max-wait", "30000"])
            try #require(back.status == 0, "node1 never served again: \(back.output)\n\(lab.logs)")
            #expect(try lab.holders() == ["node1"], "\(lab.logs)")
            #expect(try !lab.carriesAddress("node2"), "node2 released the address")
            #expect(try lab.page() == "Served by node1\n")
            #expect(FailoverDemoTests.senders(capture).contains(mac1), "a gratuitous ARP from node1 reached the client")
            // node2's announcements ended with its release: none may point the client back at it.
            let late = try lab.gratuitousARPCapture(count: 1, from: mac2)
            #expect(late.lines(timeoutMilliseconds: 2000).isEmpty, "node2 still announced the address after releasing it")
            #expect(!FileSystem.exists("\(lab.directory)/node2/run/httpd.pid"), "node2's apache stopped")
            #expect(try !lab.programs("node2").contains("/usr/sbin/apache2"), "no apache left on node2")
            #expect(try lab.programs("node1").contains("/usr/sbin/apache2"))

            // 4. Stable: node1 keeps serving and nothing moves for a second.
            let watch = try lab.probe(["--duration", "1000", "--expect", "node1"])
            #expect(watch.status == 0 && watch.summary["unexpected"] == "0", "\(watch.output)")
        }
    }

    /// The source hardware addresses of the captured frames.
    static func senders(_ capture: PacketCapture) -> Set<String> {
        Set(capture.lines().compactMap { line in line.split(separator: " ").dropFirst().first.map(String.init) })
    }
}
