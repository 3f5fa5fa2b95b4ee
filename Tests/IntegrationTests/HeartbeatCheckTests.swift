#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import HAKitTestSupport
import Testing

/// `heartbeat-lite check` on configuration directories the tests write (seed 000's files, only
/// the addresses changed to documentation ranges).
@Suite struct HeartbeatCheckTests {
    static let haCf = SeedFiles.sparksupportHaCf

    func withConfiguration(
        haCf: String = haCf, haresources: String = "node1.www.sparksupport.com 203.0.113.5 httpd\n",
        authkeys: String = "auth 2\n2 sha1 test-ha\n", mode: mode_t = 0o600, _ body: (String) throws -> Void
    ) throws {
        let directory = try TestSupport.temporaryDirectory("hacheck")
        defer { TestSupport.removeTree(directory) }
        try FileSystem.writeAtomically("\(directory)/ha.cf", contents: haCf)
        try FileSystem.writeAtomically("\(directory)/haresources", contents: haresources)
        try FileSystem.writeAtomically("\(directory)/authkeys", contents: authkeys, mode: 0o600)
        chmod("\(directory)/authkeys", mode)
        // The seeds' scripts, as stand-ins in resource.d (check's default: CONFIG-DIR/resource.d).
        try FileSystem.makeDirectories("\(directory)/resource.d")
        for script in Self.seedScripts {
            try FileSystem.writeAtomically("\(directory)/resource.d/\(script)", contents: "#!/bin/sh\nexit 0\n", mode: 0o755)
        }
        try body(directory)
    }

    /// The resource scripts the seeds' haresources name.
    static let seedScripts = ["httpd", "httpd2", "smb", "maid"]

    func check(_ directory: String, node: String = "node1.www.sparksupport.com") throws -> TestSupport.CommandResult {
        try TestSupport.run([TestSupport.binary("heartbeat-lite"), "check", "--config-dir", directory, "--node", node])
    }

    @Test func seedConfigurationIsAcceptedAndItsGroupShown() throws {
        try withConfiguration { directory in
            let result = try check(directory)
            #expect(result.status == 0, "\(result.errorOutput)")
            #expect(result.output.contains("is valid for node node1.www.sparksupport.com"))
            #expect(result.output.contains("timing: keepalive 2000 ms, warntime 10000 ms, deadtime 30000 ms, initdead 120000 ms"))
            #expect(result.output.contains("auto_failback: on"))
            #expect(result.output.contains("group 203.0.113.5 (home node this node, haresources line 1):\n  1. ocf:hakit:IPaddr ip=203.0.113.5\n  2. heartbeat:httpd\n  stop order: httpd, 203.0.113.5\n"))
        }
    }

    @Test func pingNodesAndIpfailAreShownAndAHostNameIsRefused() throws {
        let withPing = Self.haCf + "ping 203.0.113.254\nping_group gw 198.51.100.1 198.51.100.2\nrespawn hacluster /usr/lib/heartbeat/ipfail\n"
        try withConfiguration(haCf: withPing) { directory in
            let result = try check(directory)
            #expect(result.status == 0, "\(result.errorOutput)")
            #expect(result.output.contains("ping nodes: ping 203.0.113.254; ping_group gw 198.51.100.1 198.51.100.2; deadping 30000 ms; ipfail's rule on\n"), "\(result.output)")
        }
        try withConfiguration(haCf: Self.haCf + "ping gateway.example.com\n") { directory in
            let result = try check(directory)
            #expect(result.status == 1)
            #expect(result.errorOutput.contains("ping: \"gateway.example.com\" is not an IPv4 address"), "\(result.errorOutput)")
        }
    }

    @Test func seed002ShorthandsBecomeAgentParameters() throws {
        let haresources = """
            node1.www.sparksupport.com 192.0.2.3/27/192.0.2.16 httpd \\
                smb maid::vacuum
            node2.www.sparksupport.com IPaddr2::198.51.100.7/24/eth0 httpd2

            """
        try withConfiguration(haresources: haresources) { directory in
            let result = try check(directory)
            #expect(result.status == 0, "\(result.errorOutput)")
            #expect(result.output.contains("  1. ocf:hakit:IPaddr ip=192.0.2.3 cidr_netmask=27 broadcast=192.0.2.16\n  2. heartbeat:httpd\n  3. heartbeat:smb\n  4. heartbeat:maid::vacuum\n"))
            #expect(result.output.contains("group IPaddr2::198.51.100.7/24/eth0 (home node node2.www.sparksupport.com, haresources line 3):\n  1. ocf:hakit:IPaddr2 ip=198.51.100.7 cidr_netmask=24 nic=eth0 lvs_support=true\n"))
        }
    }

    /// hakit.cf (issue 10): optional; when present, checked with file:line errors next to the
    /// other files' and shown per resource; ha.cf and haresources stay as heartbeat has them.
    @Test func hakitCfIsOptionalCheckedAndShown() throws {
        try withConfiguration { directory in
            let result = try check(directory)
            #expect(result.status == 0, "\(result.errorOutput)")
            #expect(result.output.contains("resource monitor (hakit.cf: none, defaults): every 10000 ms, timeout 20000 ms, migration_threshold 3, failure_timeout 300000 ms\n"))
            try FileSystem.writeAtomically(
                "\(directory)/hakit.cf", contents: "monitor_interval 2\nresource httpd monitor off\nresource 203.0.113.5 migration_threshold 1\n")
            let valid = try check(directory)
            #expect(valid.status == 0, "\(valid.errorOutput)")
            #expect(valid.output.contains("resource monitor (hakit.cf): every 2000 ms, timeout 20000 ms"))
            #expect(valid.output.contains("  monitor httpd: off\n"))
            #expect(valid.output.contains("  monitor 203.0.113.5: every 2000 ms, timeout 20000 ms, migration_threshold 1, failure_timeout 300000 ms\n"))
            try FileSystem.writeAtomically(
                "\(directory)/hakit.cf", contents: "# hakit\nmonitor_interval soon\nresource apache monitor off\n")
            let wrong = try check(directory)
            #expect(wrong.status == 1)
            #expect(wrong.errorOutput.contains("\(directory)/hakit.cf:2: monitor_interval soon: not a time"), "\(wrong.errorOutput)")
            #expect(wrong.errorOutput.contains("\(directory)/hakit.cf:3: no resource apache in haresources (resources: 203.0.113.5, httpd)"), "\(wrong.errorOutput)")
        }
    }

    /// A script that fails the group at takeover is found now: missing from resource.d and
    /// init.d, not executable, or not a file; the same directories as `run` (--resource-dir,
    /// --init-dir), and init.d is the fallback.
    @Test func scriptsThatCannotRunAreProblemsAtTheirLine() throws {
        let haresources = "node1.www.sparksupport.com 203.0.113.5 httpd\nnode2.www.sparksupport.com 203.0.113.6 nosuch mode644 adir webapp::x\n"
        try withConfiguration(haresources: haresources) { directory in
            let initDirectory = "\(directory)/init.d"
            try FileSystem.writeAtomically("\(directory)/resource.d/mode644", contents: "#!/bin/sh\nexit 0\n", mode: 0o644)
            try FileSystem.makeDirectories("\(directory)/resource.d/adir")
            try FileSystem.makeDirectories(initDirectory)
            try FileSystem.writeAtomically("\(initDirectory)/webapp", contents: "#!/bin/sh\nexit 0\n", mode: 0o755)
            let result = try TestSupport.run([
                TestSupport.binary("heartbeat-lite"), "check", "--config-dir", directory, "--node", "node1.www.sparksupport.com",
                "--init-dir", initDirectory,
            ])
            #expect(result.status == 1)
            let file = "\(directory)/haresources"
            #expect(result.errorOutput.contains("\(file):2: group 203.0.113.6, resource nosuch: no script nosuch in \(directory)/resource.d or \(initDirectory)\n"), "\(result.errorOutput)")
            #expect(result.errorOutput.contains("\(file):2: group 203.0.113.6, resource mode644: \(directory)/resource.d/mode644 is not executable (mode 644)\n"))
            #expect(result.errorOutput.contains("\(file):2: group 203.0.113.6, resource adir: \(directory)/resource.d/adir is a directory, not a script\n"))
            #expect(!result.errorOutput.contains("webapp"), "init.d is the fallback: \(result.errorOutput)")
            #expect(!result.errorOutput.contains("httpd"))
            #expect(result.errorOutput.contains("3 problem(s)"))
            // Without --init-dir the fallback is /etc/init.d, which has no webapp.
            let defaults = try check(directory)
            #expect(defaults.errorOutput.contains("resource webapp::x: no script webapp in \(directory)/resource.d or /etc/init.d"), "\(defaults.errorOutput)")
        }
    }

    @Test func everyProblemIsReportedWithFileAndLine() throws {
        try withConfiguration(
            haCf: Self.haCf + "crm respawn\nfrobnicate yes\n", mode: 0o644
        ) { directory in
            let result = try check(directory)
            #expect(result.status == 1)
            #expect(result.output.isEmpty, "nothing is shown as if it would run")
            #expect(result.errorOutput.contains("\(directory)/ha.cf:13: crm respawn: "))
            #expect(result.errorOutput.contains("use Pacemaker"))
            #expect(result.errorOutput.contains("\(directory)/ha.cf:14: unknown directive \"frobnicate\""))
            #expect(result.errorOutput.contains("authkeys \(directory)/authkeys has mode 0644; it must be 0600 and owned by root"))
            #expect(result.errorOutput.hasSuffix("heartbeat-lite: 3 problem(s) in \(directory); nothing would be started\n"))
        }
    }

    @Test func groupForAnUnknownNodeIsRefused() throws {
        try withConfiguration(haresources: "# comment\nnode3 203.0.113.5 httpd\n") { directory in
            let result = try check(directory)
            #expect(result.status == 1)
            #expect(result.errorOutput.contains("\(directory)/haresources:2: "), "\(result.errorOutput)")
            #expect(result.errorOutput.contains("node3"))
        }
    }

    @Test func localNodeMustBeListed() throws {
        try withConfiguration { directory in
            let result = try check(directory, node: "somebody-else")
            #expect(result.status == 1)
            #expect(result.errorOutput.contains("somebody-else"))
        }
    }

    @Test func missingFileIsNamed() throws {
        try withConfiguration { directory in
            try FileSystem.remove("\(directory)/authkeys")
            let result = try check(directory)
            #expect(result.status == 1)
            #expect(result.errorOutput.contains("\(directory)/authkeys: file not found"))
        }
    }
}
