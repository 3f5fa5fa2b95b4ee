#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HAKitSystem
import HAKitTestSupport

/// A real heartbeat 3.0.6 daemon (Debian's package) as one node of a test cluster. It runs in the
/// node's network namespace and in mount, UTS, IPC and PID namespaces of its own (`unshare`), so
/// that its hostname is the node name and private directories under the test's `directory` are
/// bound over /etc/ha.d, /var/lib/heartbeat, /run (and so /var/run) and /var/log: nothing of the
/// host's is read or written. Its PID 1 is a bash that reaps the daemonized heartbeat (a zombie
/// would make `heartbeat -k` wait for ever); killing `unshare` kills the whole PID namespace.
final class RealHeartbeatNode {
    let name: String
    let namespace: TestNamespace
    let directory: String
    private(set) var process: ChildProcess?
    /// Directories bound over others inside the node's mount namespace (`from` over `to`), so
    /// that a path in haresources, the same on both nodes, names this node's own files.
    var binds: [(from: String, to: String)] = []

    /// The daemon of the Debian package.
    static let daemon = "/usr/libexec/heartbeat/heartbeat"

    init(name: String, namespace: TestNamespace, directory: String) {
        self.name = name
        self.namespace = namespace
        self.directory = directory
    }

    /// Bound over /etc/ha.d: a copy of the package's (harc, rc.d, resource.d, shellfuncs) plus
    /// ha.cf, haresources and authkeys.
    var configDirectory: String { "\(directory)/etc-ha.d" }
    /// The log directory, bound over /var/log; ha.cf logs to /var/log/ha-log inside.
    var logDirectory: String { "\(directory)/log" }
    /// The heartbeat log as the host sees it.
    var logfile: String { "\(logDirectory)/ha-log" }

    /// Copies the package's /etc/ha.d and /var/lib/heartbeat into the node's directories and writes
    /// the three configuration files (authkeys 0600).
    func configure(haCf: String, haresources: String, authkeys: String) throws {
        for sub in ["etc-ha.d", "var-lib-heartbeat", "run", "log"] {
            try FileSystem.makeDirectories("\(directory)/\(sub)", mode: 0o755)
        }
        for (from, to) in [("/etc/ha.d/.", configDirectory), ("/var/lib/heartbeat/.", "\(directory)/var-lib-heartbeat")] {
            let copy = try TestSupport.run(["cp", "-a", from, to + "/"], environment: ["PATH": "/usr/bin:/bin"])
            guard copy.status == 0 else { throw TestFailure("copying \(from) for \(name): \(copy.errorOutput)") }
        }
        try FileSystem.writeAtomically("\(configDirectory)/ha.cf", contents: haCf)
        try FileSystem.writeAtomically("\(configDirectory)/haresources", contents: haresources)
        try FileSystem.writeAtomically("\(configDirectory)/authkeys", contents: authkeys, mode: 0o600)
    }

    /// Starts heartbeat and waits (at most 15 s) until it logs its local status `up`; throws with
    /// its log and output otherwise: a real daemon that does not come up fails the test.
    func start() throws {
        precondition(process == nil || process?.reap() != nil, "\(name) is already running")
        let logMark = log.count
        let script = """
            set -e
            hostname \(name)
            mount --bind '\(configDirectory)' /etc/ha.d
            mount --bind '\(directory)/var-lib-heartbeat' /var/lib/heartbeat
            mount --bind '\(directory)/run' /run
            mount --bind '\(logDirectory)' /var/log
            \(binds.map { "mount --bind '\($0.from)' '\($0.to)'" }.joined(separator: "\n"))
            rm -f /run/heartbeat.pid
            mkdir -p /run/heartbeat/ccm /run/heartbeat/crm /run/heartbeat/dopd /run/crm /run/resource-agents /run/lock
            chown -R hacluster:haclient /run/heartbeat /run/crm
            \(Self.daemon)
            set +e
            while :; do sleep 1; done
            """
        let command = "exec ip netns exec \"$0\" \"$@\" >>'\(directory)/stdout' 2>>'\(directory)/stderr'"
        process = try ChildProcess.spawn(
            path: "/bin/sh",
            arguments: [
                "sh", "-c", command, namespace.name, "unshare", "--mount", "--uts", "--ipc", "--pid", "--fork",
                "--kill-child", "--mount-proc", "--propagation", "private", "/bin/bash", "-c", script,
            ],
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"], captureOutput: false)
        let deadline = MonotonicClock.milliseconds() + 15_000
        while MonotonicClock.milliseconds() < deadline {
            if String(log.dropFirst(logMark)).contains("Local status now set to: 'up'") { return }
            if let termination = process?.reap() {
                throw TestFailure("heartbeat 3.0.6 on \(name) did not start (\(termination)):\n\(diagnostics)")
            }
            MonotonicClock.sleep(milliseconds: 20)
        }
        throw TestFailure("heartbeat 3.0.6 on \(name) did not reach status 'up' within 15 s:\n\(diagnostics)")
    }

    /// The host pid of the namespace's PID 1 (the reaping bash), the child of `unshare`.
    private var namespaceInit: pid_t? {
        guard let process, process.reap() == nil,
            let children = (try? FileSystem.read("/proc/\(process.pid)/task/\(process.pid)/children")) ?? nil
        else { return nil }
        return children.split(separator: " ").first.flatMap { pid_t($0) }
    }

    /// Runs a command inside the node's namespaces (`nsenter` into its PID 1).
    @discardableResult
    func inside(_ arguments: [String], timeoutMilliseconds: Int = 60_000) throws -> TestSupport.CommandResult {
        guard let target = namespaceInit else { throw TestFailure("heartbeat node \(name) is not running") }
        return try TestSupport.run(
            ["nsenter", "-t", "\(target)", "-m", "-u", "-i", "-n", "-p"] + arguments,
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"], timeoutMilliseconds: timeoutMilliseconds)
    }

    /// `heartbeat -k`: heartbeat gives up its resources, says so, and exits; then its namespaces go.
    func stopGracefully() throws {
        let result = try inside([Self.daemon, "-k"], timeoutMilliseconds: 60_000)
        guard result.status == 0 else { throw TestFailure("heartbeat -k on \(name) exited \(result.status): \(result.errorOutput)\n\(diagnostics)") }
        killHard()
    }

    /// SIGKILL to `unshare`, which kills the namespace's PID 1 and so every process of the node.
    func killHard() {
        guard let process, process.reap() == nil else { return }
        kill(process.pid, SIGKILL)
        process.reap(blocking: true)
    }

    /// Whether the node's processes run.
    var isRunning: Bool { process.map { $0.reap() == nil } ?? false }

    /// The log so far.
    var log: String { ((try? FileSystem.read(logfile)) ?? nil) ?? "" }

    /// `cl_status rscstatus`: what heartbeat says this node holds (none/local/foreign/all/transition).
    func resourceStatus() throws -> String {
        try inside(["cl_status", "rscstatus"], timeoutMilliseconds: 10_000).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The log tail and the outputs, for a failure message.
    var diagnostics: String {
        let output = ["stdout", "stderr"].map { ((try? FileSystem.read("\(directory)/\($0)")) ?? nil) ?? "" }
        return "--- \(name) (heartbeat 3.0.6) log\n\(log.suffix(8000))\n--- stdout\n\(output[0].suffix(2000))\n--- stderr\n\(output[1].suffix(2000))"
    }

    /// Whether the address is configured on any interface of the node's namespace.
    func hasAddress(_ address: String) throws -> Bool { try namespace.hasAddress(address) }
}

/// A heartbeat-lite node and a real heartbeat 3.0.6 node, each in namespaces of its own
/// (`hk-mx-…`), joined by one veth pair `hb0` (192.0.2.1/24 – 192.0.2.2/24) with `ucast`
/// heartbeats; the one group, whose home is node1, is the address 203.0.113.10/24 on hb0 and
/// (unless a test leaves it out) a real apache2: `apache::ROOT/www/apache2.conf`, the same line
/// on both nodes. The real node runs the package's resource.d/IPaddr and resource.d/apache (the
/// stock OCF agents), ours the native agents; on the real node the path is its own copy, bound
/// over ROOT/www in its mount namespace.
struct MixedCluster {
    /// Which node runs heartbeat 3.0.6.
    enum RealSide: String, CaseIterable, Sendable, CustomStringConvertible {
        case node1, node2
        var description: String { rawValue }
    }

    let ours: HeartbeatNode
    let real: RealHeartbeatNode
    /// Whether apache is in the group.
    let apache: Bool
    /// The group's key (its first haresources resource).
    var key = MixedCluster.group

    static let address = "203.0.113.10"
    static let group = "203.0.113.10/24/hb0"
    /// The timing both sides run with: heartbeat 3.0.6 takes ms values; initdead below 10 s only
    /// warns. A real node started alone waits initdead (3 s) before it takes over.
    static let timing = "keepalive 200ms\ndeadtime 1500ms\nwarntime 800ms\ninitdead 3"

    /// A silent partition of hb0 (`lost: false` heals it): each node's heartbeats are lost on the
    /// wire while the link stays up, so that both sides take the peer for dead.
    func partition(lost: Bool = true) throws {
        func address(_ name: String) -> String { name == "node1" ? "192.0.2.1" : "192.0.2.2" }
        try ours.namespace.loseTraffic(to: address(real.name), on: "hb0", lost: lost)
        try real.namespace.loseTraffic(to: address(ours.name), on: "hb0", lost: lost)
    }

    /// The name of the node that is not `real`.
    static func other(_ name: String) -> String { name == "node1" ? "node2" : "node1" }

    /// ha.cf for either side: the same directives, logging to `logfile`.
    /// With `serialDevice`, the heartbeats go over that tty instead (`serial DEVICE`, 19200 baud).
    /// `extra` lines come before the node line.
    static func haCf(logfile: String, peerAddress: String, autoFailback: String, serialDevice: String? = nil, extra: String = "") -> String {
        [
            "# written by MixedClusterTests", "logfacility none", "logfile \(logfile)", timing, "udpport 694",
            serialDevice.map { "serial \($0)" } ?? "ucast hb0 \(peerAddress)", "auto_failback \(autoFailback)", "crm off",
            extra, "node node1 node2", "",
        ].joined(separator: "\n")
    }

    /// Creates the namespaces, the link, the directories and the configuration (`keys`: the
    /// secret of heartbeat-lite's node, then of the real node, for authkeys' `method`), runs
    /// `body` (which starts the daemons), then kills what is left, by pid, and removes everything.
    static func with(
        _ tag: String, real realName: RealSide, autoFailback: String = "on", keys: (String, String) = ("mixed-secret", "mixed-secret"),
        method: String = "sha1",
        prefix: String = "hk-mx", serial: (ours: String, real: String)? = nil, apache: Bool = true,
        haresources: String? = nil, scripts: [String: [String: String]] = [:], extra: String = "",
        _ body: (MixedCluster) throws -> Void
    ) throws {
        let root = try TestSupport.temporaryDirectory("mx-\(tag)", mode: 0o755)
        defer { TestSupport.removeTree(root) }
        let ocfRoot = "\(root)/ocf"
        try FileSystem.makeDirectories("\(ocfRoot)/resource.d/hakit")
        for agent in try TestSupport.run([TestSupport.binary("hakit-agent"), "--list"]).output.split(separator: "\n") {
            try TestSupport.run(["ln", "-s", TestSupport.binary("hakit-agent"), "\(ocfRoot)/resource.d/hakit/\(agent)"])
        }
        let oursName = other(realName.rawValue)
        try TestNamespace.with(prefix: prefix, "\(tag)1") { namespace1 in
            try TestNamespace.with(prefix: prefix, "\(tag)2") { namespace2 in
                try namespace1.ip("link", "add", "hb0", "type", "veth", "peer", "name", "hb0", "netns", namespace2.name)
                for (index, namespace) in [(1, namespace1), (2, namespace2)] {
                    try namespace.ip("addr", "add", "192.0.2.\(index)/24", "dev", "hb0")
                    try namespace.ip("link", "set", "dev", "hb0", "up")
                }
                let namespaces = ["node1": namespace1, "node2": namespace2]
                func address(of node: String) -> String { node == "node1" ? "192.0.2.1" : "192.0.2.2" }
                guard let oursNamespace = namespaces[oursName], let realNamespace = namespaces[realName.rawValue] else {
                    throw TestFailure("no namespace for a node")
                }
                let ours = HeartbeatNode(name: oursName, namespace: oursNamespace, directory: "\(root)/\(oursName)", ocfRoot: ocfRoot)
                let real = RealHeartbeatNode(name: realName.rawValue, namespace: realNamespace, directory: "\(root)/\(realName)")
                defer {
                    ours.killHard()
                    real.killHard()
                    // What heartbeat-lite started (apache) outlives its SIGKILL.
                    ours.namespace.killEverything()
                }
                for sub in ["ha.d", "resource.d", "init.d", "state", "run", "rsctmp"] {
                    try FileSystem.makeDirectories("\(ours.directory)/\(sub)")
                }
                var haresources = haresources ?? "node1 \(group)\n"
                if apache {
                    let shared = "\(root)/www"
                    for (node, home) in [(ours.name, shared), (real.name, "\(real.directory)/www")] {
                        for sub in ["htdocs", "logs", "run"] { try FileSystem.makeDirectories("\(home)/\(sub)", mode: 0o755) }
                        try FileSystem.writeAtomically(
                            "\(home)/apache2.conf", contents: FailoverLab.apacheConfiguration(home: shared, node: node))
                        try FileSystem.writeAtomically("\(home)/htdocs/index.html", contents: "served by \(node)\n")
                    }
                    real.binds = [("\(real.directory)/www", shared)]
                    haresources = "node1 \(group) apache::\(shared)/apache2.conf\n"
                }
                try ours.configure(
                    haCf: haCf(
                        logfile: ours.logfile, peerAddress: address(of: real.name), autoFailback: autoFailback,
                        serialDevice: serial?.ours, extra: extra),
                    haresources: haresources, authkeys: "auth 1\n1 \(method) \(keys.0)\n")
                try real.configure(
                    haCf: haCf(
                        logfile: "/var/log/ha-log", peerAddress: address(of: ours.name), autoFailback: autoFailback,
                        serialDevice: serial?.real, extra: extra),
                    haresources: haresources, authkeys: "auth 1\n1 \(method) \(keys.1)\n")
                // resource.d scripts by node name (the real node's in its copy of /etc/ha.d).
                for (name, text) in scripts[ours.name] ?? [:] { try TestSupport.writeScript("\(ours.resourceDirectory)/\(name)", text) }
                for (name, text) in scripts[real.name] ?? [:] {
                    try TestSupport.writeScript("\(real.configDirectory)/resource.d/\(name)", text)
                }
                let key = haresources.split(whereSeparator: \.isWhitespace).dropFirst().first.map(String.init) ?? group
                try body(MixedCluster(ours: ours, real: real, apache: apache, key: key))
            }
        }
    }

    /// The home node of the group.
    var home: String { "node1" }

    /// The nodes that run any part of the group: the address or apache.
    func holders() throws -> [String] {
        try [ours.namespace, real.namespace].enumerated().filter { _, namespace in
            try namespace.hasAddress(Self.address) || (apache && runsApache(namespace))
        }.map { [ours.name, real.name][$0.offset] }.sorted()
    }

    /// Whether apache2 runs in the node's network namespace.
    func runsApache(_ namespace: TestNamespace) throws -> Bool {
        try namespace.programs().contains { $0.hasSuffix("/apache2") }
    }

    /// Why the group is not (yet) settled on `owner` alone, or nil when it is: the address (and
    /// apache) on `owner` only, heartbeat-lite's status naming `owner`, `cl_status rscstatus` on
    /// the real node saying what it holds (never `transition`), and each side seeing the other as
    /// it is (active when it runs, dead when it does not).
    func misplacement(on owner: String) throws -> String? {
        let now = try holders()
        guard now == [owner] else { return "the group (address or apache) is on \(now)" }
        let namespace = owner == ours.name ? ours.namespace : real.namespace
        guard try namespace.hasAddress(Self.address) else { return "\(owner) runs apache but has no address" }
        guard try !apache || runsApache(namespace) else { return "\(owner) has the address but runs no apache" }
        if ours.isRunning {
            let status = try ours.status()
            guard status.settled else { return "heartbeat-lite is not settled" }
            guard status.owner(of: key) == owner else { return "heartbeat-lite names \(status.owner(of: key) ?? "nobody") as the owner" }
            let expected = real.isRunning ? "active" : "dead"
            guard status.peer(real.name)?.status == expected else {
                return "heartbeat-lite sees \(real.name) \(status.peer(real.name)?.status ?? "nowhere"), not \(expected)"
            }
            if real.isRunning {
                let seen = try real.inside(["cl_status", "nodestatus", ours.name], timeoutMilliseconds: 10_000).output
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                guard seen == "active" else { return "cl_status nodestatus \(ours.name) on \(real.name) says \(seen)" }
            }
        }
        // heartbeat's AuditResources: once stable, each set is held by one node (a set without
        // groups too: heartbeat holds sets, not groups).
        if let complaint = real.log.split(separator: "\n").first(where: { $0.contains("No one owns") }) {
            return "the real node complained: \(complaint)"
        }
        if real.isRunning {
            // rscstatus names sets from the real node's side (and says `local` once it took its own
            // groups, even when it has none): the group is in `local` on its home node, in
            // `foreign` on the other.
            let held = try real.resourceStatus()
            let side = real.name == home ? "local" : "foreign"
            guard ["none", "local", "foreign", "all"].contains(held), (held == side || held == "all") == (owner == real.name)
            else { return "cl_status rscstatus on \(real.name) says \(held)" }
        }
        return nil
    }

    /// Polls `misplacement(on:)` every 50 ms, at most `timeoutMilliseconds`; throws with the last
    /// reason and both logs if the group never settles on `owner`.
    func requirePlaced(on owner: String, _ step: String, timeoutMilliseconds: Int = 20_000) throws {
        let start = MonotonicClock.milliseconds()
        var why = "not checked"
        while true {
            do {
                guard let reason = try misplacement(on: owner) else { return }
                why = reason
            } catch { why = "\(error)" }
            if MonotonicClock.milliseconds() - start > Int64(timeoutMilliseconds) { break }
            MonotonicClock.sleep(milliseconds: 50)
        }
        throw TestFailure("\(step): the group should be on \(owner) only, both sides agreeing; last seen: \(why)\n\(diagnostics())")
    }

    /// Checks for `milliseconds` that the group stays on `owner` only (never two, never none).
    func requireStays(on owner: String, _ step: String, milliseconds: Int) throws {
        let end = MonotonicClock.milliseconds() + Int64(milliseconds)
        while MonotonicClock.milliseconds() < end {
            let now = try holders()
            guard now == [owner] else { throw TestFailure("\(step): the address is on \(now), expected \(owner) only\n\(diagnostics())") }
            MonotonicClock.sleep(milliseconds: 50)
        }
    }

    /// Starts both daemons at once and waits until both are up.
    func startTogether() throws {
        try ours.launch()
        try real.start()
        try ours.waitUntilAnswering()
    }

    /// The node named `name` crashes: every process of it killed at once (SIGKILL), and the
    /// address and /run (a tmpfs) gone with its memory, as after a power cut; a later start is a
    /// reboot. (The real node's /run kept across a crash held resource-agents' send_arp pid file
    /// of the dead PID namespace; its next IPaddr start killed whatever process had that pid in
    /// the new one and failed, leaving the group on neither node.)
    func crash(_ name: String) throws {
        let volatile: [String]
        if name == ours.name {
            ours.killHard()
            ours.namespace.killEverything()
            volatile = [ours.runDirectory, "\(ours.directory)/rsctmp"]
        } else {
            real.killHard()
            volatile = ["\(real.directory)/run"]
        }
        for directory in volatile {
            TestSupport.removeTree(directory)
            try FileSystem.makeDirectories(directory)
        }
        let namespace = name == ours.name ? ours.namespace : real.namespace
        if try (name == ours.name ? ours.hasAddress(Self.address) : real.hasAddress(Self.address)) {
            try namespace.ip("addr", "del", "\(Self.address)/24", "dev", "hb0")
        }
    }

    /// Starts (again) the node named `name` and waits until it is up.
    func start(_ name: String) throws {
        if name == ours.name { try ours.start() } else { try real.start() }
    }

    /// Stops the node named `name` gracefully: SIGTERM to heartbeat-lite, `heartbeat -k` on the
    /// real node; both give up their resources first.
    func stop(_ name: String) throws {
        if name == real.name { return try real.stopGracefully() }
        ours.signal(SIGTERM)
        guard ours.waitForExit(timeoutMilliseconds: 30_000) == .exited(0) else {
            throw TestFailure("heartbeat-lite on \(ours.name) did not stop cleanly\n\(diagnostics())")
        }
    }

    /// Both sides' state and logs, for a failure message.
    func diagnostics() -> String {
        let status = (try? ours.control("status").output) ?? "(no answer)"
        let held = (try? real.resourceStatus()) ?? "(no answer)"
        let holders = (try? self.holders()) ?? []
        return "group (address or apache) on: \(holders)\n=== \(ours.name) (heartbeat-lite, \(ours.isRunning ? "running" : "not running"))\n\(status)\n"
            + "--- log\n\(ours.log.suffix(6000))\n--- stderr\n\(ours.stderr.suffix(2000))\n"
            + "=== \(real.name) (heartbeat 3.0.6, \(real.isRunning ? "running" : "not running"), cl_status rscstatus: \(held))\n\(real.diagnostics)"
    }
}
