#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import HAKitTestSupport
import Testing

/// Transition hooks (`CONFIG-DIR/notify.d`): scripts told of each transition with the node, group
/// and reason, on a thread of their own, so that one that hangs delays no failover.
@Suite struct TransitionHookTests {
    static let group = "203.0.113.10/24/hb0"

    /// node2's hooks: `00-hang` sleeps for ever (its pid in a file), `10-record` writes what it
    /// was told. node1 crashes: node2 declares it dead and takes the group over while the hanging
    /// hook still runs; the hook is killed after --hook-timeout, and the recorder then hears
    /// `peer_dead`, then `acquired GROUP`, with the environment set.
    @Test func aHangingHookDelaysNoFailoverAndEveryTransitionIsTold() throws {
        try HeartbeatCluster.with("hk", prefix: "hk-hook") { cluster in
            let node2 = cluster.node2
            let hooks = "\(node2.configDirectory)/notify.d"
            let record = "\(node2.directory)/hook-record"
            let hangPid = "\(node2.directory)/hang.pid"
            try FileSystem.makeDirectories(hooks)
            try TestSupport.writeScript("\(hooks)/00-hang", "#!/bin/sh\necho $$ > '\(hangPid)'\nexec sleep 600\n")
            try TestSupport.writeScript(
                "\(hooks)/10-record",
                "#!/bin/sh\necho \"$* | $HA_EVENT | $HA_NODE | $HA_PEER | ${HA_GROUP:--} | $HA_REASON\" >> '\(record)'\n")
            try TestSupport.writeScript("\(hooks)/20-disabled~", "#!/bin/sh\necho never >> '\(record)'\n")
            node2.extraRunArguments = ["--hook-timeout", "3"]
            try cluster.start()
            guard cluster.waitUntil({ try cluster.placed(Self.group, address: "203.0.113.10", on: "node1") }) != nil else {
                throw TestFailure("start-up: the group should be on node1\n\(cluster.diagnostics())")
            }
            // node1 crashes: its daemon killed, its address gone with it.
            cluster.node1.killHard()
            try cluster.node1.namespace.ip("addr", "del", "203.0.113.10/24", "dev", "hb0")
            guard cluster.waitUntil({ try cluster.placed(Self.group, address: "203.0.113.10", on: "node2") }) != nil else {
                throw TestFailure("node2 should take over\n\(cluster.diagnostics())")
            }
            let pid = try #require(try FileSystem.read(hangPid).flatMap { pid_t($0.split(separator: "\n").first ?? "") })
            #expect(ProcessTable.isRunning(pid), "the takeover waited for the hanging hook (pid \(pid))")
            let heardSoFar = ((try? FileSystem.read(record)) ?? nil) ?? ""
            #expect(!heardSoFar.contains("acquired"), "the recorder runs after the hanging hook: \(heardSoFar)")

            let deadline = MonotonicClock.milliseconds() + 20_000
            var lines: [String] = []
            while lines.count < 2 && MonotonicClock.milliseconds() < deadline {
                lines = ((try? FileSystem.read(record)) ?? nil)?.split(separator: "\n").map(String.init) ?? []
                MonotonicClock.sleep(milliseconds: 50)
            }
            try #require(lines.count >= 2, "the recorder heard \(lines)\n\(node2.log)")
            #expect(lines[0] == "peer_dead | peer_dead | node2 | node1 | - | no heartbeat for its dead time", "\(lines)")
            #expect(lines[1] == "acquired \(Self.group) | acquired | node2 | node1 | \(Self.group) | takeover from dead node1", "\(lines)")
            #expect(!lines.contains("never"), "a backup file is no hook")
            #expect(!ProcessTable.isRunning(pid), "the hanging hook was killed after its timeout")
            #expect(node2.log.contains("hook \(hooks)/00-hang peer_dead: still running after 3000 ms; killed"), "\(node2.log)")
        }
    }
}
