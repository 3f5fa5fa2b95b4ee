#if canImport(Glibc)
import Glibc
#endif
import Foundation
import FoundationXML
import HAKitSystem
import HAKitTestSupport

/// A real two-node Corosync 3 (knet) + Pacemaker 2.1 cluster, Debian's packages, built by the test
/// on this machine and removed afterwards.
///
/// Topology (documentation addresses only): the ring link `ring0` joins node1 (192.0.2.1) and node2
/// (192.0.2.2) directly; the service network is a bridge in the client's namespace with a veth to
/// each node (`eth0`, 198.51.100.1 and .2; the client is 198.51.100.100), where the floating
/// address `vip` lives.
///
/// Each node is a process tree of its own: PID 1 of fresh mount, UTS, IPC and PID namespaces,
/// started inside the node's network namespace (`ip netns exec … unshare`). Its init script
/// (`initScript`) gives it, before anything of the cluster runs:
/// - its hostname, which is the Corosync/Pacemaker node name;
/// - private tmpfs on /run (= /var/run), /dev/shm (libqb's IPC ring buffers live there; the IPC
///   sockets themselves are abstract, hence per network namespace) and /tmp;
/// - the node's own directories bound over /etc/corosync, /var/lib/corosync, /var/lib/pacemaker,
///   /var/log/pacemaker, /var/log/corosync, /var/log/crmsh, /var/lib/pcsd, /var/log/pcsd and
///   /etc/apache2, so nothing of the host's is read or written;
/// - an OCF root made by `make install-files` of the build under test, bound over /usr/lib/ocf:
///   Pacemaker has no OCF_ROOT setting of its own, so `ocf:hakit:` must be found at
///   /usr/lib/ocf/resource.d/hakit, as after `make install`. Debian's stock agents and their
///   shell library are bound into it, `ocf:heartbeat:` being the reference;
/// - `ip_nonlocal_bind` in its network namespace: the seeds create the web server before the
///   colocation, so Pacemaker may start it, briefly, on the node without the address it listens on.
///
/// Everything else runs through `nsenter` into those namespaces. Corosync and pacemakerd run in
/// the foreground (`-f`) as children of the test's `nsenter` processes; a cluster stop is SIGTERM
/// to pacemakerd's pid, then to corosync's, as their systemd units do. Cleanup kills each init by
/// its pid: the kernel then kills everything else in its PID namespace.
final class PacemakerCluster {
    static let vip = "198.51.100.10"
    static let clientAddress = "198.51.100.100"

    let directory: String
    let nodes: [PacemakerNode]
    let client: TestNamespace
    var node1: PacemakerNode { nodes[0] }
    var node2: PacemakerNode { nodes[1] }

    private init(directory: String, nodes: [PacemakerNode], client: TestNamespace) {
        self.directory = directory
        self.nodes = nodes
        self.client = client
    }

    /// Builds the namespaces, the nodes' private trees and their inits, runs `body` (which starts
    /// the cluster with `start()`), and tears everything down however `body` ends. The namespaces
    /// are `<prefix>-<tag>-n1`, `-n2` and `-cl` (plus pid and counter).
    static func with(_ tag: String, prefix: String = "hk-pc", _ body: (PacemakerCluster) throws -> Void) throws {
        try TestNamespace.with(prefix: prefix, "\(tag)-n1") { namespace1 in
            try TestNamespace.with(prefix: prefix, "\(tag)-n2") { namespace2 in
                try TestNamespace.with(prefix: prefix, "\(tag)-cl") { client in
                    // 0755: apache's workers (www-data) read the document root below it.
                    let directory = try TestSupport.temporaryDirectory("pcmk-\(tag)", mode: 0o755)
                    defer { TestSupport.removeTree(directory) }
                    let nodes = [
                        PacemakerNode(name: "node1", index: 1, namespace: namespace1, home: "\(directory)/node1"),
                        PacemakerNode(name: "node2", index: 2, namespace: namespace2, home: "\(directory)/node2"),
                    ]
                    let cluster = PacemakerCluster(directory: directory, nodes: nodes, client: client)
                    defer { for node in nodes { node.tearDown() } }
                    try cluster.wire()
                    try cluster.prepare()
                    for node in nodes { try node.boot(initScript: "\(directory)/init", ocfRoot: "\(directory)/install/usr/lib/ocf") }
                    try body(cluster)
                }
            }
        }
    }

    // MARK: Set-up

    private func wire() throws {
        try node1.namespace.ip("link", "add", "ring0", "type", "veth", "peer", "name", "ring0", "netns", node2.namespace.name)
        try client.ip("link", "add", "br0", "type", "bridge")
        try client.ip("addr", "add", "\(Self.clientAddress)/24", "dev", "br0")
        try client.ip("link", "set", "br0", "up")
        for node in nodes {
            try node.namespace.ip("addr", "add", "\(node.ringAddress)/24", "dev", "ring0")
            try node.namespace.ip("link", "set", "ring0", "up")
            try client.ip("link", "add", "p-\(node.name)", "type", "veth", "peer", "name", "eth0", "netns", node.namespace.name)
            try client.ip("link", "set", "p-\(node.name)", "master", "br0", "up")
            try node.namespace.ip("addr", "add", "\(node.serviceAddress)/24", "dev", "eth0")
            try node.namespace.ip("link", "set", "eth0", "up")
        }
    }

    private func prepare() throws {
        // The build under test, installed as `make install` installs it (LIBDIR inside the OCF root,
        // so that one bind mount shows the whole tree), plus mount points for the stock agents.
        let install = "\(directory)/install"
        let make = try TestSupport.run([
            "make", "-s", "-C", TestSupport.packageRoot, "install-files", "BIN=\(TestSupport.binDirectory)",
            "DESTDIR=\(install)", "LIBDIR=/usr/lib/ocf/lib/hakit",
        ])
        guard make.status == 0 else { throw TestFailure("make install-files: \(make.output)\(make.errorOutput)") }
        for stock in ["resource.d/heartbeat", "lib/heartbeat"] {
            try FileSystem.makeDirectories("\(install)/usr/lib/ocf/\(stock)")
        }
        try TestSupport.writeScript("\(directory)/init", Self.initScript)

        // One authkey for the cluster, fresh for each test; an initial CIB that only shortens
        // dc-deadtime (20 s by default: the first election would wait for it).
        let authkey = "\(directory)/authkey"
        let keygen = try TestSupport.run(["corosync-keygen", "-k", authkey])
        guard keygen.status == 0 else { throw TestFailure("corosync-keygen: \(keygen.output)\(keygen.errorOutput)") }
        let cib = try TestSupport.run(["cibadmin", "--empty"])
        guard cib.status == 0 else { throw TestFailure("cibadmin --empty: \(cib.errorOutput)") }

        for node in nodes {
            for path in PacemakerNode.privateDirectories {
                try FileSystem.makeDirectories(node.home + path)
            }
            try FileSystem.makeDirectories("\(node.home)/etc/apache2/logs")
            try FileSystem.makeDirectories("\(node.home)/etc/apache2/run")
            try FileSystem.makeDirectories("\(node.home)/etc/apache2/htdocs")
            try FileSystem.writeAtomically("\(node.home)/etc/corosync/corosync.conf", contents: corosyncConf)
            try TestSupport.run(["install", "-m", "0400", authkey, "\(node.home)/etc/corosync/authkey"])
            try FileSystem.writeAtomically("\(node.home)/var/lib/pacemaker/cib/cib.xml", contents: cib.output, mode: 0o600)
            let property = try TestSupport.run(
                ["crm_attribute", "--type", "crm_config", "--name", "dc-deadtime", "--update", "2s"],
                environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "CIB_file": "\(node.home)/var/lib/pacemaker/cib/cib.xml"])
            guard property.status == 0 else { throw TestFailure("crm_attribute on the initial CIB: \(property.errorOutput)") }
            for path in ["/var/lib/pacemaker", "/var/log/pacemaker", "/var/log/crmsh"] {
                try TestSupport.run(["chown", "-R", "hacluster:haclient", node.home + path])
            }
            try FileSystem.writeAtomically(
                "\(node.home)/etc/apache2/htdocs/index.html", contents: "Served by \(node.name)\n")
            // Debian's directory, but not apache2.conf: for that name the stock agent runs a2enmod and
            // apache2ctl on the system's layout. It listens on loopback, for the tutorial's
            // `statusurl=http://localhost/server-status`, and on the floating address. Loopback comes
            // first: both agents derive the status URL of seed 001 (no statusurl) from the first
            // Listen, and one on the floating address made apache's monitor race ip1's when the
            // address is deleted by hand (whichever noticed first decided: restart apache, whose
            // start then fails without the address and bans the node, or re-add the address),
            // seen once under load with our agents, possible with the stock ones alike.
            try FileSystem.writeAtomically(
                "\(node.home)/etc/apache2/httpd.conf",
                contents: FailoverLab.apacheConfiguration(
                    home: "/etc/apache2", node: node.name, listen: ["127.0.0.1:80", "\(Self.vip):80"]))
        }
    }

    /// corosync.conf as `pcs cluster setup` writes it for two nodes over knet, minus pcsd: the
    /// two_node quorum, logging to a file of the node's own and not to syslog.
    var corosyncConf: String {
        let members = nodes.map { node in
            "    node {\n        ring0_addr: \(node.ringAddress)\n        name: \(node.name)\n        nodeid: \(node.index)\n    }\n"
        }.joined()
        return """
            totem {
                version: 2
                cluster_name: hakit
                transport: knet
                crypto_cipher: aes256
                crypto_hash: sha256
                token: 1000
            }
            nodelist {
            \(members)}
            quorum {
                provider: corosync_votequorum
                two_node: 1
            }
            logging {
                to_logfile: yes
                logfile: /var/log/corosync/corosync.log
                to_syslog: no
                to_stderr: no
                timestamp: on
            }

            """
    }

    /// PID 1 of a node. Arguments: the node's home, its name and the private OCF root.
    static let initScript = """
        #!/bin/bash
        set -eu
        home=$1 node=$2 ocf=$3
        # The host's /proc is still mounted: /proc/self is this shell as the host sees it.
        read -r pid _ < /proc/self/stat
        mount --make-rprivate /
        mount -t proc proc /proc
        hostname "$node"
        mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
        mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm
        mkdir /run/hakit
        mount --bind "$home" /run/hakit
        for path in /etc/corosync /var/lib/corosync /var/lib/pacemaker /var/log/pacemaker /var/log/corosync \\
                    /var/log/crmsh /var/lib/pcsd /var/log/pcsd /etc/apache2; do
            [ -d "$path" ] || { echo "no mount point $path on this host"; exit 1; }
            mount --bind "$home$path" "$path"
        done
        mount --bind /usr/lib/ocf/resource.d/heartbeat "$ocf/resource.d/heartbeat"
        mount --bind /usr/lib/ocf/lib/heartbeat "$ocf/lib/heartbeat"
        mount --rbind "$ocf" /usr/lib/ocf
        mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
        echo 1 > /proc/sys/net/ipv4/ip_nonlocal_bind
        echo "$pid" > /run/hakit/init.pid
        # Reap whatever is orphaned in this PID namespace (apache's daemonised main process) until killed.
        trap 'exit 0' TERM
        while :; do sleep 1 & wait $! || true; done
        """

    // MARK: Running

    /// Starts corosync on both nodes, then pacemakerd, and waits (at most 60 s) until both nodes
    /// are online members with a DC. A cluster that does not come up throws, with its logs.
    func start() throws {
        for node in nodes { try node.startCorosync() }
        for node in nodes { try node.startPacemaker() }
        let ready = waitUntil(timeoutMilliseconds: 60_000) {
            let status = try node1.status()
            return status.hasDC && status.onlineNodes == ["node1", "node2"]
        }
        guard ready != nil else { throw TestFailure("the cluster did not come up within 60 s\n\(diagnostics())") }
    }

    /// Polls `condition` every 100 ms until it holds or the timeout passes; returns the
    /// milliseconds it took, or nil. Errors inside the condition count as "not yet".
    @discardableResult
    func waitUntil(timeoutMilliseconds: Int, _ condition: () throws -> Bool) -> Int64? {
        let start = MonotonicClock.milliseconds()
        while true {
            if (try? condition()) == true { return MonotonicClock.milliseconds() - start }
            if MonotonicClock.milliseconds() - start > Int64(timeoutMilliseconds) { return nil }
            MonotonicClock.sleep(milliseconds: 100)
        }
    }

    /// Waits until the cluster has no transition in progress (`crm_resource --wait`), asking a
    /// node that runs Pacemaker.
    func settle(timeoutSeconds: Int = 60) throws {
        guard let node = nodes.first(where: \.runsPacemaker) else { return }
        let result = try node.run(["crm_resource", "--wait", "--timeout", "\(timeoutSeconds)s"], timeoutMilliseconds: (timeoutSeconds + 10) * 1000)
        guard result.status == 0 else { throw TestFailure("crm_resource --wait: \(result.output)\(result.errorOutput)\n\(diagnostics())") }
    }

    /// The page the client gets from the floating address now, or nil.
    func page() throws -> String? {
        let result = try client.exec(["curl", "-sS", "--fail", "--max-time", "2", "--noproxy", "*", "http://\(Self.vip)/"])
        return result.status == 0 ? result.output.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    /// The nodes whose namespace carries the floating address.
    func vipHolders() throws -> [String] {
        try nodes.filter { try $0.namespace.addressLines().contains { $0.contains(" inet \(Self.vip)/") } }.map(\.name)
    }

    /// The nodes where an apache2 process runs.
    func apacheNodes() throws -> [String] {
        try nodes.filter { try !$0.processes(named: "apache2").isEmpty }.map(\.name)
    }

    /// The cluster's state as seen from the first node running Pacemaker.
    func status() throws -> ClusterStatus {
        guard let node = nodes.first(where: \.runsPacemaker) else { throw TestFailure("no node runs Pacemaker") }
        return try node.status()
    }

    /// Everything the nodes said, for a failure message.
    func diagnostics() -> String {
        nodes.map { $0.diagnostics() }.joined(separator: "\n")
    }
}

/// One node of a `PacemakerCluster`.
final class PacemakerNode {
    /// The directories bound over the host's inside the node (below `home`).
    static let privateDirectories = [
        "/etc/corosync", "/var/lib/corosync", "/var/lib/pacemaker/cib", "/var/lib/pacemaker/pengine",
        "/var/lib/pacemaker/blackbox", "/var/lib/pacemaker/cores", "/var/log/pacemaker", "/var/log/corosync",
        "/var/log/crmsh", "/var/lib/pcsd", "/var/log/pcsd", "/etc/apache2",
    ]
    /// The environment of every command run in the node: no syslog (the host's), no log file for
    /// the tools (crm_mon would log the scheduler's view at every call); crmsh and pcs keep their
    /// state below HOME, the node's private /tmp.
    static let environment = [
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "PCMK_logfacility": "none", "PCMK_logfile": "none",
        "HOME": "/tmp", "LANG": "C.UTF-8",
    ]
    /// The daemons log to the node's own pacemaker.log, which is what agents get as HA_LOGFILE.
    static let daemonEnvironment = environment.merging(["PCMK_logfile": "/var/log/pacemaker/pacemaker.log"]) { $1 }

    let name: String
    let index: Int
    let namespace: TestNamespace
    let home: String
    private(set) var initPid: pid_t = 0
    private var launcher: ChildProcess?
    private var corosync: ChildProcess?
    private var pacemaker: ChildProcess?

    init(name: String, index: Int, namespace: TestNamespace, home: String) {
        self.name = name
        self.index = index
        self.namespace = namespace
        self.home = home
    }

    var ringAddress: String { "192.0.2.\(index)" }
    var serviceAddress: String { "198.51.100.\(index)" }
    /// The node's pacemaker.log, from the host.
    var pacemakerLogPath: String { "\(home)/var/log/pacemaker/pacemaker.log" }
    var pacemakerLog: String { ((try? FileSystem.read(pacemakerLogPath, limit: 64 << 20)) ?? nil) ?? "" }
    var corosyncLog: String { ((try? FileSystem.read("\(home)/var/log/corosync/corosync.log")) ?? nil) ?? "" }
    /// The apache pid file, from the host (the pid in it is the node's own numbering).
    var apachePidFile: String { "\(home)/etc/apache2/run/httpd.pid" }

    /// Starts the node's init and waits until it has set up the node's mounts.
    fileprivate func boot(initScript: String, ocfRoot: String) throws {
        launcher = try ChildProcess.spawn(
            path: "/bin/sh",
            arguments: [
                "sh", "-c",
                "exec >\"$1/init.log\" 2>&1; exec ip netns exec \"$2\" unshare --mount --uts --ipc --pid --fork /bin/bash \"$3\" \"$1\" \"$4\" \"$5\"",
                "sh", home, namespace.name, initScript, name, ocfRoot,
            ],
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"], captureOutput: false)
        let deadline = MonotonicClock.milliseconds() + 10_000
        while MonotonicClock.milliseconds() < deadline {
            if let text = (try? FileSystem.read("\(home)/init.pid")) ?? nil, let pid = pid_t(text.filter(\.isNumber)) {
                initPid = pid
                return
            }
            if launcher?.reap() != nil { break }
            MonotonicClock.sleep(milliseconds: 10)
        }
        throw TestFailure("the init of \(name) did not come up: \(fileText("init.log"))")
    }

    /// Runs a command inside the node (all its namespaces).
    @discardableResult
    func run(_ command: [String], environment: [String: String] = [:], timeoutMilliseconds: Int = 60_000) throws
        -> TestSupport.CommandResult
    {
        try TestSupport.run(
            enter + command, environment: Self.environment.merging(environment) { $1 }, timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Runs a shell script inside the node.
    @discardableResult
    func shell(_ script: String, timeoutMilliseconds: Int = 60_000) throws -> TestSupport.CommandResult {
        try run(["/bin/sh", "-c", script], timeoutMilliseconds: timeoutMilliseconds)
    }

    private var enter: [String] {
        precondition(initPid > 0, "\(name) is not booted")
        return ["nsenter", "--target", "\(initPid)", "--mount", "--uts", "--ipc", "--net", "--pid", "--"]
    }

    /// Starts a daemon in the foreground inside the node, output appended to `home/<log>`.
    private func daemon(_ command: [String], log: String) throws -> ChildProcess {
        try ChildProcess.spawn(
            path: "/bin/sh",
            arguments: ["sh", "-c", "exec \"$@\" >>\"\(home)/\(log)\" 2>&1", "sh"] + enter + command,
            environment: Self.daemonEnvironment, captureOutput: false)
    }

    func startCorosync() throws {
        precondition(corosync == nil, "corosync already runs on \(name)")
        corosync = try daemon(["corosync", "-f"], log: "corosync.out")
        // Pacemaker refuses to start until corosync answers on its IPC (cmap).
        let deadline = MonotonicClock.milliseconds() + 20_000
        while MonotonicClock.milliseconds() < deadline {
            if corosync?.reap() != nil { break }
            if (try? run(["corosync-cmapctl", "totem.cluster_name"]))?.status == 0 { return }
            MonotonicClock.sleep(milliseconds: 100)
        }
        throw TestFailure("corosync on \(name) did not come up\n\(diagnostics())")
    }

    func startPacemaker() throws {
        precondition(pacemaker == nil, "pacemaker already runs on \(name)")
        pacemaker = try daemon(["pacemakerd", "-f"], log: "pacemakerd.out")
    }

    var runsPacemaker: Bool { pacemaker.map { $0.reap() == nil } ?? false }

    /// The host pid of the daemon `nsenter` runs (its one child).
    private func daemonPid(_ process: ChildProcess?) -> pid_t? {
        guard let process, process.reap() == nil else { return nil }
        return ProcessTable.children(of: process.pid).first
    }

    /// Stops Pacemaker as its unit does: SIGTERM to pacemakerd, which stops the resources here
    /// (moving them away) and its daemons, then exits. Returns the milliseconds it took.
    @discardableResult
    func stopPacemaker(timeoutMilliseconds: Int = 90_000) throws -> Int64 {
        try stop(&pacemaker, "pacemakerd", timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Stops corosync: SIGTERM, wait.
    func stopCorosync(timeoutMilliseconds: Int = 30_000) throws {
        try stop(&corosync, "corosync", timeoutMilliseconds: timeoutMilliseconds)
    }

    private func stop(_ process: inout ChildProcess?, _ what: String, timeoutMilliseconds: Int) throws -> Int64 {
        guard let running = process else { return 0 }
        let start = MonotonicClock.milliseconds()
        guard let pid = daemonPid(running) else { throw TestFailure("\(what) on \(name) is not running") }
        kill(pid, SIGTERM)
        guard running.waitForExit(timeoutMilliseconds: timeoutMilliseconds) else {
            throw TestFailure("\(what) on \(name) did not exit within \(timeoutMilliseconds) ms of SIGTERM\n\(diagnostics())")
        }
        running.reap(blocking: true)
        process = nil
        return MonotonicClock.milliseconds() - start
    }

    /// The pids (the node's own numbering) of the processes named `command` in the node.
    func processes(named command: String) throws -> [pid_t] {
        let result = try run(["ps", "-e", "-o", "pid=,comm="])
        return result.output.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            return fields.count == 2 && fields[1] == command ? pid_t(fields[0]) : nil
        }
    }

    /// The processes of the node with their state, `ps` style, for diagnostics and leftovers.
    func processList() -> String { (try? run(["ps", "-e", "-o", "pid,ppid,stat,args"]).output) ?? "" }

    /// The cluster as this node sees it: `crm_mon --output-as=xml`, decoded.
    func status() throws -> ClusterStatus {
        let result = try run(["crm_mon", "-1", "--output-as=xml", "--include=all"], timeoutMilliseconds: 20_000)
        guard result.status == 0 else { throw TestFailure("crm_mon on \(name): \(result.status) \(result.errorOutput)") }
        return try ClusterStatus(xml: result.output)
    }

    /// The CIB as this node has it (`cibadmin -Q`).
    func cib() throws -> XMLDocument {
        let result = try run(["cibadmin", "-Q"], timeoutMilliseconds: 20_000)
        guard result.status == 0 else { throw TestFailure("cibadmin -Q on \(name): \(result.errorOutput)") }
        return try XMLDocument(xmlString: result.output)
    }

    private func fileText(_ name: String) -> String { ((try? FileSystem.read("\(home)/\(name)")) ?? nil) ?? "" }

    func diagnostics() -> String {
        let monitor = (try? run(["crm_mon", "-1", "-rfA"], timeoutMilliseconds: 10_000))
        return """
            === \(name) (init \(initPid))
            --- crm_mon
            \(monitor.map { $0.output + $0.errorOutput } ?? "(none)")
            --- processes
            \(processList())
            --- addresses
            \(((try? namespace.addressLines()) ?? []).joined(separator: "\n"))
            --- init.log
            \(fileText("init.log"))
            --- corosync.out / corosync.log
            \(fileText("corosync.out"))\(corosyncLog.suffix(3000))
            --- pacemakerd.out
            \(fileText("pacemakerd.out"))
            --- pacemaker.log (last 12000 characters)
            \(pacemakerLog.suffix(12000))
            """
    }

    /// Kills the init by its pid (and so everything in the node's PID namespace), then reaps the
    /// test's own processes.
    fileprivate func tearDown() {
        if let launcher, initPid > 0, ProcessTable.entry(initPid)?.parent == launcher.pid { kill(initPid, SIGKILL) }
        launcher?.reap(blocking: true)
        for process in [corosync, pacemaker] { process?.reap(blocking: true) }
        corosync = nil
        pacemaker = nil
        launcher = nil
    }
}

/// The parts of `crm_mon --output-as=xml` the tests read.
struct ClusterStatus {
    struct Resource: Equatable {
        var id: String
        var agent: String
        var role: String
        var active: Bool
        var failed: Bool
        var nodes: [String]
    }
    struct Failure: CustomStringConvertible {
        var operation: String
        var node: String
        var exitReason: String
        var exitStatus: String
        var description: String { "\(operation) on \(node): \(exitStatus) (\(exitReason))" }
    }

    var hasDC: Bool
    var onlineNodes: [String]
    var resources: [String: Resource]
    /// Fail counts, node → resource → count (only resources with a count).
    var failCounts: [String: [String: Int]]
    var failures: [Failure]

    init(xml: String) throws {
        let document = try XMLDocument(xmlString: xml)
        func attribute(_ element: XMLElement, _ name: String) -> String { element.attribute(forName: name)?.stringValue ?? "" }
        let dc = try document.nodes(forXPath: "//summary/current_dc").first as? XMLElement
        hasDC = dc.map { attribute($0, "present") == "true" } ?? false
        onlineNodes = try document.nodes(forXPath: "//nodes/node").compactMap { $0 as? XMLElement }
            .filter { attribute($0, "online") == "true" }.map { attribute($0, "name") }.sorted()
        var resources: [String: Resource] = [:]
        for case let element as XMLElement in try document.nodes(forXPath: "//resources//resource") {
            let nodes = (element.elements(forName: "node")).map { attribute($0, "name") }.sorted()
            let id = attribute(element, "id")
            resources[id] = Resource(
                id: id, agent: attribute(element, "resource_agent"), role: attribute(element, "role"),
                active: attribute(element, "active") == "true", failed: attribute(element, "failed") == "true", nodes: nodes)
        }
        self.resources = resources
        var failCounts: [String: [String: Int]] = [:]
        for case let node as XMLElement in try document.nodes(forXPath: "//node_history/node") {
            for history in node.elements(forName: "resource_history") {
                if let count = Int(attribute(history, "fail-count")), count > 0 {
                    failCounts[attribute(node, "name"), default: [:]][attribute(history, "id")] = count
                }
            }
        }
        self.failCounts = failCounts
        failures = try document.nodes(forXPath: "//failures/failure").compactMap { $0 as? XMLElement }.map {
            Failure(
                operation: attribute($0, "op_key"), node: attribute($0, "node"), exitReason: attribute($0, "exitreason"),
                exitStatus: attribute($0, "exitstatus"))
        }
    }

    /// The nodes a resource runs on (empty when it is stopped or unknown).
    func nodes(of resource: String) -> [String] {
        guard let entry = resources[resource], entry.active, entry.role == "Started" else { return [] }
        return entry.nodes
    }

    /// Whether every one of `resources` is started, on `node` alone, and none failed.
    func allStarted(_ resources: [String], on node: String) -> Bool {
        resources.allSatisfy { self.resources[$0].map { !$0.failed && $0.role == "Started" && $0.nodes == [node] } ?? false }
    }
}
