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

    /// node1's only medium is set down (`ip link set hb0 down`, as an ifdown does): node1 is cut
    /// off. Its hook hears `isolated` with the reason. node2 lost its peer (no carrier on its side)
    /// and takes the group over; node1, whose media are all set down, takes nothing over when
    /// node2 goes silent (a heartbeat node would, and its IPaddr would set hb0 up again). When hb0
    /// is back, the two hear each other before node1's dead time has passed: nothing is taken
    /// over by node1, and the group ends on its home node only.
    @Test func aCutOffNodeIsToldAndTakesNothingOver() throws {
        try HeartbeatCluster.with("hi", haresources: "node1 203.0.113.10/24/hb0\nnode2 203.0.113.20/24/hb0\n", prefix: "hk-iso") { cluster in
            let node1 = cluster.node1
            let hooks = "\(node1.configDirectory)/notify.d"
            let record = "\(node1.directory)/hook-record"
            try FileSystem.makeDirectories(hooks)
            try TestSupport.writeScript("\(hooks)/10-record", "#!/bin/sh\necho \"$* | $HA_REASON\" >> '\(record)'\n")
            try cluster.start()
            guard cluster.waitUntil({
                try cluster.placed(Self.group, address: "203.0.113.10", on: "node1")
                    && cluster.placed("203.0.113.20/24/hb0", address: "203.0.113.20", on: "node2")
            }) != nil else {
                throw TestFailure("start-up\n\(cluster.diagnostics())")
            }
            try node1.namespace.ip("link", "set", "hb0", "down")
            guard cluster.waitUntil({ try cluster.node2.status().owner(of: Self.group) == "node2" }) != nil,
                cluster.waitUntil({ node1.log.contains("mach_down: not taking over the resources of node2") }) != nil
            else { throw TestFailure("node2 takes over, node1 holds back\n\(cluster.diagnostics())") }
            #expect(node1.log.contains("administratively down (hb0), so this node is cut off"), "\(node1.log)")
            let heard = cluster.waitUntil({ ((try? FileSystem.read(record)) ?? nil)?.contains("isolated") == true })
            #expect(heard != nil, "no isolated hook")
            let lines = ((try? FileSystem.read(record)) ?? nil) ?? ""
            #expect(lines.contains("isolated | every heartbeat medium is down: hb0 administratively down"), "\(lines)")
            let statusWhileCut = try node1.status()
            #expect(statusWhileCut.owner(of: "203.0.113.20/24/hb0") != "node1", "node1 took node2's group while cut off")
            #expect(try !node1.namespace.ip("-o", "link", "show", "hb0").contains("state UP"), "hb0 was set up again")

            try node1.namespace.ip("link", "set", "hb0", "up")
            guard cluster.waitUntil({
                try cluster.placed(Self.group, address: "203.0.113.10", on: "node1")
                    && cluster.placed("203.0.113.20/24/hb0", address: "203.0.113.20", on: "node2")
            }) != nil else { throw TestFailure("after the link came back\n\(cluster.diagnostics())") }
            #expect(!node1.log.contains("mach_down: taking over resources of node2"), "\(node1.log)")
        }
    }
}
