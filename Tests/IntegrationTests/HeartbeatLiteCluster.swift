#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HAKitSystem
import HAKitTestSupport
import Testing

/// The parts of `heartbeat-lite status --json` the tests read.
struct HeartbeatStatus: Decodable {
    struct Link: Decodable {
        var medium: String
        var kind: String?
        var up: Bool
    }
    struct Node: Decodable {
        var name: String
        var status: String
        var generation: UInt64
        var links: [Link]
    }
    struct Monitor: Decodable {
        var resource: String
        var lastResult: String?
        var failCount: Int
        var monitored: Bool

        enum CodingKeys: String, CodingKey {
            case resource, monitored
            case lastResult = "last_result"
            case failCount = "fail_count"
        }
    }
    struct Group: Decodable {
        var key: String
        var home: String
        var owner: String
        var failure: String?
        /// Why this node does not start the group again until cleanup.
        var blocked: String?
        var monitors: [Monitor]?

        /// The monitor of the resource written `token` in haresources.
        func monitor(_ token: String) -> Monitor? { monitors?.first { $0.resource == token } }
    }
    struct PingNode: Decodable {
        var name: String
        var status: String
    }
    struct Ipfail: Decodable {
        var reachable: Int
        var peerCount: Int?
        enum CodingKeys: String, CodingKey {
            case reachable
            case peerCount = "peer_count"
        }
    }
    var node: String
    var status: String
    var generation: UInt64
    var resources: String
    var inTransition: Bool
    var nodes: [Node]
    var groups: [Group]
    var packets: [String: Int]
    var pingNodes: [PingNode]?
    var ipfail: Ipfail?
    var lastHandover: String?
    var pingPackets: [String: Int]?

    enum CodingKeys: String, CodingKey {
        case node, status, generation, resources, nodes, groups, packets, ipfail
        case inTransition = "in_transition"
        case pingNodes = "ping_nodes"
        case lastHandover = "last_handover"
        case pingPackets = "ping_packets"
    }

    /// The owner of a group as this daemon sees it: a node name or `none`.
    func owner(of key: String) -> String? { groups.first { $0.key == key }?.owner }

    /// What this daemon knows of a peer.
    func peer(_ name: String) -> Node? { nodes.first { $0.name == name } }

    /// Whether this daemon's resources are settled: start-up done, nothing under way.
    var settled: Bool { resources == "stable" && !inTransition }
}

/// One heartbeat-lite daemon of a test cluster: its namespace, its own configuration, state, run
/// and resource directories under `directory`, and the process once started.
final class HeartbeatNode {
    let name: String
    let namespace: TestNamespace
    let directory: String
    let ocfRoot: String
    private(set) var process: ChildProcess?
    /// More `run` options, after the usual ones.
    var extraRunArguments: [String] = []

    init(name: String, namespace: TestNamespace, directory: String, ocfRoot: String) {
        self.name = name
        self.namespace = namespace
        self.directory = directory
        self.ocfRoot = ocfRoot
    }

    var configDirectory: String { "\(directory)/ha.d" }
    var resourceDirectory: String { "\(directory)/resource.d" }
    var runDirectory: String { "\(directory)/run" }
    var logfile: String { "\(directory)/ha.log" }
    var debugfile: String { "\(directory)/ha-debug.log" }

    /// Writes ha.cf, haresources and authkeys (0600) into the configuration directory.
    func configure(haCf: String, haresources: String, authkeys: String) throws {
        try FileSystem.writeAtomically("\(configDirectory)/ha.cf", contents: haCf)
        try FileSystem.writeAtomically("\(configDirectory)/haresources", contents: haresources)
        try FileSystem.writeAtomically("\(configDirectory)/authkeys", contents: authkeys, mode: 0o600)
    }

    /// The `run` arguments, after the binary.
    var runArguments: [String] {
        [
            "run", "--config-dir", configDirectory, "--node", name, "--state-dir", "\(directory)/state",
            "--run-dir", runDirectory, "--ocf-root", ocfRoot, "--resource-dir", resourceDirectory,
            "--init-dir", "\(directory)/init.d", "--resource-timeout", "20",
        ] + extraRunArguments
    }

    /// Starts the daemon inside the node's namespace (standard output and error appended to files
    /// in `directory`) and waits until its control socket answers.
    /// `wrapper` is a command that execs the daemon (such as `prlimit --rtprio=0 --`), so that
    /// the process stays the daemon's.
    func start(wrapper: [String] = []) throws {
        try launch(wrapper: wrapper)
        try waitUntilAnswering()
    }

    /// Starts the daemon without waiting for it.
    func launch(wrapper: [String] = []) throws {
        precondition(process == nil || process?.reap() != nil, "\(name) is already running")
        let command = "exec ip netns exec \"$0\" \"$@\" >>'\(directory)/stdout' 2>>'\(directory)/stderr'"
        process = try ChildProcess.spawn(
            path: "/bin/sh",
            arguments: ["sh", "-c", command, namespace.name] + wrapper + [TestSupport.binary("heartbeat-lite")] + runArguments,
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HA_RSCTMP": "\(directory)/rsctmp"],
            captureOutput: false)
    }

    /// Waits (at most 10 s) until the daemon answers on its control socket.
    func waitUntilAnswering() throws {
        guard let process else { throw TestFailure("\(name) was not started") }
        let deadline = MonotonicClock.milliseconds() + 10_000
        while MonotonicClock.milliseconds() < deadline {
            if let termination = process.reap() {
                throw TestFailure("heartbeat-lite on \(name) exited at start-up (\(termination)): \(stderr)")
            }
            if (try? status()) != nil { return }
            MonotonicClock.sleep(milliseconds: 20)
        }
        throw TestFailure("heartbeat-lite on \(name) does not answer on its control socket: \(stderr)")
    }

    /// Sends a signal to the daemon, by its pid.
    func signal(_ number: Int32) {
        guard let process, process.reap() == nil else { return }
        kill(process.pid, number)
    }

    /// Waits for the daemon to exit; returns how it ended, or nil after the timeout.
    @discardableResult
    func waitForExit(timeoutMilliseconds: Int) -> Termination? {
        guard let process else { return nil }
        _ = process.waitForExit(timeoutMilliseconds: timeoutMilliseconds)
        return process.reap()
    }

    /// Kills the daemon hard (SIGKILL) if it still runs, and reaps it.
    func killHard() {
        guard let process, process.reap() == nil else { return }
        kill(process.pid, SIGKILL)
        process.reap(blocking: true)
    }

    /// The daemon's pid (the shell execs `ip netns exec`, which execs the daemon), while it runs.
    var pid: Int32? { isRunning ? process?.pid : nil }

    /// Whether the daemon process runs.
    var isRunning: Bool { process.map { $0.reap() == nil } ?? false }

    /// Runs `heartbeat-lite ARGUMENTS --run-dir RUN` against this daemon.
    @discardableResult
    func control(_ arguments: String...) throws -> TestSupport.CommandResult {
        try TestSupport.run(
            [TestSupport.binary("heartbeat-lite")] + arguments + ["--run-dir", runDirectory],
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"], timeoutMilliseconds: 60_000)
    }

    /// `heartbeat-lite status --json`, decoded.
    func status() throws -> HeartbeatStatus {
        let result = try control("status", "--json")
        guard result.status == 0 else { throw TestFailure("status on \(name) exited \(result.status): \(result.errorOutput)") }
        return try JSONDecoder().decode(HeartbeatStatus.self, from: Data(result.output.utf8))
    }

    /// The daemon's logfile so far.
    var log: String { ((try? FileSystem.read(logfile)) ?? nil) ?? "" }

    /// What the daemon wrote on standard error.
    var stderr: String { ((try? FileSystem.read("\(directory)/stderr")) ?? nil) ?? "" }

    /// Captures the first UDP datagram matching the tcpdump `filter` that arrives on `interface` in
    /// the node's namespace (`tcpdump -w`, read back here) and returns its payload.
    func capturePayload(interface: String, filter: String) throws -> [UInt8] {
        let file = "\(directory)/capture-\(MonotonicClock.milliseconds()).pcap"
        let result = try namespace.exec(
            ["timeout", "10", "tcpdump", "--immediate-mode", "-i", interface, "-nn", "-U", "-c", "1", "-w", file, filter],
            timeoutMilliseconds: 15_000)
        guard result.status == 0 else { throw TestFailure("tcpdump on \(name):\(interface): \(result.errorOutput)") }
        return try Self.udpPayload(ofFirstPacketIn: [UInt8](Data(contentsOf: URL(fileURLWithPath: file))))
    }

    /// The UDP payload of the first frame of a little-endian pcap file of Ethernet frames.
    static func udpPayload(ofFirstPacketIn pcap: [UInt8]) throws -> [UInt8] {
        func word(_ offset: Int) -> Int {
            Int(pcap[offset]) | Int(pcap[offset + 1]) << 8 | Int(pcap[offset + 2]) << 16 | Int(pcap[offset + 3]) << 24
        }
        guard pcap.count > 24 + 16 + 14 + 20 + 8, [0xa1b2_c3d4, 0xa1b2_3c4d].contains(word(0)), word(20) == 1 else {
            throw TestFailure("not a pcap file of Ethernet frames (\(pcap.count) bytes)")
        }
        let frame = Array(pcap[(24 + 16)..<min(pcap.count, 24 + 16 + word(24 + 8))])
        let ip = 14
        guard frame.count > ip + 20, frame[12] == 0x08, frame[13] == 0x00, frame[ip + 9] == 17 else {
            throw TestFailure("the captured frame is not IPv4/UDP")
        }
        let headerLength = Int(frame[ip] & 0x0f) * 4
        let totalLength = Int(frame[ip + 2]) << 8 | Int(frame[ip + 3])
        return Array(frame[(ip + headerLength + 8)..<min(frame.count, ip + totalLength)])
    }

    /// Sends one UDP datagram holding `bytes` from inside the node's namespace to `address`:`port`
    /// (bash's /dev/udp: one write, one datagram).
    func sendDatagram(_ bytes: [UInt8], to address: String, port: Int = 694) throws {
        let file = "\(directory)/datagram-\(MonotonicClock.milliseconds())"
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let result = try namespace.exec(["bash", "-c", "cat \"$0\" > /dev/udp/\(address)/\(port)", file])
        guard result.status == 0 else { throw TestFailure("sending a datagram from \(name): \(result.errorOutput)") }
    }

    /// Whether the address is configured on any interface of the node's namespace.
    func hasAddress(_ address: String) throws -> Bool {
        guard address.contains(":") else { return try namespace.hasAddress(address) }
        return try namespace.ip("-o", "-6", "addr", "show").split(separator: "\n").contains { $0.contains(" inet6 \(address)/") }
    }
}

/// A failed step of a cluster test, with what the test knows.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Two heartbeat-lite daemons, node1 and node2, each in a namespace of its own, joined by one or
/// two veth pairs: `hb0` (192.0.2.1/24 – 192.0.2.2/24) and `hb1` (198.51.100.1/24 – .2/24), with
/// `ucast` heartbeats on each. Resource groups use addresses from 203.0.113.0/24 on `hb0`, or on
/// `svc0` (203.0.113.1/24 – .2/24, no heartbeats) with `serviceLink`.
struct HeartbeatCluster {
    let node1: HeartbeatNode
    let node2: HeartbeatNode
    /// With `router`: the clients' switch and router, a namespace whose bridge `br0` joins both
    /// nodes' `svc0` and holds `routerAddress`, the ping node.
    var router: TestNamespace? = nil
    var nodes: [HeartbeatNode] { [node1, node2] }

    /// The router's address on the service network (the ping node of the tests that have one).
    static let routerAddress = "203.0.113.254"

    /// The heartbeat address of node `index` (1 or 2) on medium `medium` (0 or 1).
    static func address(node index: Int, medium: Int) -> String {
        medium == 0 ? "192.0.2.\(index)" : "198.51.100.\(index)"
    }

    /// A silent partition of heartbeat medium `medium` (`lost: false` heals it): each node's
    /// heartbeats to the other are lost on the wire while both links stay up, as when the switch
    /// between them fails; neither node can tell it from the other's death.
    func partition(medium: Int = 0, lost: Bool = true) throws {
        try node1.namespace.loseTraffic(to: Self.address(node: 2, medium: medium), on: "hb\(medium)", lost: lost)
        try node2.namespace.loseTraffic(to: Self.address(node: 1, medium: medium), on: "hb\(medium)", lost: lost)
    }

    /// ha.cf for one node: logging to its own files, `timing` lines, one `ucast` per medium to the
    /// peer, `auto_failback`, `extra` lines, then the node line.
    static func haCf(
        for node: HeartbeatNode, peerIndex: Int, media: Int, timing: String, autoFailback: String, extra: String,
        serial: [String] = [], baud: Int? = nil
    ) -> String {
        var lines = [
            "# written by HeartbeatLiteTests", "logfacility none", "logfile \(node.logfile)",
            "debugfile \(node.debugfile)", timing, "udpport 694",
        ]
        if let baud { lines.append("baud \(baud)") }
        for device in serial { lines.append("serial \(device)") }
        for medium in 0..<media { lines.append("ucast hb\(medium) \(address(node: peerIndex, medium: medium))") }
        lines += ["auto_failback \(autoFailback)", extra, "node node1 node2", ""]
        return lines.joined(separator: "\n")
    }

    /// Creates the namespaces, links, directories and configuration, runs `body` (which starts the
    /// daemons it wants), then kills whatever daemon is left, by pid, and removes everything.
    ///
    /// - Parameters:
    ///   - timing: ha.cf timing lines.
    ///   - haresources: shared by both nodes.
    ///   - keys: the sha1 secret of node1 and of node2.
    ///   - scripts: resource.d scripts per node name, name → text.
    ///   - serviceLink: `svc0` joins the nodes directly.
    ///   - router: `svc0` of each node goes to a bridge in a third namespace, the router, which
    ///     holds `routerAddress` (so unplugging one node's `svc0` is a carrier loss on that node only).
    static func with(
        _ tag: String, media: Int = 1,
        timing: String = "keepalive 100ms\ndeadtime 1\nwarntime 700ms\ninitdead 5",
        autoFailback: String = "on", extra: String = "",
        haresources: String = "node1 203.0.113.10/24/hb0\n",
        keys: (String, String) = ("test-secret", "test-secret"),
        scripts: [String: [String: String]] = [:],
        serviceLink: Bool = false, router: Bool = false, prefix: String = "hakit-hb",
        serial: [(String, String)] = [], baud: Int? = nil,
        _ body: (HeartbeatCluster) throws -> Void
    ) throws {
        let root = try TestSupport.temporaryDirectory("hb-\(tag)")
        defer { TestSupport.removeTree(root) }
        let ocfRoot = "\(root)/ocf"
        try FileSystem.makeDirectories("\(ocfRoot)/resource.d/hakit")
        for agent in try TestSupport.run([TestSupport.binary("hakit-agent"), "--list"]).output.split(separator: "\n") {
            try TestSupport.run(["ln", "-s", TestSupport.binary("hakit-agent"), "\(ocfRoot)/resource.d/hakit/\(agent)"])
        }
        try TestNamespace.with(prefix: prefix, "\(tag)1") { namespace1 in
            try TestNamespace.with(prefix: prefix, "\(tag)2") { namespace2 in
                try withRouter(router, prefix: prefix, tag) { routerNamespace in
                    // Two groups' addresses share a subnet on one interface: the first added is the
                    // primary. The kernel's default (promote_secondaries 0, which Debian's systemd
                    // changes but a namespace may not have) would delete the other with it; the IP
                    // agents turn it on for the interface before removing a primary, which this
                    // cluster exercises by leaving the default in place.
                    for namespace in [namespace1, namespace2] {
                        let sysctl = try namespace.exec(
                            ["sh", "-c", "echo 0 > /proc/sys/net/ipv4/conf/all/promote_secondaries; echo 0 > /proc/sys/net/ipv4/conf/default/promote_secondaries"])
                        guard sysctl.status == 0 else { throw TestFailure("sysctl in \(namespace.name): \(sysctl.errorOutput)") }
                    }
                    for medium in 0..<media {
                        try namespace1.ip(
                            "link", "add", "hb\(medium)", "type", "veth", "peer", "name", "hb\(medium)", "netns", namespace2.name)
                        for (index, namespace) in [(1, namespace1), (2, namespace2)] {
                            try namespace.ip("addr", "add", "\(address(node: index, medium: medium))/24", "dev", "hb\(medium)")
                            try namespace.ip("link", "set", "dev", "hb\(medium)", "up")
                        }
                    }
                    if let routerNamespace {
                        try routerNamespace.ip("link", "add", "br0", "type", "bridge")
                        try routerNamespace.ip("addr", "add", "\(routerAddress)/24", "dev", "br0")
                        try routerNamespace.ip("link", "set", "dev", "br0", "up")
                        for (index, namespace) in [(1, namespace1), (2, namespace2)] {
                            try routerNamespace.ip("link", "add", "sw\(index)", "type", "veth", "peer", "name", "svc0", "netns", namespace.name)
                            try routerNamespace.ip("link", "set", "dev", "sw\(index)", "master", "br0")
                            try routerNamespace.ip("link", "set", "dev", "sw\(index)", "up")
                            try namespace.ip("addr", "add", "203.0.113.\(index)/24", "dev", "svc0")
                            try namespace.ip("link", "set", "dev", "svc0", "up")
                        }
                    } else if serviceLink {
                        // The clients' network, no heartbeat medium: cutting the heartbeat links leaves
                        // both nodes reachable here, so a split brain really puts an address on both.
                        try namespace1.ip("link", "add", "svc0", "type", "veth", "peer", "name", "svc0", "netns", namespace2.name)
                        for (index, namespace) in [(1, namespace1), (2, namespace2)] {
                            try namespace.ip("addr", "add", "203.0.113.\(index)/24", "dev", "svc0")
                            try namespace.ip("link", "set", "dev", "svc0", "up")
                        }
                    }
                    let cluster = HeartbeatCluster(
                        node1: HeartbeatNode(name: "node1", namespace: namespace1, directory: "\(root)/node1", ocfRoot: ocfRoot),
                        node2: HeartbeatNode(name: "node2", namespace: namespace2, directory: "\(root)/node2", ocfRoot: ocfRoot),
                        router: routerNamespace)
                    defer { for node in cluster.nodes { node.killHard() } }
                    for (index, node) in cluster.nodes.enumerated() {
                        for sub in ["ha.d", "resource.d", "init.d", "state", "run", "rsctmp"] {
                            try FileSystem.makeDirectories("\(node.directory)/\(sub)")
                        }
                        for (name, text) in scripts[node.name] ?? [:] {
                            try TestSupport.writeScript("\(node.resourceDirectory)/\(name)", text)
                        }
                        try node.configure(
                            haCf: haCf(
                                for: node, peerIndex: 2 - index, media: media, timing: timing, autoFailback: autoFailback,
                                extra: extra, serial: serial.map { index == 0 ? $0.0 : $0.1 }, baud: baud),
                            haresources: haresources, authkeys: "auth 1\n1 sha1 \(index == 0 ? keys.0 : keys.1)\n")
                    }
                    try body(cluster)
                }
            }
        }
    }

    /// Runs `body` with a router namespace when `needed`, else with nil.
    private static func withRouter(_ needed: Bool, prefix: String, _ tag: String, _ body: (TestNamespace?) throws -> Void) throws {
        if needed {
            try TestNamespace.with(prefix: prefix, "\(tag)r") { try body($0) }
        } else {
            try body(nil)
        }
    }

    /// Starts both daemons at once and waits until both answer.
    func start() throws {
        for node in nodes { try node.launch() }
        for node in nodes { try node.waitUntilAnswering() }
    }

    /// Polls `condition` every 20 ms until it holds or `timeoutMilliseconds` pass; returns the
    /// milliseconds it took, or nil. Errors inside the condition count as "not yet".
    func waitUntil(timeoutMilliseconds: Int = 15_000, _ condition: () throws -> Bool) -> Int64? {
        let start = MonotonicClock.milliseconds()
        while true {
            if (try? condition()) == true { return MonotonicClock.milliseconds() - start }
            if MonotonicClock.milliseconds() - start > Int64(timeoutMilliseconds) { return nil }
            MonotonicClock.sleep(milliseconds: 20)
        }
    }

    /// The nodes whose namespace has the address.
    func holders(of address: String) throws -> [String] {
        try nodes.filter { try $0.hasAddress(address) }.map(\.name)
    }

    /// Whether the address is on exactly `owner`, every running daemon reports `owner` as the
    /// owner of `group`, and every running daemon is settled.
    func placed(_ group: String, address: String, on owner: String) throws -> Bool {
        guard try holders(of: address) == [owner] else { return false }
        for node in nodes where node.isRunning {
            let status = try node.status()
            guard status.settled, status.owner(of: group) == owner else { return false }
        }
        return true
    }

    /// Everything the daemons said, for a failure message.
    func diagnostics() -> String {
        nodes.map { node in
            let status = (try? node.control("status").output) ?? "(no answer)"
            let addresses = ((try? node.namespace.addressLines()) ?? []).joined(separator: "\n")
            return "=== \(node.name) (\(node.isRunning ? "running" : "not running: \(node.waitForExit(timeoutMilliseconds: 0).map { "\($0)" } ?? "?")"))\n\(status)\n\(addresses)\n"
                + "--- log\n\(node.log.suffix(6000))\n--- stderr\n\(node.stderr.suffix(2000))"
        }.joined(separator: "\n")
    }
}
