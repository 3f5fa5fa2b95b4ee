#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import FoundationXML
import HAKitSystem
import HAKitTestSupport
import Synchronization
import Testing

/// What one run of a scenario saw: `observations` must be the same for the stock agents and ours
/// (so that a difference is a failing comparison), `problems` must be empty for both.
struct ScenarioReport: Sendable {
    var provider: String
    /// Step name → what the cluster did, in terms that do not name the provider.
    var observations: [String] = []
    /// Checks that failed, with what was seen.
    var problems: [String] = []
    /// Diagnostics of the cluster at the first problem.
    var diagnostics = ""
    /// Milliseconds from SIGTERM to pacemakerd on node1 until it exited with everything on node2.
    var stopMilliseconds: Int64 = 0
    var wallMilliseconds: Int64 = 0
}

/// A scenario being typed into one cluster with one provider.
final class ScenarioRun {
    let cluster: PacemakerCluster
    let provider: String
    /// The resources the scenario creates, in start order.
    let resources: [String]
    var report: ScenarioReport
    /// Where each node's pacemaker.log stood when a window without expected failures began.
    private var logMarks: [Int] = [0, 0]

    init(cluster: PacemakerCluster, provider: String, resources: [String]) {
        self.cluster = cluster
        self.provider = provider
        self.resources = resources
        report = ScenarioReport(provider: provider)
    }

    /// Builds a cluster, starts it and runs `steps` in it; an error ends the steps as a problem.
    static func perform(
        _ tag: String, provider: String, resources: [String], _ steps: (ScenarioRun) throws -> Void
    ) -> ScenarioReport {
        var report = ScenarioReport(provider: provider)
        do {
            try PacemakerCluster.with(tag) { cluster in
                let run = ScenarioRun(cluster: cluster, provider: provider, resources: resources)
                do {
                    try cluster.start()
                    try steps(run)
                } catch {
                    run.problem("the scenario stopped: \(error)")
                }
                report = run.report
            }
        } catch {
            report.problems.append("building the cluster: \(error)")
        }
        return report
    }

    func observe(_ step: String, _ what: String) { report.observations.append("\(step): \(what)") }

    func problem(_ text: String) {
        if report.problems.isEmpty { report.diagnostics = cluster.diagnostics() }
        report.problems.append(text)
    }

    /// Runs a configuration command on node1, as the tutorial's user types it there.
    func type(_ command: [String]) throws {
        let result = try cluster.node1.run(command)
        if result.status != 0 {
            problem("`\(command.joined(separator: " "))` exited \(result.status): \(result.output)\(result.errorOutput)")
        }
    }

    /// Waits for the cluster to settle, then records where the resources run, what the client gets
    /// from the floating address, which nodes hold it and which run apache; expects `node`.
    func expectPlacement(_ step: String, on node: String) throws {
        try cluster.settle()
        // The client's page and the node's state must agree with crm_mon for a moment, not only once.
        let placed = cluster.waitUntil(timeoutMilliseconds: 20_000) {
            let status = try cluster.status()
            return try status.allStarted(resources, on: node) && cluster.page() == "Served by \(node)"
                && cluster.vipHolders() == [node] && cluster.apacheNodes() == [node]
        }
        let status = try? cluster.status()
        let placement = resources.map { "\($0)@\(status?.nodes(of: $0).joined(separator: ",") ?? "?")" }
        let page = (try? cluster.page()) ?? nil
        let seen = "\(placement.joined(separator: " ")); page \(page ?? "none"); vip on \((try? cluster.vipHolders()) ?? []); "
            + "apache on \((try? cluster.apacheNodes()) ?? [])"
        observe(step, placed == nil ? "not placed: \(seen)" : "all on \(node), served by \(node) alone")
        if placed == nil { problem("\(step): expected everything on \(node) alone, saw \(seen)") }
    }

    /// Expects no fail count and no failed action anywhere.
    func expectNoFailures(_ step: String) throws {
        let status = try cluster.status()
        let failures = status.failures.map(\.description)
        observe(step, "fail counts \(status.failCounts.sorted { $0.key < $1.key }), failed actions \(failures.count)")
        if !status.failCounts.isEmpty || !failures.isEmpty {
            problem("\(step): fail counts \(status.failCounts), failed actions \(failures)")
        }
    }

    /// Expects each of `monitored` to have a recurring monitor on `node` whose last result was 0.
    func expectRecurringMonitors(_ monitored: [String], on node: String) throws {
        let cib = try cluster.node1.cib()
        var summary: [String] = []
        for resource in monitored {
            let path = "//node_state[@uname='\(node)']//lrm_resource[@id='\(resource)']/lrm_rsc_op[@operation='monitor']"
            let recurring = try cib.nodes(forXPath: path).compactMap { $0 as? XMLElement }
                .filter { ($0.attribute(forName: "interval")?.stringValue ?? "0") != "0" }
            let codes = recurring.map { "\($0.attribute(forName: "interval")?.stringValue ?? "?")ms rc \($0.attribute(forName: "rc-code")?.stringValue ?? "?")" }
            summary.append("\(resource) [\(codes.joined(separator: ", "))]")
            if recurring.isEmpty || recurring.contains(where: { $0.attribute(forName: "rc-code")?.stringValue != "0" }) {
                problem("recurring monitor of \(resource) on \(node): \(codes)")
            }
        }
        observe("recurring monitors", summary.joined(separator: " "))
    }

    /// Records the operations the CIB holds for each resource (what pcs made of the meta-data).
    func observeConfiguredOperations() throws {
        let cib = try cluster.node1.cib()
        for resource in resources {
            let operations = try cib.nodes(forXPath: "//primitive[@id='\(resource)']/operations/op").compactMap { $0 as? XMLElement }
                .map { op in
                    let depth = try op.nodes(forXPath: "instance_attributes/nvpair[@name='OCF_CHECK_LEVEL']").first
                        .flatMap { ($0 as? XMLElement)?.attribute(forName: "value")?.stringValue }
                    return ["name", "interval", "timeout"].map { op.attribute(forName: $0)?.stringValue ?? "-" }
                        .joined(separator: "/") + (depth.map { " depth \($0)" } ?? "")
                }
            observe("operations of \(resource)", operations.joined(separator: ", "))
        }
    }

    /// Starts a window in which pacemaker.log must say nothing bad about the resources.
    func markLogs() { logMarks = cluster.nodes.map { $0.pacemakerLog.utf8.count } }

    /// The lines since `markLogs` that name a resource and say error or warning.
    func expectQuietLogs(_ step: String) {
        var found: [String] = []
        for (index, node) in cluster.nodes.enumerated() {
            let log = node.pacemakerLog
            let text = String(decoding: log.utf8.dropFirst(logMarks[index]), as: UTF8.self)
            for line in text.split(separator: "\n") {
                // execd calls an agent's standard error "error output" whatever it says.
                let lower = line.lowercased().replacingOccurrences(of: "error output [", with: "")
                guard lower.contains("error") || lower.contains("warning") else { continue }
                if resources.contains(where: { line.contains($0) }) { found.append("\(node.name): \(line)") }
            }
        }
        observe(step, found.isEmpty ? "no warning or error about the resources" : "\(found.count) warning/error lines")
        if !found.isEmpty { problem("\(step): pacemaker.log says\n\(found.prefix(20).joined(separator: "\n"))") }
    }

    /// Lines the executor logged as an agent's standard error other than its exit reason: with
    /// HA_LOGFILE set, the stock agents log to the file only, so each such line is a duplicate.
    func expectNoEchoedAgentOutput() {
        var found: [String] = []
        for node in cluster.nodes {
            for line in node.pacemakerLog.split(separator: "\n")
            where line.contains("error output [") && !line.contains("ocf-exit-reason")
                && resources.contains(where: { line.contains($0) })
            {
                found.append("\(node.name): \(line)")
            }
        }
        observe("agent stderr in pacemaker.log", found.isEmpty ? "none" : "\(found.count) lines")
        if !found.isEmpty { problem("agent output logged twice (stderr echoed by execd):\n\(found.prefix(10).joined(separator: "\n"))") }
    }

    /// Clears fail counts and failed actions (`crm_resource --cleanup`), then waits.
    func cleanup() throws {
        try type(["crm_resource", "--cleanup"])
        try cluster.settle()
    }

    /// The end of the seeds' scenarios, on node1: apache killed, then the address deleted by hand
    /// (each recovered and cleaned up), the group still on node1, then the cluster stopped with
    /// quiet logs and no agent output echoed.
    func faultsThenClusterStop(apache: String, address: String) throws {
        try killApache(on: cluster.node1, resource: apache)
        try cleanup()
        try deleteAddress(on: cluster.node1, resource: address)
        try cleanup()
        try expectPlacement("after the faults", on: "node1")
        markLogs()
        try stopNode1()
        expectQuietLogs("log of the cluster stop")
        expectNoEchoedAgentOutput()
    }

    /// kill -9 of apache's main process (from its pid file) on `node`: the monitor must notice,
    /// Pacemaker restart it there, and the site serve again.
    func killApache(on node: PacemakerNode, resource: String) throws {
        guard let pid = try? PidFile.read(node.apachePidFile) else {
            problem("no apache pid file on \(node.name)")
            return
        }
        try node.run(["kill", "-9", "\(pid)"])
        let recovered = cluster.waitUntil(timeoutMilliseconds: 30_000) {
            let status = try cluster.status()
            guard status.failCounts[node.name]?[resource] == 1, status.allStarted(resources, on: node.name) else { return false }
            guard let newPid = try? PidFile.read(node.apachePidFile), newPid != pid else { return false }
            return try cluster.page() == "Served by \(node.name)"
        }
        let counts = (try? cluster.status().failCounts) ?? [:]
        observe("apache killed by pid", recovered == nil ? "not recovered (fail counts \(counts))" : "recovered on \(node.name), one failure counted")
        if recovered == nil { problem("apache (pid \(pid)) killed with -9 on \(node.name) was not recovered; fail counts \(counts)") }
    }

    /// `ip addr del` of the floating address on `node`: the monitor must notice and re-add it.
    func deleteAddress(on node: PacemakerNode, resource: String) throws {
        // With its prefix as the agent added it: /32 in seed 003, eth0's /24 in seed 001.
        let words = try node.namespace.addressLines().first { $0.contains(" inet \(PacemakerCluster.vip)/") }?
            .split(separator: " ") ?? []
        guard let address = words.drop(while: { $0 != "inet" }).dropFirst().first else {
            problem("no floating address on \(node.name) to delete")
            return
        }
        try node.namespace.ip("addr", "del", String(address), "dev", "eth0")
        let readded = cluster.waitUntil(timeoutMilliseconds: 30_000) {
            let status = try cluster.status()
            guard status.failCounts[node.name]?[resource] == 1, status.allStarted(resources, on: node.name) else { return false }
            return try cluster.vipHolders() == [node.name] && cluster.page() == "Served by \(node.name)"
        }
        let counts = (try? cluster.status().failCounts) ?? [:]
        observe("address deleted by hand", readded == nil ? "not re-added (fail counts \(counts))" : "re-added on \(node.name), one failure counted")
        if readded == nil { problem("the floating address deleted on \(node.name) was not re-added; fail counts \(counts)") }
    }

    /// Stops the cluster on node1 (pacemakerd, then corosync, each by SIGTERM to its pid): node2
    /// must serve everything within seconds and node1 keep nothing.
    func stopNode1() throws {
        let node1 = cluster.node1
        let milliseconds = try node1.stopPacemaker()
        report.stopMilliseconds = milliseconds
        try node1.stopCorosync()
        let moved = cluster.waitUntil(timeoutMilliseconds: 10_000) {
            try cluster.node2.status().allStarted(resources, on: "node2") && cluster.page() == "Served by node2"
        }
        observe("cluster stop on node1", moved == nil ? "not moved to node2" : "everything moved to node2")
        if moved == nil { problem("after the cluster stop on node1, node2 does not serve everything") }
        if milliseconds > 15_000 { problem("pacemakerd on node1 took \(milliseconds) ms to stop") }
        let leftovers = try node1.processes(named: "apache2")
        let addresses = try node1.namespace.addressLines().filter { $0.contains(PacemakerCluster.vip) }
        // Only the init and its sleep may remain once the daemons have exited.
        let others = try node1.run(["ps", "-e", "-o", "pid=,comm="]).output.split(separator: "\n")
            .map { $0.split(separator: " ", omittingEmptySubsequences: true).last.map(String.init) ?? "" }
            .filter { !["bash", "sleep", "ps"].contains($0) }
        observe("left on node1", "apache \(leftovers.count), address \(addresses.count), other processes \(others)")
        if !leftovers.isEmpty || !addresses.isEmpty || !others.isEmpty {
            problem("left behind on node1: apache \(leftovers), address \(addresses), processes \(others)\n\(node1.processList())")
        }
    }
}

/// The agents inside a real Pacemaker cluster (issue 12): seeds 001 (crmsh) and 003 (pcs) typed as
/// their tutorials type them, each with the stock agents (`ocf:heartbeat:`, the reference) and with
/// ours (`ocf:hakit:`), in two clusters side by side; the two runs must see the same. The
/// tests run at once too: six clusters, twelve nodes, all in namespaces of their own.
@Suite struct PacemakerClusterTests {
    /// Runs `scenario` once per provider, each in a fresh cluster, both at once.
    static func compare(_ tag: String, _ scenario: @escaping @Sendable (String, String) throws -> ScenarioReport) -> [ScenarioReport] {
        let group = DispatchGroup()
        let results = Mutex<[String: ScenarioReport]>([:])
        for provider in ["heartbeat", "hakit"] {
            group.enter()
            // A thread of its own: Dispatch's global queue runs about as many blocking items as
            // there are cores, which would queue the six runs of the suite behind each other.
            Thread {
                let start = MonotonicClock.milliseconds()
                var report: ScenarioReport
                do { report = try scenario(provider, "\(tag)\(provider == "hakit" ? "h" : "s")") } catch {
                    report = ScenarioReport(provider: provider, problems: ["the scenario stopped: \(error)"])
                }
                report.wallMilliseconds = MonotonicClock.milliseconds() - start
                results.withLock { $0[provider] = report }
                group.leave()
            }.start()
        }
        group.wait()
        return results.withLock { [$0["heartbeat"]!, $0["hakit"]!] }
    }

    static func check(_ reports: [ScenarioReport], sourceLocation: SourceLocation = #_sourceLocation) {
        let (stock, ours) = (reports[0], reports[1])
        for report in reports {
            print("\(report.provider): \(report.wallMilliseconds) ms, cluster stop \(report.stopMilliseconds) ms")
            print(report.observations.map { "  \($0)" }.joined(separator: "\n"))
        }
        #expect(stock.problems.isEmpty, "the stock agents (reference):\n\(stock.problems.joined(separator: "\n"))\n\(stock.diagnostics)", sourceLocation: sourceLocation)
        #expect(ours.problems.isEmpty, "ocf:hakit:\n\(ours.problems.joined(separator: "\n"))\n\(ours.diagnostics)", sourceLocation: sourceLocation)
        #expect(ours.observations == stock.observations, sourceLocation: sourceLocation)
    }

    /// Seed 003's pcs commands: the property, ClusterIP and WebSite (with `op monitor
    /// interval=…` unless `monitorInterval` is nil), the colocation, the order and the location
    /// preferences. pcs 0.11 changes the CIB through cibadmin on the local node: no pcsd is needed
    /// for property, resource and constraint commands (`pcs cluster setup/start/stop` would need it).
    static func typeSeed003(_ run: ScenarioRun, provider: String, monitorInterval: String?) throws {
        let operations = monitorInterval.map { ["op", "monitor", "interval=\($0)"] } ?? []
        try run.type(["pcs", "property", "set", "stonith-enabled=false"])
        try run.type(
            ["pcs", "resource", "create", "ClusterIP", "ocf:\(provider):IPaddr2", "ip=\(PacemakerCluster.vip)", "cidr_netmask=32"]
                + operations)
        try run.type(
            [
                "pcs", "resource", "create", "WebSite", "ocf:\(provider):apache", "configfile=/etc/apache2/httpd.conf",
                "statusurl=http://localhost/server-status",
            ] + operations)
        try run.type(["pcs", "constraint", "colocation", "add", "WebSite", "with", "ClusterIP", "INFINITY"])
        try run.type(["pcs", "constraint", "order", "ClusterIP", "then", "WebSite"])
        try run.type(["pcs", "constraint", "location", "WebSite", "prefers", "node1=50"])
        try run.type(["pcs", "constraint", "location", "ClusterIP", "prefers", "node1=50"])
    }

    /// Seed 003 with pcs: ClusterIP and WebSite with explicit monitor operations, colocation,
    /// order and location preferences, then move/ban/clear, faults and a cluster stop.
    @Test func seed003WithPcs() throws {
        Self.check(Self.compare("p3") { provider, tag in
            ScenarioRun.perform(tag, provider: provider, resources: ["ClusterIP", "WebSite"]) { run in
                let cluster = run.cluster
                run.markLogs()
                try Self.typeSeed003(run, provider: provider, monitorInterval: "2s")
                // Failed starts before the colocation existed would show here.
                try cluster.settle()
                try run.cleanup()
                try run.expectPlacement("started", on: "node1")
                MonotonicClock.sleep(milliseconds: 6_000)  // three monitor intervals
                try run.expectRecurringMonitors(["ClusterIP", "WebSite"], on: "node1")
                try run.expectNoFailures("after monitors")

                try run.type(["crm_resource", "--move", "--resource", "ClusterIP", "--node", "node2"])
                try run.expectPlacement("move to node2", on: "node2")
                try run.type(["crm_resource", "--clear", "--resource", "ClusterIP"])
                try run.expectPlacement("clear (prefers node1=50)", on: "node1")
                try run.type(["crm_resource", "--ban", "--resource", "ClusterIP", "--node", "node1"])
                try run.expectPlacement("ban from node1", on: "node2")
                try run.type(["crm_resource", "--clear", "--resource", "ClusterIP"])
                try run.expectPlacement("clear again", on: "node1")
                try run.expectNoFailures("after move, ban, clear")
                run.expectQuietLogs("log until the faults")

                try run.faultsThenClusterStop(apache: "WebSite", address: "ClusterIP")
            }
        })
    }

    /// Seed 001's configuration as `crm configure edit` takes it, for crmsh 4.4 and Pacemaker 2.1:
    /// - `lsb:httpd` does not exist on Debian (its `lsb:apache2` would run the system's apache2
    ///   with the system's configuration), so apache2 is `ocf:PROVIDER:apache` on the node's own
    ///   configuration, with the seed's `op monitor interval="5s"`;
    /// - ip1 gets `op monitor interval="5s"`: the seed monitors only apache2, and without it no
    ///   one would notice the address deleted by hand;
    /// - `property $id="cib-bootstrap-options"` is written `property cib-bootstrap-options:`
    ///   (crmsh 4 refuses `$id=` there); `expected-quorum-votes` is gone (Corosync's votequorum
    ///   with `two_node: 1` decides quorum; Pacemaker 2 calls the property unknown); the `node`
    ///   lines, dc-version and cluster-infrastructure are Pacemaker's own and left out.
    /// The address is the cluster's floating one and `nic="eth0:0"` stays: a label on eth0.
    static func seed001(provider: String) -> String {
        """
        primitive apache2 ocf:\(provider):apache \\
        \tparams configfile="/etc/apache2/httpd.conf" \\
        \top monitor interval="5s"
        primitive ip1 ocf:\(provider):IPaddr2 \\
        \tparams ip="\(PacemakerCluster.vip)" nic="eth0:0" \\
        \top monitor interval="5s"
        primitive ip1arp ocf:\(provider):SendArp \\
        \tparams ip="\(PacemakerCluster.vip)" nic="eth0:0"
        group WebServices ip1 ip1arp apache2
        order arp_after_ip inf: ip1:start ip1arp:start
        order web_after_ip inf: ip1arp:start apache2:start
        colocation ip_with_arp inf: ip1 ip1arp
        colocation web_with_ip inf: apache2 ip1
        property cib-bootstrap-options: \\
        \tstonith-enabled="false" \\
        \tno-quorum-policy="ignore"
        rsc_defaults rsc-options: \\
        \tresource-stickiness="100"

        """
    }

    /// Seed 001 with crmsh: the WebServices group (IPaddr2 with a `nic=eth0:0` label, SendArp,
    /// apache), moved with `crm resource move`, banned and cleared (stickiness 100 keeps it where it
    /// is after a clear), then faults and a cluster stop.
    @Test func seed001WithCrmsh() throws {
        Self.check(Self.compare("c1") { provider, tag in
            ScenarioRun.perform(tag, provider: provider, resources: ["ip1", "ip1arp", "apache2"]) { run in
                let cluster = run.cluster
                try FileSystem.writeAtomically("\(cluster.node1.home)/seed001.crm", contents: Self.seed001(provider: provider))
                try run.type(["crm", "configure", "load", "update", "/run/hakit/seed001.crm"])
                try cluster.settle()
                let first = try cluster.status().nodes(of: "ip1").first ?? "nowhere"
                try run.expectPlacement("started", on: first)
                MonotonicClock.sleep(milliseconds: 11_000)  // two monitor intervals
                try run.expectRecurringMonitors(["ip1", "apache2"], on: first)  // the seed monitors no ip1arp
                try run.expectNoFailures("after monitors")

                try run.type(["crm", "resource", "move", "WebServices", "node2"])
                try run.expectPlacement("move to node2", on: "node2")
                try run.type(["crm", "resource", "clear", "WebServices"])
                try run.expectPlacement("clear (stickiness keeps it)", on: "node2")
                try run.type(["crm", "resource", "ban", "WebServices", "node2"])
                try run.expectPlacement("ban from node2", on: "node1")
                try run.type(["crm", "resource", "clear", "WebServices"])
                try run.expectPlacement("clear again", on: "node1")
                try run.expectNoFailures("after move, ban, clear")
                run.expectQuietLogs("log until the faults")

                try run.faultsThenClusterStop(apache: "apache2", address: "ip1")
            }
        })
    }

    /// Seed 003's two resources created by pcs without `op`: pcs turns every action the meta-data
    /// advertises into an operation, the monitors into recurring ones, so each advertised monitor
    /// must work with the parameters the tutorial gives.
    @Test func pcsWithoutOperations() throws {
        Self.check(Self.compare("po") { provider, tag in
            ScenarioRun.perform(tag, provider: provider, resources: ["ClusterIP", "WebSite"]) { run in
                let cluster = run.cluster
                try Self.typeSeed003(run, provider: provider, monitorInterval: nil)
                try cluster.settle()
                try run.cleanup()
                try run.observeConfiguredOperations()
                try run.expectPlacement("started", on: "node1")
                MonotonicClock.sleep(milliseconds: 11_000)  // a recurring monitor runs at once, and again after 10 s
                try run.expectRecurringMonitors(["ClusterIP", "WebSite"], on: "node1")
                try run.expectNoFailures("after monitors")
                run.expectQuietLogs("log")
                try run.killApache(on: cluster.node1, resource: "WebSite")
            }
        })
    }
}
