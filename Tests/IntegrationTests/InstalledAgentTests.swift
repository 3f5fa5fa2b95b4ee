import Foundation
import HAKitSystem
import HAKitTestSupport
import Testing

/// The agents as users get them: `make install`, links named after each agent, Debian's
/// `ocf-tester` and Pacemaker's `crm_resource`.
@Suite(.serialized) struct InstalledAgentTests {
    /// Installs the tested build into a fresh DESTDIR and runs `body` with it.
    func withInstall(_ body: (String) throws -> Void) throws {
        let destination = try TestSupport.temporaryDirectory("install", mode: 0o755)
        defer { TestSupport.removeTree(destination) }
        // LIBDIR inside OCF_ROOT, so one bind mount shows the whole tree to crm_resource.
        let make = try TestSupport.run([
            "make", "-s", "-C", TestSupport.packageRoot, "install-files", "BIN=\(TestSupport.binDirectory)",
            "DESTDIR=\(destination)", "LIBDIR=/usr/lib/ocf/lib/hakit",
        ])
        try #require(make.status == 0, "make install-files: \(make.errorOutput)")
        try body(destination)
    }

    /// Runs a shell script in a private mount namespace where the installed tree is /usr/lib/ocf.
    func inMountNamespace(_ destination: String, _ script: String) throws -> TestSupport.CommandResult {
        try TestSupport.run([
            "unshare", "--mount", "sh", "-c",
            "mount --make-rprivate / && mount --bind \(destination)/usr/lib/ocf /usr/lib/ocf && \(script)",
        ])
    }

    @Test func installLinksEveryAgentToTheOneBinary() throws {
        try withInstall { destination in
            let agents = try TestSupport.run([TestSupport.binary("hakit-agent"), "--list"]).output.split(separator: "\n")
            #expect(agents.contains("Dummy"))
            for agent in agents {
                let link = "\(destination)/usr/lib/ocf/resource.d/hakit/\(agent)"
                let target = try TestSupport.run(["readlink", link]).output
                #expect(target == "../../lib/hakit/hakit-agent\n")
                let metadata = try TestSupport.run([link, "meta-data"], environment: [:])
                #expect(metadata.status == 0)
                #expect(metadata.output.contains("<resource-agent name=\"\(agent)\""))
            }
            #expect(FileSystem.exists("\(destination)/usr/sbin/ocf-run"))
        }
    }

    @Test func installPutsAHeartbeatLiteUnitThatSystemdAccepts() throws {
        let root = try TestSupport.temporaryDirectory("unit", mode: 0o755)
        defer { TestSupport.removeTree(root) }
        let make = try TestSupport.run([
            "make", "-s", "-C", TestSupport.packageRoot, "install-files", "BIN=\(TestSupport.binDirectory)", "DESTDIR=",
            "SBINDIR=\(root)/sbin", "UNITDIR=\(root)/unit", "LIBDIR=\(root)/lib", "OCF_ROOT=\(root)/ocf",
            // Everything else too, so that nothing lands in the host's /usr.
            "HBCOMPATDIR=\(root)/lib/bin", "MANDIR=\(root)/man", "COMPLETIONDIR=\(root)/completion",
        ])
        try #require(make.status == 0, "make install-files: \(make.errorOutput)")
        let unit = "\(root)/unit/heartbeat-lite.service"
        let text = try #require(try FileSystem.read(unit))
        #expect(text.contains("ExecStart=\(root)/sbin/heartbeat-lite run "))
        #expect(text.contains("Type=notify"))
        #expect(!text.contains("@SBINDIR@"))
        // Offline verification: unknown keys and missing executables make it fail.
        let verify = try TestSupport.run(["systemd-analyze", "verify", unit])
        #expect(verify.status == 0 && verify.errorOutput.isEmpty, "\(verify.errorOutput)")
    }

    @Test func uninstallRemovesEverythingInstallPut() throws {
        try withInstall { destination in
            let uninstall = try TestSupport.run([
                "make", "-s", "-C", TestSupport.packageRoot, "uninstall", "DESTDIR=\(destination)",
                "LIBDIR=/usr/lib/ocf/lib/hakit",
            ])
            #expect(uninstall.status == 0, "\(uninstall.errorOutput)")
            let left = try TestSupport.run(["find", destination, "-not", "-type", "d"]).output
            #expect(left.isEmpty, "left behind: \(left)")
            #expect(!FileSystem.exists("\(destination)/usr/lib/ocf/resource.d/hakit"))
        }
    }

    @Test func pacemakerListsShowsAndValidatesTheAgents() throws {
        try withInstall { destination in
            let list = try inMountNamespace(destination, "crm_resource --list-agents ocf:hakit")
            #expect(list.status == 0, "\(list.errorOutput)")
            #expect(list.output.split(separator: "\n").contains("Dummy"))

            let show = try inMountNamespace(destination, "crm_resource --show-metadata ocf:hakit:Dummy")
            #expect(show.status == 0)
            #expect(show.output.contains("<parameter name=\"state\" unique=\"1\" required=\"0\">"))

            let good = try inMountNamespace(
                destination, "crm_resource --validate --class ocf --provider hakit --agent Dummy --option fake=x")
            #expect(good.status == 0, "\(good.output)\(good.errorOutput)")
            let bad = try inMountNamespace(
                destination,
                "crm_resource --validate --class ocf --provider hakit --agent Dummy --option state=/nonexistent/x")
            #expect(bad.status != 0)
            #expect(bad.output.contains("state directory /nonexistent (from state=/nonexistent/x) does not exist"))

            #expect(list.output.split(separator: "\n").contains("IPaddr2"))
            let ipShow = try inMountNamespace(destination, "crm_resource --show-metadata ocf:hakit:IPaddr2")
            #expect(ipShow.status == 0, "\(ipShow.errorOutput)")
            #expect(ipShow.output.contains("<resource-agent name=\"IPaddr2\""))
            #expect(ipShow.output.contains("<parameter name=\"ip\" unique=\"1\" required=\"1\">"))
            // validate-all only reads: nic=lo with a netmask needs no route, so it holds on any host.
            let validate = "crm_resource --validate --class ocf --provider hakit --agent IPaddr2 --option ip=203.0.113.10"
            let ipGood = try inMountNamespace(destination, validate + " --option nic=lo --option cidr_netmask=32")
            #expect(ipGood.status == 0, "\(ipGood.output)\(ipGood.errorOutput)")
            #expect(ipGood.output.contains("Operation validate (ocf:hakit:IPaddr2) returned 0 (ok)"))
            #expect(!ipGood.output.contains("ocf-exit-reason"))
            let ipBad = try inMountNamespace(destination, validate + " --option nic=hakit-no-nic --option cidr_netmask=32")
            // An interface missing on this node is invalid on this host (2), never "not configured" (6).
            #expect(ipBad.status == 2, "\(ipBad.output)\(ipBad.errorOutput)")
            #expect(ipBad.output.contains("returned 2 (invalid parameter: nic=hakit-no-nic does not exist on this node"))
            let ipMask = try inMountNamespace(destination, validate + " --option nic=lo --option cidr_netmask=33")
            #expect(ipMask.status == 6)
            #expect(ipMask.output.contains("returned 6 (not configured: invalid cidr_netmask \"33\""))
        }
    }

    @Test func dummyPassesDebiansOcfTester() throws {
        try withInstall { destination in
            let state = "\(destination)/d1.state"
            let agent = "\(destination)/usr/lib/ocf/resource.d/hakit/Dummy"
            let result = try TestSupport.run(["ocf-tester", "-n", "d1", "-o", "state=\(state)", agent], timeoutMilliseconds: 120_000)
            #expect(result.status == 0, "\(result.output)\(result.errorOutput)")
            #expect(result.output.contains("passed all tests"))
            // ocf-tester's last step runs migrate_from on the stopped resource, which starts it
            // (shared/spec.md §1.7): the state file is left behind, as with the stock Dummy.
            #expect(FileSystem.exists(state))
        }
    }
}
