#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import HAKitTestSupport
import Testing

/// Issue 10, item 3: resource health with a real apache2. The lab of `make demo` (floating
/// address plus apache in one group, a client on the LAN), with hakit.cf asking for a monitor
/// every second. apache's main process is killed by its pid (from its pid file) on the active
/// node: below migration_threshold it is restarted there; at it, the group moves to node2.
@Suite(.serialized) struct HeartbeatLiteHealthTests {
    static func hakitCf(threshold: Int) -> String {
        """
        # heartbeat-lite's own settings (HeartbeatLiteHealthTests)
        monitor_interval 1
        monitor_timeout 10
        migration_threshold \(threshold)
        failure_timeout 600

        """
    }

    /// Starts both daemons and waits until node1 serves and its apache monitor said running.
    func startServingOnNode1(_ lab: FailoverLab) throws {
        try lab.startDaemon("node1")
        try lab.startDaemon("node2")
        let first = try lab.probe(["--until", "node1", "--max-wait", "30000"])
        try #require(first.status == 0, "node1 never served: \(first.output)\n\(lab.logs)")
        let watched = waitUntil(20_000) {
            try lab.status("node1").groups.first?.monitor(lab.apacheToken("node1"))?.lastResult == "running"
        }
        try #require(watched, "node1's apache monitor never ran\n\(lab.logs)")
    }

    func waitUntil(_ timeoutMilliseconds: Int, _ condition: () throws -> Bool) -> Bool {
        let deadline = MonotonicClock.milliseconds() + Int64(timeoutMilliseconds)
        while MonotonicClock.milliseconds() < deadline {
            if (try? condition()) == true { return true }
            MonotonicClock.sleep(milliseconds: 50)
        }
        return false
    }

    /// Kills node1's apache main process by its pid; returns the pid.
    func killApache(_ lab: FailoverLab) throws -> Int32 {
        let pid = try #require(lab.apachePid("node1"), "no apache pid file on node1")
        try #require(kill(pid, SIGKILL) == 0, "kill \(pid): errno \(errno)")
        return pid
    }

    @Test func apacheKilledOnTheActiveNodeIsRestartedThere() throws {
        try FailoverLab.with("hr", prefix: "hkh") { lab in
            for node in ["node1", "node2"] { try lab.writeHakitCf(node, Self.hakitCf(threshold: 3)) }
            try startServingOnNode1(lab)
            let killed = try killApache(lab)
            let restarted = waitUntil(20_000) {
                let monitor = try lab.status("node1").groups.first?.monitor(lab.apacheToken("node1"))
                return monitor?.failCount == 1 && monitor?.lastResult == "running" && lab.apachePid("node1").map { $0 != killed } == true
            }
            try #require(restarted, "apache was not restarted on node1\n\(lab.logs)")
            #expect(try lab.page() == "Served by node1\n")
            #expect(try lab.holders() == ["node1"])
            #expect(try !lab.carriesAddress("node2"))
            #expect(try !lab.programs("node2").contains("/usr/sbin/apache2"))
            let status = try lab.status("node1")
            #expect(status.owner(of: status.groups.first?.key ?? "") == "node1")
            #expect(status.groups.first?.monitor(FailoverLab.vip + "/24/eth0")?.failCount == 0, "the address did not fail")
            let log = lab.log("node1")
            #expect(log.contains("\(lab.apacheToken("node1")) (group \(FailoverLab.vip)/24/eth0) failed its monitor"), "\(log)")
            #expect(log.contains("fail count 1 of 3"))
            #expect(log.contains("Restarting resource group \(FailoverLab.vip)/24/eth0 from \(lab.apacheToken("node1"))"))
            // Only apache was restarted: the address stayed (no release of the group).
            #expect(!log.contains("Releasing resource group"), "\(log)")
            let text = try lab.control("node1", ["status"]).output
            #expect(text.contains("monitor \(lab.apacheToken("node1")): running") && text.contains("fail count 1"), "\(text)")
        }
    }

    @Test func apacheKilledThresholdTimesMovesTheGroupToTheNode2() throws {
        try FailoverLab.with("hm", prefix: "hkh") { lab in
            for node in ["node1", "node2"] { try lab.writeHakitCf(node, Self.hakitCf(threshold: 2)) }
            try startServingOnNode1(lab)
            var killed = try killApache(lab)
            let restarted = waitUntil(20_000) {
                let monitor = try lab.status("node1").groups.first?.monitor(lab.apacheToken("node1"))
                return monitor?.failCount == 1 && monitor?.lastResult == "running" && lab.apachePid("node1").map { $0 != killed } == true
            }
            try #require(restarted, "apache was not restarted on node1 after the first kill\n\(lab.logs)")
            killed = try killApache(lab)
            let moved = try lab.probe(["--until", "node2", "--max-wait", "30000"])
            try #require(moved.status == 0, "node2 never served: \(moved.output)\n\(lab.logs)")
            let settled = waitUntil(20_000) {
                try ["node1", "node2"].allSatisfy { node in
                    let status = try lab.status(node)
                    return status.settled && status.groups.first?.owner == "node2"
                }
            }
            try #require(settled, "the nodes never agreed that node2 holds the group\n\(lab.logs)")
            #expect(try lab.holders() == ["node2"])
            #expect(try !lab.carriesAddress("node1"), "the address is on node2 only")
            #expect(try lab.page() == "Served by node2\n")
            #expect(try !lab.programs("node1").contains("/usr/sbin/apache2"), "no apache left on node1")
            #expect(try lab.programs("node2").contains("/usr/sbin/apache2"))
            let node1 = try lab.status("node1")
            #expect(node1.groups.first?.blocked?.contains("failed its monitor 2 time(s)") == true, "\(String(describing: node1.groups.first))")
            #expect(node1.groups.first?.monitor(lab.apacheToken("node1"))?.failCount == 2)
            #expect(lab.log("node1").contains("handing \(FailoverLab.vip)/24/eth0 to node2") || lab.log("node1").contains("offering \(FailoverLab.vip)/24/eth0 to node2"), "\(lab.log("node1"))")
            // It stays there: node1 does not take it back (auto_failback on does not apply: no takeover happened).
            let watch = try lab.probe(["--duration", "2000", "--expect", "node2"])
            #expect(watch.status == 0 && watch.summary["unexpected"] == "0", "\(watch.output)")
        }
    }
}
