import HAKitSystem
import HAKitTestSupport
import Testing

/// The complaint of seed 003 on `make demo`'s topology (FailoverLab: a switch, the floating
/// address and a real apache2 as one group, heartbeats on eth0 and hb0, a client polling): node1's
/// service cable is pulled at the switch while hb0 stays up. The link watch must put the address
/// and apache on node2 only, the client answered again within keepalive + 1 s, and node1's
/// status must say why.
@Suite struct LinkWatchLabTests {
    @Test func serviceCablePulledMovesAddressAndApache() throws {
        try FailoverLab.with("lw", prefix: "hkp-fo") { lab in
            try lab.startDaemon("node1")
            try lab.startDaemon("node2")
            let first = try lab.probe(["--until", "node1", "--max-wait", "30000"])
            try #require(first.status == 0, "node1 never served the address: \(first.output)\n\(lab.logs)")

            let pull = "ip -n \(lab.switchBox.name) link set p-node1 down"
            let cut = try lab.probe(["--before", "node1", "--trigger-jitter", "10", "--trigger", pull, "--until", "node2", "--max-wait", "20000"])
            try #require(cut.status == 0, "node2 never answered: \(cut.output)\n\(lab.logs)")
            let outage = try #require(Double(cut.summary["outage_ms"] ?? ""), "\(cut.summary)")
            print("link watch: client-observed outage \(outage) ms after node1's service cable was pulled (keepalive 100 ms, deadtime 500 ms)")
            #expect(outage < 100 + 1000, "answered again within keepalive + 1 s: \(outage) ms")
            #expect(try lab.page() == "Served by node2\n")
            #expect(try lab.carriesAddress("node2") && !lab.carriesAddress("node1"), "\(lab.logs)")
            let apacheGone = MonotonicClock.milliseconds() + 5000
            while try lab.programs("node1").contains("/usr/sbin/apache2"), MonotonicClock.milliseconds() < apacheGone {
                MonotonicClock.sleep(milliseconds: 50)
            }
            #expect(try !lab.programs("node1").contains("/usr/sbin/apache2"), "apache stopped on node1")
            #expect(try lab.programs("node2").contains("/usr/sbin/apache2"), "apache runs on node2")
            let status = try lab.status("node1")
            #expect(status.peer("node2")?.status == "active", "hb0 kept the nodes in touch")
            #expect(status.lastHandover?.contains("eth0") == true && status.lastHandover?.contains("no carrier") == true, "\(status.lastHandover ?? "no reason")")

            // The cable back: nothing moves by itself (no ping nodes), node2 keeps serving.
            try lab.switchBox.ip("link", "set", "p-node1", "up")
            let watch = try lab.probe(["--duration", "1500", "--expect", "node2"])
            #expect(watch.status == 0 && watch.summary["unexpected"] == "0", "\(watch.output)")
        }
    }
}
