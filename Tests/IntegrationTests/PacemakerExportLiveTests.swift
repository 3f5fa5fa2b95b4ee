#if canImport(Glibc)
import Glibc
#endif
import Foundation
import FoundationXML
import HAKitSystem
import HAKitTestSupport
import Testing

/// Issue 12's migration proof: each seed's ha.cf and haresources through the built `heartbeat-lite
/// export`, in each of its three formats, loaded into a live two-node cluster (`PacemakerCluster`)
/// the way the export's own header tells the user to, and serving there: everything started on the
/// home node, the floating address answering from that node alone (and the site, where the seed has
/// httpd), a move to the other node and back, no failed action.
///
/// One cluster per seed (the seeds run at once); the formats follow each other in it, the
/// cluster's configuration put back as it was after each (`reset`).
@Suite struct PacemakerExportLiveTests {
    /// A seed's files adapted to the cluster, as a user moving them there would adapt them.
    struct LiveSeed: Sendable, CustomStringConvertible {
        var name: String
        var haCf: String
        var haresources: String
        /// The init scripts haresources names (stand-ins on the nodes, see `initScript`).
        var initScripts: [String]
        /// Whether the seed runs Apache (`httpd`, which the export makes `ocf:hakit:apache`).
        var servesWeb: Bool
        var description: String { "seed \(name)" }
    }

    /// What is adapted, for every seed, and why; nothing else is changed:
    /// - the node names become the cluster's, node1 and node2: haresources' home node must be the
    ///   Pacemaker node name (the export says so), and ha.cf's `node` lines are what the export
    ///   checks haresources against;
    /// - the floating address becomes the cluster's, 198.51.100.10 on the service network (eth0,
    ///   198.51.100.0/24), without netmask or interface, as the seeds write it: IPaddr finds eth0
    ///   from the route, and the harness's Apache listens on that address;
    /// - `httpd` stays: its export, `ocf:hakit:apache` without configfile, finds the harness's
    ///   /etc/apache2/httpd.conf, the first place the agent looks;
    /// - the other init scripts (Samba, the seed's own `bypassd`, dnsmasq) are stand-ins in the
    ///   nodes' /etc/init.d (`initScript`): the test is about the export, not about those services.
    /// Everything else in ha.cf (serial, bcast, ucast, watchdog, timings) stays; the export only
    /// comments on it.
    static let seeds: [LiveSeed] = [
        LiveSeed(
            name: "000",
            haCf: adapted(
                SeedFiles.sparksupportHaCf,
                ["node1.www.sparksupport.com": "node1", "node2.www.sparksupport.com": "node2"]),
            haresources: adapted(
                SeedFiles.sparksupportHaresources,
                ["node1.www.sparksupport.com": "node1", "201.200.100.5": PacemakerCluster.vip]),
            initScripts: [], servesWeb: true),
        // The line the HOWTO's log shows running; its other lines are spellings of the same group.
        LiveSeed(
            name: "002",
            haCf: adapted(SeedFiles.pawulHaCf, ["linuxha1": "node1", "linuxha2": "node2"]),
            haresources: adapted(
                SeedFiles.pawulHaresourcesLines[0] + "\n", ["linuxha1": "node1", "192.168.85.3": PacemakerCluster.vip]),
            initScripts: ["smb"], servesWeb: true),
        LiveSeed(
            name: "004",
            haCf: adapted(
                SeedFiles.clearOSHaCf, ["firewall1.domain.lan": "node1", "firewall2.domain.lan": "node2"]),
            haresources: adapted(
                SeedFiles.clearOSHaresources, ["firewall1.domain.lan": "node1", "192.168.5.3": PacemakerCluster.vip]),
            initScripts: ["bypassd", "smbd", "nmbd", "dnsmasq"], servesWeb: false),
    ]

    /// `text` with each key replaced by its value; each key must occur (a changed seed shows here).
    static func adapted(_ text: String, _ replacements: [String: String]) -> String {
        replacements.reduce(text) { text, replacement in
            precondition(text.contains(replacement.key), "\(replacement.key) is not in \(text)")
            return text.replacing(replacement.key, with: replacement.value)
        }
    }

    /// One export format: the flag, the line of its header that says how to load it, and that
    /// command (FILE: the export as node1 sees it).
    struct Format: Sendable {
        var flag: String
        var instruction: String
        var command: [String]

        func command(file: String) -> [String] { command.map { $0 == "FILE" ? file : $0 } }
    }

    static let formats = [
        Format(flag: "--crm", instruction: "crm configure load update FILE", command: ["crm", "configure", "load", "update", "FILE"]),
        Format(flag: "--pcs", instruction: "to the running cluster with: sh FILE ", command: ["sh", "FILE"]),
        // cibadmin --replace --scope configuration --xml-file FILE: an XML comment cannot hold "--".
        Format(
            flag: "--cib", instruction: "cibadmin -R -o configuration -x FILE",
            command: ["cibadmin", "-R", "-o", "configuration", "-x", "FILE"]),
    ]

    /// An LSB init script (status 0 running, 3 stopped) that records its state in the node's
    /// private /run.
    static func initScript(_ name: String) -> String {
        """
        #!/bin/sh
        ### BEGIN INIT INFO
        # Provides: \(name)
        # Short-Description: stand-in for the export's live test
        ### END INIT INFO
        state=/run/hakit-lsb-\(name)
        case "$1" in
            start|restart|force-reload) touch "$state" ;;
            stop) rm -f "$state" ;;
            status) [ -e "$state" ] || exit 3 ;;
            *) exit 2 ;;
        esac

        """
    }

    @Test(arguments: seeds)
    func exportServesInALiveCluster(seed: LiveSeed) throws {
        var reports: [ScenarioReport] = []
        try PacemakerCluster.with("s\(seed.name)", prefix: "hk-px") { cluster in
            let node1 = cluster.node1
            try FileSystem.makeDirectories("\(node1.home)/ha.d")
            try FileSystem.writeAtomically("\(node1.home)/ha.d/ha.cf", contents: seed.haCf)
            try FileSystem.writeAtomically("\(node1.home)/ha.d/haresources", contents: seed.haresources)
            var exports: [String: String] = [:]
            for format in Self.formats {
                let result = try TestSupport.run(
                    [TestSupport.binary("heartbeat-lite"), "export", format.flag, "--config-dir", "\(node1.home)/ha.d"])
                guard result.status == 0 else { throw TestFailure("export \(format.flag): \(result.errorOutput)") }
                try #require(result.output.contains(format.instruction), "the \(format.flag) header: \(result.output)")
                try FileSystem.writeAtomically("\(node1.home)/export\(format.flag)", contents: result.output)
                exports[format.flag] = result.output
            }
            let (group, members) = try Self.group(inCIB: exports["--cib"]!)
            for node in cluster.nodes {
                try FileSystem.makeDirectories("\(node.home)/etc/init.d")
                for script in seed.initScripts {
                    try TestSupport.writeScript("\(node.home)/etc/init.d/\(script)", Self.initScript(script))
                }
                let mount = try node.run(["mount", "--bind", "/run/hakit/etc/init.d", "/etc/init.d"])
                guard mount.status == 0 else { throw TestFailure("/etc/init.d on \(node.name): \(mount.errorOutput)") }
            }

            try cluster.start()
            // The harness's own configuration, put back after each format. (No `settle` while it
            // is in force: `crm_resource --wait` on it reported pending actions until its timeout;
            // it sets no stonith-enabled=false, the export does.)
            let initial = try node1.run(["cibadmin", "--query", "--scope", "configuration"])
            guard initial.status == 0 else { throw TestFailure("cibadmin --query: \(initial.errorOutput)") }
            try FileSystem.writeAtomically("\(node1.home)/initial-configuration.xml", contents: initial.output)

            for format in Self.formats {
                let start = MonotonicClock.milliseconds()
                let run = ScenarioRun(cluster: cluster, provider: "export \(format.flag)", resources: members)
                let live = LiveRun(run: run, seed: seed)
                run.markLogs()
                try run.type(format.command(file: "/run/hakit/export\(format.flag)"))
                try live.expectServing("loaded", on: "node1")
                try run.type(["crm_resource", "--move", "--resource", group, "--node", "node2"])
                try live.expectServing("move to node2", on: "node2")
                try run.type(["crm_resource", "--clear", "--resource", group])
                // auto_failback on (000, 004) or not set (002, heartbeat's legacy): no stickiness.
                try live.expectServing("clear (home node1 preferred)", on: "node1")
                try run.expectRecurringMonitors(members, on: "node1")
                try run.expectNoFailures("after move and clear")
                run.expectQuietLogs("log")
                try live.reset(initialConfiguration: "/run/hakit/initial-configuration.xml")
                run.report.wallMilliseconds = MonotonicClock.milliseconds() - start
                reports.append(run.report)
            }
        }
        for report in reports {
            print("seed \(seed.name), \(report.provider): \(report.wallMilliseconds) ms")
            print(report.observations.map { "  \($0)" }.joined(separator: "\n"))
            #expect(report.problems.isEmpty, "seed \(seed.name), \(report.provider):\n\(report.problems.joined(separator: "\n"))\n\(report.diagnostics)")
        }
        #expect(reports.count == Self.formats.count)
    }

    /// The export's one group and its members in start order, from its CIB form.
    static func group(inCIB text: String) throws -> (String, [String]) {
        let document = try XMLDocument(xmlString: text)
        let groups = try document.nodes(forXPath: "//resources/group").compactMap { $0 as? XMLElement }
        guard groups.count == 1, let id = groups[0].attribute(forName: "id")?.stringValue else {
            throw TestFailure("expected one group in the export: \(text)")
        }
        let members = groups[0].elements(forName: "primitive").compactMap { $0.attribute(forName: "id")?.stringValue }
        return (id, members)
    }
}

/// The checks of one format's run, on top of `ScenarioRun`'s.
struct LiveRun {
    let run: ScenarioRun
    let seed: PacemakerExportLiveTests.LiveSeed
    var cluster: PacemakerCluster { run.cluster }

    /// Waits for the cluster to settle, then expects the group on `node` alone: its members
    /// started there, the floating address on that node only and answering the client's ARP from
    /// it, Apache serving from it (or running nowhere, for a seed without httpd), the init
    /// scripts' services running there only.
    func expectServing(_ step: String, on node: String) throws {
        try cluster.settle()
        let placed = cluster.waitUntil(timeoutMilliseconds: 20_000) {
            guard try cluster.status().allStarted(run.resources, on: node), try cluster.vipHolders() == [node],
                try answeringNode() == node, try serviceNodes() == (seed.initScripts.isEmpty ? [] : [node])
            else { return false }
            guard seed.servesWeb else { return try cluster.apacheNodes().isEmpty }
            return try cluster.page() == "Served by \(node)" && cluster.apacheNodes() == [node]
        }
        let status = try? cluster.status()
        let placement = run.resources.map { "\($0)@\(status?.nodes(of: $0).joined(separator: ",") ?? "?")" }
        let seen = "\(placement.joined(separator: " ")); vip on \((try? cluster.vipHolders()) ?? []), "
            + "answers from \(((try? answeringNode()) ?? nil) ?? "none"); page \(((try? cluster.page()) ?? nil) ?? "none"); "
            + "apache on \((try? cluster.apacheNodes()) ?? []); services on \((try? serviceNodes()) ?? [])"
        run.observe(step, placed == nil ? "not placed: \(seen)" : "all on \(node), answering from \(node) alone")
        if placed == nil { run.problem("\(step): expected everything on \(node) alone, saw \(seen)") }
    }

    /// The node whose eth0 answers the client's ARP for the floating address: the client's
    /// neighbour entry is flushed, a ping sent, and the entry's link address looked up.
    func answeringNode() throws -> String? {
        _ = try? cluster.client.ip("neigh", "flush", "to", PacemakerCluster.vip)
        let ping = try cluster.client.exec(["ping", "-c", "1", "-W", "1", "-q", PacemakerCluster.vip])
        guard ping.status == 0 else { return nil }
        let entry = try cluster.client.ip("neigh", "show", "to", PacemakerCluster.vip).split(separator: " ")
        guard let index = entry.firstIndex(of: "lladdr"), index + 1 < entry.count else { return nil }
        let address = String(entry[index + 1])
        return try cluster.nodes.first { try $0.namespace.ip("-br", "link", "show", "eth0").contains(address) }?.name
    }

    /// The nodes where one of the init scripts' services runs (its state file exists).
    func serviceNodes() throws -> [String] {
        guard !seed.initScripts.isEmpty else { return [] }
        let test = seed.initScripts.map { "[ -e /run/hakit-lsb-\($0) ]" }.joined(separator: " || ")
        return try cluster.nodes.filter { try $0.shell(test).status == 0 }.map(\.name)
    }

    /// Stops everything (`stop-all-resources`), then puts the cluster's configuration back as it
    /// was before the export and clears the resources' history: the next format starts clean (and
    /// from stonith-enabled's default, so its own properties must make it run).
    func reset(initialConfiguration path: String) throws {
        try run.type(["crm_attribute", "--type", "crm_config", "--name", "stop-all-resources", "--update", "true"])
        try cluster.settle()
        let stopped = cluster.waitUntil(timeoutMilliseconds: 20_000) {
            try cluster.vipHolders().isEmpty && cluster.apacheNodes().isEmpty && serviceNodes().isEmpty
        }
        if stopped == nil { run.problem("stop-all-resources: something still runs") }
        try run.type(["cibadmin", "--replace", "--scope", "configuration", "--xml-file", path])
        try run.type(["crm_resource", "--cleanup"])
    }
}
