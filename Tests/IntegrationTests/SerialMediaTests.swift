#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HAKitSystem
import HAKitTestSupport
import Testing

/// A null-modem cable for tests: `socat` joining two ptys, reachable at `first` and `second`
/// (symlinks to the pty devices). Started and stopped by pid.
final class PtyPair {
    let first: String
    let second: String
    private var process: ChildProcess?

    init(directory: String, name: String) {
        first = "\(directory)/\(name)-a"
        second = "\(directory)/\(name)-b"
    }

    /// Starts socat and waits (at most 5 s) until both ends exist.
    func start() throws {
        precondition(process == nil, "already started")
        process = try ChildProcess.spawn(
            path: "/usr/bin/socat",
            arguments: ["socat", "-d", "-d", "pty,raw,echo=0,link=\(first)", "pty,raw,echo=0,link=\(second)"],
            environment: ["PATH": "/usr/bin:/bin"], captureOutput: false)
        let deadline = MonotonicClock.milliseconds() + 5000
        while MonotonicClock.milliseconds() < deadline {
            if access(first, F_OK) == 0 && access(second, F_OK) == 0 { return }
            if let ended = process?.reap() { throw TestFailure("socat exited at start-up: \(ended)") }
            MonotonicClock.sleep(milliseconds: 20)
        }
        throw TestFailure("socat did not create \(first) and \(second)")
    }

    /// Stops socat (SIGTERM, then SIGKILL) and reaps it: both ends of the cable go away.
    func stop() {
        guard let process else { return }
        self.process = nil
        guard process.reap() == nil else { return }
        kill(process.pid, SIGTERM)
        if process.waitForExit(timeoutMilliseconds: 2000) == nil {
            kill(process.pid, SIGKILL)
        }
        process.reap(blocking: true)
    }

    deinit { stop() }
}

/// Serial heartbeat media (issue 15): heartbeat-lite nodes over a pty pair.
@Suite(.serialized) struct SerialMediaTests {
    static let group = "203.0.113.10/24/svc0"
    static let vip = "203.0.113.10"

    /// A cluster with a serial cable (and `media` UDP links); the cable is stopped by pid at the end.
    func withSerialCluster(
        _ tag: String, media: Int = 0, baud: Int? = 115200, extraSerial: Bool = false,
        _ body: (HeartbeatCluster, PtyPair) throws -> Void
    ) throws {
        try withCable(tag) { cable in
            try HeartbeatCluster.with(
            tag, media: media, haresources: "node1 \(Self.group)\n", serviceLink: true, prefix: "hk-sr",
            serial: [(cable.first, cable.second)], baud: baud
            ) { cluster in
                try body(cluster, cable)
            }
        }
    }

    /// A started cable in a directory of its own, stopped (by pid) and removed after `body`.
    func withCable(_ tag: String, _ body: (PtyPair) throws -> Void) throws {
        let directory = try TestSupport.temporaryDirectory("sr-\(tag)")
        defer { TestSupport.removeTree(directory) }
        let cable = PtyPair(directory: directory, name: "tty")
        try cable.start()
        defer { cable.stop() }
        try body(cable)
    }

    func requirePlaced(
        _ cluster: HeartbeatCluster, _ step: String, on owner: String, timeoutMilliseconds: Int = 20_000,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let waited = cluster.waitUntil(timeoutMilliseconds: timeoutMilliseconds) {
            try cluster.placed(Self.group, address: Self.vip, on: owner)
        }
        try #require(
            waited != nil, "\(step): \(Self.vip) expected on \(owner) only\n\(cluster.diagnostics())",
            sourceLocation: sourceLocation)
    }

    /// CPU time (user + system, in clock ticks) the process has used.
    static func cpuTicks(pid: Int32) throws -> Int {
        guard let text = try FileSystem.read("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else {
            throw TestFailure("no /proc/\(pid)/stat")
        }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14 and stime 15 (1-based over the whole line).
        guard fields.count > 13, let user = Int(fields[11]), let system = Int(fields[12]) else {
            throw TestFailure("unexpected /proc/\(pid)/stat")
        }
        return user + system
    }

    @Test func twoNodesOverOnlyAPtyPairFormAClusterAndFailOver() throws {
        try withSerialCluster("only") { cluster, cable in
            try cluster.start()
            try requirePlaced(cluster, "start-up over the serial cable", on: "node1")
            for (node, peer, device) in [(cluster.node1, "node2", cable.first), (cluster.node2, "node1", cable.second)] {
                let status = try node.status()
                let links = status.peer(peer)?.links ?? []
                #expect(links.map(\.medium) == [device])
                #expect(links.map(\.kind) == ["serial"])
                #expect(links.map(\.up) == [true], "\(node.name): \(links)")
                #expect(node.log.contains("Starting serial heartbeat on tty \(device) (115200 baud)"))
                #expect(status.packets["malformed"] == 0 && status.packets["forged"] == 0, "\(status.packets)")
                let text = try node.control("status").output
                #expect(text.contains("link \(peer):\(device) (serial) up"), "\(text)")
            }
            // Garbage on the line (written, as root past TIOCEXCL, into node1's end, so node2 reads
            // it): skipped line by line; a framed message that is not one is counted as malformed.
            let before = try cluster.node2.status().packets
            let noise = Array("line noise\n\u{1}\u{2}\u{3}\n>>>\nno equals sign here\n<<<\n".utf8)
            let fd = open(cable.first, O_WRONLY | O_NOCTTY | O_NONBLOCK)
            try #require(fd >= 0, "opening \(cable.first): errno \(errno)")
            #expect(noise.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == noise.count)
            close(fd)
            let counted = cluster.waitUntil(timeoutMilliseconds: 3000) {
                let packets = try cluster.node2.status().packets
                return packets["serial_skipped_lines"] ?? 0 >= (before["serial_skipped_lines"] ?? 0) + 2
                    && packets["malformed"] ?? 0 > before["malformed"] ?? 0
            }
            #expect(counted != nil, "\((try? cluster.node2.status().packets) ?? [:])")
            try requirePlaced(cluster, "after garbage on the line", on: "node1", timeoutMilliseconds: 0)

            // A hard kill leaves node1's copy of the address (its machine would be down); node2 takes over.
            cluster.node1.killHard()
            let takeover = cluster.waitUntil(timeoutMilliseconds: 10_000) {
                let status = try cluster.node2.status()
                return try status.settled && status.owner(of: Self.group) == "node2" && cluster.node2.hasAddress(Self.vip)
            }
            let takeoverMs = try #require(takeover, "node2 never took \(Self.vip) over\n\(cluster.diagnostics())")
            print("heartbeat-lite over a pty pair: kill -9 of node1 to \(Self.vip) on node2: \(takeoverMs) ms (deadtime 1000 ms)")
            #expect(try cluster.node2.status().peer("node1")?.links.map(\.up) == [false])
        }
    }

    /// After 2.5 s (more than the dead time) with one medium cut: both nodes active, the links as
    /// given (serial, udp), no takeover, the address still on node1 only.
    func expectNoFailover(
        _ cluster: HeartbeatCluster, _ step: String, links: [Bool], sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        MonotonicClock.sleep(milliseconds: 2500)
        for (node, peer) in [(cluster.node1, "node2"), (cluster.node2, "node1")] {
            let status = try node.status()
            #expect(status.peer(peer)?.status == "active", "\(step): \(node.name): \(cluster.diagnostics())", sourceLocation: sourceLocation)
            #expect(status.peer(peer)?.links.map(\.up) == links, "\(step): \(node.name)", sourceLocation: sourceLocation)
            #expect(!node.log.contains("mach_down"), "\(step): \(node.name)", sourceLocation: sourceLocation)
        }
        try requirePlaced(cluster, step, on: "node1", timeoutMilliseconds: 0, sourceLocation: sourceLocation)
    }

    @Test func serialAndUDPTogetherSurviveEitherMediumCut() throws {
        try withSerialCluster("both", media: 1) { cluster, cable in
            try cluster.start()
            try requirePlaced(cluster, "start-up", on: "node1")
            let both = cluster.waitUntil(timeoutMilliseconds: 5000) {
                try cluster.node1.status().peer("node2")?.links.map(\.up) == [true, true]
            }
            try #require(both != nil, "\(cluster.diagnostics())")
            #expect(try cluster.node1.status().peer("node2")?.links.map(\.kind) == ["serial", "udp"])

            // UDP cut: serial alone carries the cluster.
            try cluster.node1.namespace.ip("link", "set", "dev", "hb0", "down")
            try expectNoFailover(cluster, "UDP cut", links: [true, false])
            try cluster.node1.namespace.ip("link", "set", "dev", "hb0", "up")
            let back = cluster.waitUntil(timeoutMilliseconds: 5000) {
                try cluster.node1.status().peer("node2")?.links.map(\.up) == [true, true]
            }
            #expect(back != nil)

            // Serial cut (the cable goes away): UDP carries it; the ttys are reopened when it returns.
            cable.stop()
            try expectNoFailover(cluster, "serial cut", links: [false, true])
            try cable.start()
            let reopened = cluster.waitUntil(timeoutMilliseconds: 10_000) {
                try cluster.nodes.allSatisfy { node in
                    try node.status().peer(node.name == "node1" ? "node2" : "node1")?.links.map(\.up) == [true, true]
                }
            }
            #expect(reopened != nil, "\(cluster.diagnostics())")
            #expect(cluster.node1.log.contains("reopened"), "\(cluster.node1.log.suffix(3000))")
        }
    }

    @Test func aPtyWhoseOtherEndClosesIsADeadLinkWithoutABusyLoop() throws {
        try withSerialCluster("hup") { cluster, cable in
            try cluster.start()
            try requirePlaced(cluster, "start-up", on: "node1")
            cluster.node2.killHard()
            cable.stop()
            MonotonicClock.sleep(milliseconds: 1000)
            let pid = try #require(cluster.node1.pid)
            let before = try Self.cpuTicks(pid: pid)
            MonotonicClock.sleep(milliseconds: 4000)
            let used = try Self.cpuTicks(pid: pid) - before
            let hertz = Int(sysconf(Int32(_SC_CLK_TCK)))
            print("heartbeat-lite: CPU over 4 s with its tty gone: \(used) ticks (\(hertz)/s)")
            #expect(used * 10 < hertz * 4, "under 10% of a core: \(used) ticks in 4 s")
            #expect(cluster.node1.isRunning)
            let status = try cluster.node1.status()
            #expect(status.peer("node2")?.links.map(\.up) == [false])
            #expect(cluster.node1.log.contains("serial \(cable.first): "), "\(cluster.node1.log.suffix(3000))")
        }
    }

    @Test func seed004HaCfRunsOverAPty() throws {
        try withCable("seed") { cable in try seed004(over: cable) }
    }

    func seed004(over cable: PtyPair) throws {
        try HeartbeatCluster.with(
            "seed", haresources: "node1 \(Self.group)\n", serviceLink: true, prefix: "hk-sr"
        ) { cluster in
            for (node, device) in [(cluster.node1, cable.first), (cluster.node2, cable.second)] {
                // Seed 004 as shipped, with the device and the node names adapted, and a log file
                // (the seed logs through logd).
                let haCf = SeedFiles.clearOSHaCf
                    .replacing("/dev/ttyS0", with: device)
                    .replacing("firewall1.domain.lan", with: "node1")
                    .replacing("firewall2.domain.lan", with: "node2")
                    + "\nlogfile \(node.logfile)\n"
                try node.configure(
                    haCf: haCf, haresources: "node1 \(Self.group)\n", authkeys: "auth 1\n1 sha1 seed-secret\n")
                let check = try TestSupport.run(
                    [TestSupport.binary("heartbeat-lite"), "check", "--config-dir", node.configDirectory, "--node", node.name])
                #expect(check.status == 0, "\(check.output)\(check.errorOutput)")
            }
            try cluster.start()
            try requirePlaced(cluster, "seed 004 start-up (initdead 15 s)", on: "node1", timeoutMilliseconds: 40_000)
            #expect(try cluster.node1.status().peer("node2")?.links.map(\.kind) == ["serial"])
        }
    }

    /// A heartbeat-lite node and a real heartbeat 3.0.6 node with a pty pair as their only medium:
    /// they form a cluster, and the survivor takes over when the home node crashes.
    @Test(arguments: MixedCluster.RealSide.allCases) func withARealHeartbeatNodeOverAPtyPair(real: MixedCluster.RealSide) throws {
        try withCable("mx\(real)") { cable in
            try MixedCluster.with("m\(real)", real: real, prefix: "hk-sr", serial: (cable.first, cable.second)) { cluster in
                try cluster.startTogether()
                try cluster.requirePlaced(on: cluster.home, "started together over the serial cable")
                let links = try cluster.ours.status().peer(cluster.real.name)?.links ?? []
                #expect(links.map(\.kind) == ["serial"] && links.map(\.up) == [true], "\(links)")
                #expect(cluster.real.log.contains("Starting serial heartbeat on tty \(cable.second)"), "\(cluster.diagnostics())")
                #expect(cluster.real.log.contains("Link \(cluster.ours.name):\(cable.second) up"), "\(cluster.diagnostics())")
                let packets = try cluster.ours.status().packets
                #expect(packets["malformed"] == 0 && packets["forged"] == 0, "\(packets)")
                try cluster.crash(cluster.home)
                try cluster.requirePlaced(on: MixedCluster.other(cluster.home), "home node crashed")
            }
        }
    }
}
