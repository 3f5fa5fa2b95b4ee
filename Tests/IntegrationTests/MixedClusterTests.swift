#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import HAKitTestSupport
import Testing

/// heartbeat-lite next to a real heartbeat 3.0.6 node (issue 15), with the same ha.cf, haresources
/// and authkeys: each scenario runs with the real node as node1 (the group's home) and as node2.
/// At every stable point the address is on exactly one node and both daemons say the same
/// (`heartbeat-lite status`, `cl_status rscstatus`); auto_failback is on.
@Suite struct MixedClusterTests {
    typealias Side = MixedCluster.RealSide

    /// Started at the same moment (the start-up that deadlocked: the real node waited for a
    /// `repnodes` answer before its Comm_now_up), three times in a row.
    @Test(arguments: Side.allCases) func startTogether(real: Side) throws {
        try MixedCluster.with("tg\(real)", real: real) { cluster in
            for round in 1...3 {
                try cluster.startTogether()
                try cluster.requirePlaced(on: cluster.home, "started together, round \(round)")
                #expect(cluster.real.log.contains("Comm_now_up(): updating status to active"))
                try cluster.crash(cluster.ours.name)
                try cluster.crash(cluster.real.name)
            }
        }
    }

    /// One side starts alone and takes the group after initdead; the other joins. When the joiner
    /// is the home node the group fails back to it (auto_failback on) — to a real home node too,
    /// once it says it is stable (`isstable=1`) after our mach_down takeover.
    @Test(arguments: Side.allCases, [true, false]) func oneStartsFirst(real: Side, oursFirst: Bool) throws {
        try MixedCluster.with("f\(real)\(oursFirst ? "o" : "r")", real: real) { cluster in
            let first = oursFirst ? cluster.ours.name : cluster.real.name
            try cluster.start(first)
            try cluster.requirePlaced(on: first, "\(first) alone")
            try cluster.start(MixedCluster.other(first))
            try cluster.requirePlaced(on: cluster.home, "after \(MixedCluster.other(first)) joined")
            try cluster.requireStays(on: cluster.home, "settled", milliseconds: 2000)
        }
    }

    /// How a node leaves the cluster.
    enum Leaving: String, CaseIterable, Sendable, CustomStringConvertible {
        /// Every process killed at once and the address gone (`MixedCluster.crash`).
        case crash
        /// A graceful stop: SIGTERM to heartbeat-lite, `heartbeat -k` on the real node.
        case stop
        var description: String { rawValue }
    }

    /// The home node leaves: the other takes over (at once after a graceful stop, after deadtime
    /// after a crash); it comes back: failback, both ways. The other node leaves and comes back:
    /// nothing moves.
    @Test(arguments: Side.allCases, Leaving.allCases) func eitherSideLeavesAndReturns(real: Side, leaving: Leaving) throws {
        try MixedCluster.with("\(leaving.rawValue.prefix(1))\(real)", real: real) { cluster in
            func leave(_ name: String) throws {
                switch leaving {
                case .crash: try cluster.crash(name)
                case .stop: try cluster.stop(name)
                }
            }
            let away = MixedCluster.other(cluster.home)
            try cluster.startTogether()
            try cluster.requirePlaced(on: cluster.home, "start-up")
            try leave(cluster.home)
            try cluster.requirePlaced(on: away, "\(cluster.home) left (\(leaving))")
            try cluster.start(cluster.home)
            try cluster.requirePlaced(on: cluster.home, "\(cluster.home) back: failback")
            try leave(away)
            try cluster.requireStays(on: cluster.home, "\(away) left (\(leaving))", milliseconds: 2500)
            try cluster.requirePlaced(on: cluster.home, "\(away) left (\(leaving))")
            try cluster.start(away)
            try cluster.requireStays(on: cluster.home, "\(away) back", milliseconds: 2500)
            try cluster.requirePlaced(on: cluster.home, "\(away) back")
        }
    }

    /// auto_failback off: the node that is not the group's home starts first and takes the group;
    /// the home node joins and the group stays where it is (no failback, either way).
    @Test(arguments: Side.allCases) func autoFailbackOffLeavesTheGroupWhereItIs(real: Side) throws {
        try MixedCluster.with("o\(real)", real: real, autoFailback: "off") { cluster in
            let away = MixedCluster.other(cluster.home)
            try cluster.start(away)
            try cluster.requirePlaced(on: away, "\(away) alone")
            try cluster.start(cluster.home)
            try cluster.requireStays(on: away, "\(cluster.home) joined (auto_failback off)", milliseconds: 4000)
            try cluster.requirePlaced(on: away, "\(cluster.home) joined (auto_failback off)")
        }
    }

    /// Takeover from both sides: `hb_takeover` on the real node and `heartbeat-lite takeover` on
    /// ours each bring the group over, the other side standing by.
    @Test(arguments: Side.allCases) func takeoverFromBothSides(real: Side) throws {
        try MixedCluster.with("to\(real)", real: real) { cluster in
            try cluster.startTogether()
            try cluster.requirePlaced(on: cluster.home, "start-up")
            func oursTakeover() throws {
                let result = try cluster.ours.control("takeover", "all", "--wait", "30")
                try #require(result.status == 0, "heartbeat-lite takeover: \(result.errorOutput)\n\(cluster.diagnostics())")
                try cluster.requirePlaced(on: cluster.ours.name, "after heartbeat-lite takeover")
            }
            func realTakeover() throws {
                let result = try cluster.real.inside(["/usr/share/heartbeat/hb_takeover", "all"])
                try #require(result.status == 0, "hb_takeover: \(result.output)\(result.errorOutput)\n\(cluster.diagnostics())")
                try cluster.requirePlaced(on: cluster.real.name, "after hb_takeover")
            }
            if cluster.home == cluster.ours.name {
                try realTakeover()
                try cluster.requireStays(on: cluster.real.name, "after hb_takeover (no failback)", milliseconds: 2000)
                try oursTakeover()
            } else {
                try oursTakeover()
                try cluster.requireStays(on: cluster.ours.name, "after takeover (no failback)", milliseconds: 2000)
                try realTakeover()
            }
            try cluster.requireStays(on: cluster.home, "settled", milliseconds: 1000)
        }
    }

    /// The heartbeat link is cut silently (it stays up) for longer than deadtime: each side declares the other dead and
    /// takes the group (no STONITH: the address is on both). On heal the real node finds its
    /// peer "returning after partition" and restarts itself, as heartbeat does (giving everything
    /// up first: the group may be on neither node or moved meanwhile); once its new run is up the
    /// group ends on its home node only, both sides agreeing.
    @Test(arguments: Side.allCases) func aPartitionHeals(real: Side) throws {
        try MixedCluster.with("p\(real)", real: real) { cluster in
            try cluster.startTogether()
            try cluster.requirePlaced(on: cluster.home, "start-up")
            try cluster.partition()
            let deadline = MonotonicClock.milliseconds() + 15_000
            while try cluster.holders().count < 2 {
                guard MonotonicClock.milliseconds() < deadline else {
                    throw TestFailure("both sides should take the group during the partition\n\(cluster.diagnostics())")
                }
                MonotonicClock.sleep(milliseconds: 50)
            }
            let mark = cluster.real.log.count
            try cluster.partition(lost: false)
            // heartbeat gives everything up 2 s after it sees the peer return and execs itself
            // again (after deadtime + 1 s); only its new run's settled state counts.
            let restart = MonotonicClock.milliseconds() + 30_000
            while true {
                let log = String(cluster.real.log.dropFirst(mark))
                if let exec = log.range(of: "Performing heartbeat restart exec."),
                    log[exec.upperBound...].contains("Local status now set to: 'up'")
                {
                    break
                }
                guard MonotonicClock.milliseconds() < restart else {
                    throw TestFailure("the real node did not restart itself after the partition\n\(cluster.diagnostics())")
                }
                MonotonicClock.sleep(milliseconds: 50)
            }
            try cluster.requirePlaced(on: cluster.home, "after the heal", timeoutMilliseconds: 40_000)
            try cluster.requireStays(on: cluster.home, "after the heal", milliseconds: 2000)
        }
    }

    /// Standby from both sides: `heartbeat-lite standby` returns once the real node acquired (the
    /// status it prints names it as the owner), and `hb_standby` on the real node hands the group
    /// to heartbeat-lite; an administrator's move is never failed back.
    /// With `named`, each side names the set that holds the group from its own side (`local` on
    /// the home node, `foreign` on the other) instead of `all`: the set names must mirror.
    @Test(arguments: Side.allCases, [false, true]) func standbyFromBothSides(real: Side, named: Bool) throws {
        try MixedCluster.with("sb\(real)\(named ? "n" : "a")", real: real) { cluster in
            try cluster.startTogether()
            try cluster.requirePlaced(on: cluster.home, "start-up")
            func set(of node: String) -> String { named ? (node == cluster.home ? "local" : "foreign") : "all" }
            func oursStandby() throws {
                let result = try cluster.ours.control("standby", set(of: cluster.ours.name), "--wait", "30")
                try #require(result.status == 0, "heartbeat-lite standby: \(result.errorOutput)\n\(cluster.diagnostics())")
                #expect(
                    result.output.contains("owner \(cluster.real.name)"),
                    "the status standby prints names the new owner\n\(result.output)")
                try cluster.requirePlaced(on: cluster.real.name, "after heartbeat-lite standby")
            }
            func realStandby() throws {
                let asked = set(of: cluster.real.name)
                let result = try cluster.real.inside(["/usr/share/heartbeat/hb_standby", asked])
                try #require(result.status == 0, "hb_standby: \(result.output)\(result.errorOutput)\n\(cluster.diagnostics())")
                try cluster.requirePlaced(on: cluster.ours.name, "after hb_standby \(asked)")
                let marker = "Other node completed standby takeover of \(asked) resources."
                #expect(cluster.real.log.contains(marker), "the real node logs the set we took\n\(cluster.real.log.suffix(3000))")
            }
            if cluster.home == cluster.ours.name {
                try oursStandby()
                try cluster.requireStays(on: cluster.real.name, "after standby (no failback)", milliseconds: 2000)
                try realStandby()
            } else {
                try realStandby()
                try cluster.requireStays(on: cluster.ours.name, "after hb_standby (no failback)", milliseconds: 2000)
                try oursStandby()
            }
            try cluster.requireStays(on: cluster.home, "settled", milliseconds: 1000)
        }
    }

    /// Packets the real node missed (the link down for less than deadtime) are sent again when
    /// it asks (`NS_rexmit`), so it logs that none is missing any more and stops asking.
    @Test func lostPacketsAreSentAgainOnRequest() throws {
        try MixedCluster.with("rx", real: .node2) { cluster in
            try cluster.startTogether()
            try cluster.requirePlaced(on: cluster.home, "start-up")
            let mark = cluster.real.log.count
            try cluster.ours.namespace.ip("link", "set", "dev", "hb0", "down")
            MonotonicClock.sleep(milliseconds: 600)
            try cluster.ours.namespace.ip("link", "set", "dev", "hb0", "up")
            let start = MonotonicClock.milliseconds()
            while !cluster.real.log.dropFirst(mark).contains("No pkts missing from \(cluster.ours.name)!") {
                guard MonotonicClock.milliseconds() - start < 8000 else {
                    throw TestFailure("the real node still misses packets of \(cluster.ours.name)\n\(cluster.diagnostics())")
                }
                MonotonicClock.sleep(milliseconds: 50)
            }
            #expect(String(cluster.real.log.dropFirst(mark)).contains("lost packet(s) for [\(cluster.ours.name)]"))
            try cluster.requireStays(on: cluster.home, "after the short cut", milliseconds: 1000)
            // And the other way: what heartbeat-lite missed it asks for, and the real node sends it
            // again. (Whether the real node's packets of the cut are lost or queued until the link
            // is back depends on when its writer ran; only a gap heartbeat-lite saw is checked.)
            let deadline = MonotonicClock.milliseconds() + 5000
            while try cluster.ours.status().packets["missing"] != 0 {
                guard MonotonicClock.milliseconds() < deadline else {
                    throw TestFailure("heartbeat-lite still misses packets of \(cluster.real.name)\n\(cluster.diagnostics())")
                }
                MonotonicClock.sleep(milliseconds: 50)
            }
            if cluster.ours.log.contains("lost packet(s) for [\(cluster.real.name)]") {
                #expect(try cluster.ours.status().packets["recovered"] ?? 0 > 0, "the real node sent them again\n\(cluster.diagnostics())")
            }
            #expect(!cluster.ours.log.contains("Irretrievably lost"))
        }
    }

    /// Every authkeys method heartbeat 3.0.6 ships works both ways: md5 and crc (no secret) as
    /// well as the sha1 of the other scenarios; the group settles on its home node and fails over
    /// when the home node crashes.
    @Test(arguments: Side.allCases, ["md5", "crc"]) func everySignatureMethodWorksBothWays(real: Side, method: String) throws {
        try MixedCluster.with("k\(real)\(method.prefix(1))", real: real, keys: method == "crc" ? ("", "") : ("mixed-secret", "mixed-secret"), method: method) { cluster in
            try cluster.startTogether()
            try cluster.requirePlaced(on: cluster.home, "start-up with \(method)")
            #expect(try cluster.ours.status().packets["forged"] == 0, "\(cluster.diagnostics())")
            try cluster.crash(cluster.home)
            try cluster.requirePlaced(on: MixedCluster.other(cluster.home), "home node crashed (\(method))")
        }
    }

    /// A node with another key is not heard: heartbeat-lite counts the real node's packets as
    /// forged, the real node never sees heartbeat-lite's link up. Each is stopped before its
    /// initdead ends, so the address is never taken by both.
    @Test(arguments: Side.allCases, [true, false]) func wrongKeyIsRejected(real: Side, wrongOnReal: Bool) throws {
        let keys = wrongOnReal ? ("mixed-secret", "another-secret") : ("another-secret", "mixed-secret")
        try MixedCluster.with("w\(real)\(wrongOnReal ? "r" : "o")", real: real, keys: keys) { cluster in
            try cluster.startTogether()
            MonotonicClock.sleep(milliseconds: 1500)
            let status = try cluster.ours.status()
            #expect((status.packets["forged"] ?? 0) > 0, "heartbeat-lite drops the real node's packets\n\(cluster.diagnostics())")
            #expect(status.peer(cluster.real.name)?.status != "up" && status.peer(cluster.real.name)?.status != "active")
            #expect(!cluster.real.log.contains("Link \(cluster.ours.name):hb0 up"), "the real node drops ours\n\(cluster.real.log)")
            #expect(try cluster.holders().isEmpty)
        }
    }
}

/// Issue 10, item 4 next to a real heartbeat 3.0.6 (node2): a group whose start fails on one node
/// ends on the other. heartbeat-lite offers it at once (`ask_resources info=me`, the message
/// hb_standby sends); heartbeat gives it up and runs hb_standby 30 s later.
///
/// heartbeat 3.0.6 names the set it hands over from the failed resource (`StandbyGroupType "$j"`
/// matches it against whole haresources lines of its own groups), so it offers `foreign` for any
/// group of more than one resource: right for the peer's group it failed to take over (the case
/// here), wrong for its own group, which then stays down on it.
@Suite struct MixedFailedStartTests {
    static let haresources = "node1 \(MixedCluster.group) svc\n"

    /// svc keeping its state in `state`; its start fails with `fails`.
    static func script(state: String, fails: Bool) -> String {
        HeartbeatLiteTests.script(start: fails ? "echo 'svc: cannot start on this node' >&2; exit 1" : "touch \"$state\"", state: state)
    }

    /// heartbeat-lite (node1, the home) cannot start svc: it offers the group to the real node2,
    /// which takes it.
    @Test func aStartFailingOnHeartbeatLiteEndsOnTheRealNode() throws {
        try MixedCluster.with(
            "fso", real: .node2, prefix: "hkh", apache: false, haresources: Self.haresources,
            scripts: [
                "node1": ["svc": Self.script(state: "$HA_RSCTMP/svc.state", fails: true)],
                "node2": ["svc": Self.script(state: "/run/svc.state", fails: false)],
            ]
        ) { cluster in
            try cluster.startTogether()
            try cluster.requirePlaced(on: "node2", "svc failed on node1")
            try cluster.requireStays(on: "node2", "after the hand-over", milliseconds: 2000)
            #expect(FileSystem.exists("\(cluster.real.directory)/run/svc.state"), "the real node runs svc")
            let status = try cluster.ours.status()
            #expect(status.groups.first?.failure?.contains("svc") == true)
            #expect(status.groups.first?.blocked != nil)
            #expect(cluster.ours.log.contains("offering \(MixedCluster.group) to node2"), "\(cluster.diagnostics())")
        }
    }

    /// heartbeat-lite (node1) stands by; the real node2 cannot start svc, gives the group up and
    /// 30 s later stands by for it: heartbeat-lite takes it back.
    @Test func aTakeoverFailingOnTheRealNodeComesBackToHeartbeatLite() throws {
        try MixedCluster.with(
            "fsr", real: .node2, prefix: "hkh", apache: false, haresources: Self.haresources,
            scripts: [
                "node1": ["svc": Self.script(state: "$HA_RSCTMP/svc.state", fails: false)],
                "node2": ["svc": Self.script(state: "/run/svc.state", fails: true)],
            ]
        ) { cluster in
            try cluster.startTogether()
            try cluster.requirePlaced(on: "node1", "start-up")
            let standby = try cluster.ours.control("standby", "all", "--wait", "0")
            #expect(standby.status == 0, "\(standby.errorOutput)")
            try cluster.requirePlaced(on: "node1", "back after node2's failed takeover", timeoutMilliseconds: 60_000)
            #expect(cluster.real.log.contains("Giving up resources due to failure of svc"), "\(cluster.diagnostics())")
            #expect(FileSystem.exists("\(cluster.ours.directory)/rsctmp/svc.state"), "heartbeat-lite runs svc again")
        }
    }
}
