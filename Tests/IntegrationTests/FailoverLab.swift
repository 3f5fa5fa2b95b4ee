#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HAKitSystem
import HAKitTestSupport
import Testing

/// The `make demo` topology for tests: four namespaces of the test's own — a switch (bridge br0)
/// with a veth to node1, node2 and the client (eth0 in each), and a veth pair hb0 between the
/// nodes for heartbeats — two heartbeat-lite daemons whose one group is the floating address plus
/// a real apache2 serving a page that names its node, and hakit-probe as the client.
/// Documentation addresses only: LAN 203.0.113.0/24, heartbeat link 192.0.2.0/24.
final class FailoverLab {
    static let vip = "203.0.113.10"
    static let lanAddress = ["node1": "203.0.113.1", "node2": "203.0.113.2", "client": "203.0.113.100"]
    static let heartbeatAddress = ["node1": "192.0.2.1", "node2": "192.0.2.2"]

    let switchBox: TestNamespace
    let nodes: [String: TestNamespace]
    let client: TestNamespace
    let directory: String
    private var daemons: [String: ChildProcess] = [:]

    private init(switchBox: TestNamespace, node1: TestNamespace, node2: TestNamespace, client: TestNamespace, directory: String) {
        self.switchBox = switchBox
        self.nodes = ["node1": node1, "node2": node2]
        self.client = client
        self.directory = directory
    }

    /// Builds the lab, runs `body`, then kills every process inside the lab's namespaces (all
    /// started by the test), deletes the namespaces and the lab's directory.
    static func with(
        _ tag: String, keepalive: String = "100ms", deadtime: String = "500ms", prefix: String = "hakit-fo",
        _ body: (FailoverLab) throws -> Void
    ) throws {
        try TestNamespace.with(prefix: prefix, "\(tag)-sw") { switchBox in
            try TestNamespace.with(prefix: prefix, "\(tag)-n1") { node1 in
                try TestNamespace.with(prefix: prefix, "\(tag)-n2") { node2 in
                    try TestNamespace.with(prefix: prefix, "\(tag)-cl") { client in
                        let directory = try TestSupport.temporaryDirectory("failover-\(tag)", mode: 0o755)
                        let lab = FailoverLab(switchBox: switchBox, node1: node1, node2: node2, client: client, directory: directory)
                        defer {
                            lab.killEverything()
                            TestSupport.removeTree(directory)
                        }
                        try lab.wire()
                        try lab.configure(keepalive: keepalive, deadtime: deadtime)
                        try body(lab)
                    }
                }
            }
        }
    }

    // MARK: Set-up

    private func wire() throws {
        try switchBox.ip("link", "add", "br0", "type", "bridge")
        try switchBox.ip("link", "set", "br0", "up")
        for (name, namespace) in [("node1", nodes["node1"]!), ("node2", nodes["node2"]!), ("client", client)] {
            try switchBox.ip("link", "add", "p-\(name)", "type", "veth", "peer", "name", "eth0", "netns", namespace.name)
            try switchBox.ip("link", "set", "p-\(name)", "master", "br0", "up")
            try namespace.ip("addr", "add", "\(Self.lanAddress[name]!)/24", "dev", "eth0")
            try namespace.ip("link", "set", "eth0", "up")
        }
        try nodes["node1"]!.ip("link", "add", "hb0", "type", "veth", "peer", "name", "hb0", "netns", nodes["node2"]!.name)
        for name in ["node1", "node2"] {
            try nodes[name]!.ip("addr", "add", "\(Self.heartbeatAddress[name]!)/24", "dev", "hb0")
            try nodes[name]!.ip("link", "set", "hb0", "up")
        }
    }

    private func configure(keepalive: String, deadtime: String) throws {
        let ocf = "\(directory)/ocf/resource.d/hakit"
        try FileSystem.makeDirectories(ocf)
        let agents = try TestSupport.run([TestSupport.binary("hakit-agent"), "--list"]).output.split(separator: "\n")
        for agent in agents { try TestSupport.run(["ln", "-s", TestSupport.binary("hakit-agent"), "\(ocf)/\(agent)"]) }
        for name in ["node1", "node2"] {
            let peer = name == "node1" ? "node2" : "node1"
            let home = "\(directory)/\(name)"
            for sub in ["ha.d", "htdocs", "logs", "run", "rsctmp", "state", "daemon-run"] {
                try FileSystem.makeDirectories("\(home)/\(sub)")
            }
            try FileSystem.writeAtomically("\(home)/htdocs/index.html", contents: "Served by \(name)\n")
            try FileSystem.writeAtomically("\(home)/apache2.conf", contents: Self.apacheConfiguration(home: home, node: name))
            try FileSystem.writeAtomically(
                "\(home)/ha.d/ha.cf",
                contents: """
                    logfile \(home)/ha-log
                    logfacility none
                    keepalive \(keepalive)
                    deadtime \(deadtime)
                    initdead 5
                    ucast eth0 \(Self.lanAddress[peer]!)
                    ucast hb0 \(Self.heartbeatAddress[peer]!)
                    auto_failback on
                    node node1
                    node node2

                    """)
            try FileSystem.writeAtomically(
                "\(home)/ha.d/haresources", contents: "node1 \(Self.vip)/24/eth0 apache::\(home)/apache2.conf\n")
            try FileSystem.writeAtomically("\(home)/ha.d/authkeys", contents: "auth 1\n1 sha1 failover-lab\n", mode: 0o600)
        }
    }

    /// A minimal apache2 configuration rooted at `home`, with server-status for loopback and a
    /// `Listen` line for each of `listen`.
    static func apacheConfiguration(home: String, node: String, listen: [String] = ["80"]) -> String {
        let modules = "/usr/lib/apache2/modules"
        return """
            ServerRoot "\(home)"
            ServerName \(node).test.invalid
            LoadModule mpm_event_module \(modules)/mod_mpm_event.so
            LoadModule authz_core_module \(modules)/mod_authz_core.so
            LoadModule authz_host_module \(modules)/mod_authz_host.so
            LoadModule status_module \(modules)/mod_status.so
            LoadModule dir_module \(modules)/mod_dir.so
            User www-data
            Group www-data
            ErrorLog logs/error.log
            DefaultRuntimeDir run
            PidFile run/httpd.pid
            \(listen.map { "Listen \($0)" }.joined(separator: "\n"))
            KeepAlive Off
            StartServers 1
            DocumentRoot "\(home)/htdocs"
            <Location "/server-status">
                SetHandler server-status
                Require local
            </Location>

            """
    }

    // MARK: Daemons

    /// Starts heartbeat-lite for a node inside its namespace; output to `NODE/daemon.out`.
    func startDaemon(_ node: String) throws {
        let home = "\(directory)/\(node)"
        let command = [
            "exec", "ip", "netns", "exec", nodes[node]!.name, TestSupport.binary("heartbeat-lite"), "run",
            "--config-dir", "\(home)/ha.d", "--node", node, "--state-dir", "\(home)/state", "--run-dir", "\(home)/daemon-run",
            "--ocf-root", "\(directory)/ocf", ">>", "\(home)/daemon.out", "2>&1",
        ].joined(separator: " ")
        daemons[node] = try ChildProcess.spawn(
            path: "/bin/sh", arguments: ["sh", "-c", command],
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HA_RSCTMP": "\(home)/rsctmp"], captureOutput: false)
    }

    /// The shell command that kills a node hard: SIGKILL to every process in its namespace (its
    /// daemon, apache, agents' helpers), then both links down.
    func killCommand(_ node: String) -> String {
        let name = nodes[node]!.name
        return "kill -KILL $(ip netns pids \(name)); ip -n \(name) link set eth0 down; ip -n \(name) link set hb0 down"
    }

    /// Sets both links of a node up or down.
    func setLinks(_ node: String, up: Bool) throws {
        for link in ["eth0", "hb0"] { try nodes[node]!.ip("link", "set", link, up ? "up" : "down") }
    }

    /// The daemon's control socket directory.
    func runDirectory(_ node: String) -> String { "\(directory)/\(node)/daemon-run" }

    /// The pid of a node's daemon, while it runs.
    func daemonPid(_ node: String) -> Int32? {
        guard let daemon = daemons[node], daemon.reap() == nil else { return nil }
        return daemon.pid
    }

    /// Sends a signal to a node's daemon, by its pid.
    func signalDaemon(_ node: String, _ number: Int32) {
        if let pid = daemonPid(node) { kill(pid, number) }
    }

    /// Runs `heartbeat-lite ARGUMENTS --run-dir` against a node's daemon.
    @discardableResult
    func control(_ node: String, _ arguments: [String]) throws -> TestSupport.CommandResult {
        try TestSupport.run(
            [TestSupport.binary("heartbeat-lite")] + arguments + ["--run-dir", runDirectory(node)],
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"], timeoutMilliseconds: 60_000)
    }

    /// `heartbeat-lite status --json` of a node's daemon, decoded.
    func status(_ node: String) throws -> HeartbeatStatus {
        let result = try control(node, ["status", "--json"])
        guard result.status == 0 else { throw TestFailure("status on \(node) exited \(result.status): \(result.errorOutput)") }
        return try JSONDecoder().decode(HeartbeatStatus.self, from: Data(result.output.utf8))
    }

    /// Reaps the daemon of a node once it has been killed.
    func reapDaemon(_ node: String) { daemons[node]?.reap(blocking: true); daemons[node] = nil }

    /// The node's heartbeat-lite log.
    func log(_ node: String) -> String { ((try? FileSystem.read("\(directory)/\(node)/ha-log")) ?? nil) ?? "" }

    /// Everything the daemons wrote, for failure messages.
    var logs: String {
        ["node1", "node2"].map { node in
            "--- \(node) ha-log\n\(log(node))--- \(node) daemon.out\n\(((try? FileSystem.read("\(directory)/\(node)/daemon.out")) ?? nil) ?? "")"
        }.joined(separator: "\n")
    }

    /// Waits until the node's log, past its first `skip` characters, has a line containing `text`.
    func waitForLog(_ node: String, _ text: String, after skip: Int = 0, timeoutMilliseconds: Int = 10_000) -> Bool {
        let deadline = MonotonicClock.milliseconds() + Int64(timeoutMilliseconds)
        while MonotonicClock.milliseconds() < deadline {
            if log(node).dropFirst(skip).contains(text) { return true }
            MonotonicClock.sleep(milliseconds: 10)
        }
        return false
    }

    private func killEverything() {
        for namespace in [nodes["node1"]!, nodes["node2"]!, client, switchBox] {
            let pids = ((try? IPCommand.run(["netns", "pids", namespace.name])) ?? "").split(separator: "\n")
            for pid in pids.compactMap({ Int32($0) }) { kill(pid, SIGKILL) }
        }
        for (_, daemon) in daemons { daemon.reap(blocking: true) }
        daemons = [:]
    }

    // MARK: Observations

    /// Runs hakit-probe in the client against the floating address; returns its key=value summary.
    func probe(_ arguments: [String], timeoutMilliseconds: Int = 60_000) throws -> (status: Int32, summary: [String: String], output: String) {
        let result = try client.exec(
            [TestSupport.binary("hakit-probe"), "http://\(Self.vip)/", "--summary-only"] + arguments,
            timeoutMilliseconds: timeoutMilliseconds)
        let pairs = result.output.split(whereSeparator: \.isWhitespace).compactMap { word -> (String, String)? in
            let parts = word.split(separator: "=", maxSplits: 1)
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }
        return (result.status, Dictionary(pairs) { $1 }, result.output + result.errorOutput)
    }

    /// The nodes whose eth0 carries the floating address while up.
    func holders() throws -> [String] {
        try ["node1", "node2"].filter { node in
            let link = try nodes[node]!.ip("-o", "link", "show", "eth0")
            let address = try nodes[node]!.ip("-o", "-4", "addr", "show", "dev", "eth0")
            return address.contains(" inet \(Self.vip)/") && link.contains("state UP")
        }
    }

    /// The executables of the processes running in a node's namespace.
    func programs(_ node: String) throws -> [String] {
        try IPCommand.run(["netns", "pids", nodes[node]!.name]).split(separator: "\n").compactMap {
            Int32($0).flatMap(ProcessTable.executable)
        }
    }

    /// Whether the floating address is configured on a node at all (up or not).
    func carriesAddress(_ node: String) throws -> Bool {
        try nodes[node]!.ip("-o", "-4", "addr", "show").contains(" inet \(Self.vip)/")
    }

    /// What the client gets from the floating address now (curl, one request).
    func page() throws -> String {
        try client.exec(["curl", "-s", "--max-time", "2", "http://\(Self.vip)/"]).output
    }

    /// The hardware address of a node's eth0, as tcpdump prints it.
    func hardwareAddress(_ node: String) throws -> String {
        let words = try nodes[node]!.ip("-o", "link", "show", "eth0").split(separator: " ")
        return String(words.drop { $0 != "link/ether" }.dropFirst().first ?? "")
    }

    /// A capture, on the client's eth0, of gratuitous ARPs for the floating address (sender and
    /// target address both the VIP): `count` frames. With `sender`, only those
    /// from that hardware address, so that the last announcements of the previous holder (its
    /// sender runs for `arp_count` rounds) cannot fill the count.
    func gratuitousARPCapture(count: Int, from sender: String? = nil) throws -> PacketCapture {
        // 203.0.113.10 = 0xcb00710a; in an Ethernet/IPv4 ARP packet the sender address is at
        // offset 14 and the target address at offset 24.
        let source = sender.map { " and ether src \($0)" } ?? ""
        return try PacketCapture(
            namespace: client, interface: "eth0",
            filter: "'arp and arp[14:4] = 0xcb00710a and arp[24:4] = 0xcb00710a\(source)'", count: count)
    }
}
