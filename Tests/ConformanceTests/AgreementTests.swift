#if canImport(Glibc)
    import Glibc
#endif
import HAKitSystem
import HAKitTestSupport
import Testing

/// `ocf-conformance` and Debian's `ocf-tester` reach the same verdict on the same agent: both
/// pass the stock and our Dummy and the stock network agents, both fail broken agents, and
/// `ocf-conformance` alone fails the defects ocf-tester is blind to.
@Suite struct AgreementTests {
    let tool = TestSupport.binary("ocf-conformance")

    /// Both verdicts: whether each tool passed the agent.
    struct Verdicts: Equatable, CustomStringConvertible {
        var ocfTester: Bool
        var ocfConformance: Bool
        var log = ""
        static func == (lhs: Verdicts, rhs: Verdicts) -> Bool {
            lhs.ocfTester == rhs.ocfTester && lhs.ocfConformance == rhs.ocfConformance
        }
        var description: String { "ocf-tester \(ocfTester), ocf-conformance \(ocfConformance)\n\(log)" }
    }

    /// Runs both tools on an agent with the same name and parameters, optionally through a
    /// prefix such as `ip netns exec NS`.
    func verdicts(
        _ agent: String, name: String, parameters: [String], prefix: [String] = [], environment: [String: String]? = nil
    ) throws -> Verdicts {
        let options = parameters.flatMap { ["-o", $0] }
        let tester = try TestSupport.run(
            prefix + ["/usr/sbin/ocf-tester", "-n", name] + options + [agent], environment: environment,
            timeoutMilliseconds: 120_000)
        let conformance = try TestSupport.run(
            prefix + [tool, "-n", name] + options + [agent], environment: environment, timeoutMilliseconds: 120_000)
        return Verdicts(
            ocfTester: tester.status == 0, ocfConformance: conformance.status == 0,
            log: tester.output + tester.errorOutput + conformance.output + conformance.errorOutput)
    }

    @Test func stockDummyPassesBoth() throws {
        let directory = try TestSupport.temporaryDirectory("conf-agree-stock")
        defer { TestSupport.removeTree(directory) }
        let result = try verdicts(
            "/usr/lib/ocf/resource.d/heartbeat/Dummy", name: "d1", parameters: ["state=\(directory)/state"])
        #expect(result == Verdicts(ocfTester: true, ocfConformance: true), "\(result)")
    }

    @Test func ourDummyPassesBoth() throws {
        // ocf-tester runs meta-data as nobody, who must reach the agent: a 0755 directory.
        let root = try TestSupport.temporaryDirectory("conf-agree-hakit", mode: 0o755)
        defer { TestSupport.removeTree(root) }
        try FileSystem.makeDirectories("\(root)/resource.d/hakit")
        let agent = "\(root)/resource.d/hakit/Dummy"
        try TestSupport.linkAgent(at: agent)
        let result = try verdicts(agent, name: "d1", parameters: ["state=\(root)/state"])
        #expect(result == Verdicts(ocfTester: true, ocfConformance: true), "\(result)")
        #expect(!FileSystem.exists("\(root)/state"))
    }

    @Test func stopOnStoppedAnsweringSevenFailsBoth() throws {
        let agent = try TestAgent("agree-stop", defects: [.stopTwiceNotRunning])
        defer { agent.remove() }
        let result = try verdicts(agent.path, name: "t", parameters: ["name=x"])
        #expect(result == Verdicts(ocfTester: false, ocfConformance: false), "\(result)")
    }

    @Test func metadataWithoutDoctypeFailsBoth() throws {
        let agent = try TestAgent("agree-doctype", defects: [.noDoctype])
        defer { agent.remove() }
        let result = try verdicts(agent.path, name: "t", parameters: ["name=x"])
        #expect(result == Verdicts(ocfTester: false, ocfConformance: false), "\(result)")
    }

    @Test func correctScriptAgentPassesBoth() throws {
        let agent = try TestAgent("agree-correct", features: [.notify, .promotable, .reload])
        defer { agent.remove() }
        let result = try verdicts(agent.path, name: "t", parameters: ["name=x"])
        #expect(result == Verdicts(ocfTester: true, ocfConformance: true), "\(result)")
    }

    /// The defects ocf-tester cannot see: it passes these agents, ocf-conformance does not.
    @Test(arguments: [TestAgent.Defect.notifyNotAdvertised, .unknownSucceeds, .promotedRoleHidden])
    func stricterThanOCFTester(defect: TestAgent.Defect) throws {
        let features: Set<TestAgent.Feature> = defect == .promotedRoleHidden ? [.promotable] : []
        let agent = try TestAgent("agree-\(defect.rawValue)", features: features, defects: [defect])
        defer { agent.remove() }
        let result = try verdicts(agent.path, name: "t", parameters: ["name=x"])
        #expect(result == Verdicts(ocfTester: true, ocfConformance: false), "\(result)")
    }

    @Test func slowerThanAdvertisedIsStricterToo() throws {
        let agent = try TestAgent("agree-slow", defects: [.slowStop])
        defer { agent.remove() }
        let result = try verdicts(agent.path, name: "t", parameters: ["name=x"])
        #expect(result == Verdicts(ocfTester: true, ocfConformance: false), "\(result)")
    }

    @Test func stockIPaddr2InANamespacePassesBoth() throws {
        try #require(TestSupport.isRoot, "network namespaces need root")
        let namespace = try TestNamespace("ipaddr2", baseAddress: "203.0.113.2/24")
        defer { namespace.delete() }
        let state = try TestSupport.temporaryDirectory("conf-agree-ipaddr2")
        defer { TestSupport.removeTree(state) }
        var environment = TestSupport.currentEnvironment()
        environment["HA_RSCTMP"] = state
        let result = try verdicts(
            "/usr/lib/ocf/resource.d/heartbeat/IPaddr2", name: "vip", parameters: ["ip=203.0.113.10"],
            prefix: namespace.exec([]), environment: environment)
        #expect(result == Verdicts(ocfTester: true, ocfConformance: true), "\(result)")
    }

    @Test func stockSendArpInANamespacePassesBoth() throws {
        try #require(TestSupport.isRoot, "network namespaces need root")
        let namespace = try TestNamespace("sendarp", baseAddress: "203.0.113.3/24")
        defer { namespace.delete() }
        let state = try TestSupport.temporaryDirectory("conf-agree-sendarp")
        defer { TestSupport.removeTree(state) }
        var environment = TestSupport.currentEnvironment()
        environment["HA_RSCTMP"] = state
        let result = try verdicts(
            "/usr/lib/ocf/resource.d/heartbeat/SendArp", name: "arp", parameters: ["ip=203.0.113.3", "nic=eth0"],
            prefix: namespace.exec([]), environment: environment)
        #expect(result == Verdicts(ocfTester: true, ocfConformance: true), "\(result)")
    }

    @Test(arguments: [
        ("IPaddr2", ["ip=203.0.113.10"]), ("IPaddr", ["ip=203.0.113.11"]), ("SendArp", ["ip=203.0.113.12", "nic=eth0"]),
    ])
    func ourNetworkAgentsInANamespacePassBoth(type: String, parameters: [String]) throws {
        try #require(TestSupport.isRoot, "network namespaces need root")
        let namespace = try TestNamespace("ours-\(type.lowercased())", baseAddress: "203.0.113.2/24")
        defer { namespace.delete() }
        // ocf-tester runs meta-data as nobody, who must reach the agent: a 0755 directory.
        let root = try TestSupport.temporaryDirectory("conf-agree-\(type.lowercased())", mode: 0o755)
        defer { TestSupport.removeTree(root) }
        try FileSystem.makeDirectories("\(root)/resource.d/hakit")
        let agent = "\(root)/resource.d/hakit/\(type)"
        try TestSupport.linkAgent(at: agent)
        var environment = TestSupport.currentEnvironment()
        environment["HA_RSCTMP"] = "\(root)/state"
        let result = try verdicts(agent, name: "r1", parameters: parameters, prefix: namespace.exec([]), environment: environment)
        #expect(result == Verdicts(ocfTester: true, ocfConformance: true), "\(result)")
    }

    /// Writes a minimal Apache configuration into `directory` (0755: the workers run as www-data):
    /// its own ServerRoot, pid file, error log and runtime directory, Listen on `address` (inside
    /// the test's namespace), and a /server-status location. Returns the configuration file.
    func writeApacheConfig(in directory: String, address: String) throws -> String {
        let modules = "/usr/lib/apache2/modules"
        try FileSystem.makeDirectories("\(directory)/htdocs")
        try FileSystem.writeAtomically("\(directory)/htdocs/index.html", contents: "<html><body>HAKit</body></html>\n")
        let file = "\(directory)/httpd.conf"
        try FileSystem.writeAtomically(
            file,
            contents: """
                ServerRoot "\(directory)"
                ServerName agreement.test
                LoadModule mpm_prefork_module \(modules)/mod_mpm_prefork.so
                LoadModule authz_core_module \(modules)/mod_authz_core.so
                LoadModule status_module \(modules)/mod_status.so
                LoadModule dir_module \(modules)/mod_dir.so
                User www-data
                Group www-data
                StartServers 1
                MinSpareServers 1
                MaxSpareServers 2
                ErrorLog \(directory)/error.log
                DefaultRuntimeDir \(directory)
                PidFile \(directory)/httpd.pid
                Listen \(address):80
                DocumentRoot "\(directory)/htdocs"
                DirectoryIndex index.html
                <Location /server-status>
                    SetHandler server-status
                    Require all granted
                </Location>

                """)
        return file
    }

    /// Kills by pid whatever still runs in the namespace (an httpd a failed run left behind).
    func killEverything(in namespace: TestNamespace) {
        let pids = (try? TestSupport.run(["ip", "netns", "pids", namespace.name]).output) ?? ""
        for pid in pids.split(separator: "\n").compactMap({ pid_t($0) }) { kill(pid, SIGKILL) }
    }

    /// Both tools on an apache agent inside a namespace of the test's own, with a configuration
    /// of the test's own: nothing touches the host's apache, /etc/apache2 or the host's ports.
    func apacheVerdicts(_ label: String, agent: (String) throws -> String) throws -> (Verdicts, String) {
        let namespace = try TestNamespace(label, baseAddress: "203.0.113.20/24")
        defer { namespace.delete() }
        defer { killEverything(in: namespace) }
        let directory = try TestSupport.temporaryDirectory("conf-agree-\(label)", mode: 0o755)
        defer { TestSupport.removeTree(directory) }
        let config = try writeApacheConfig(in: directory, address: "203.0.113.20")
        var environment = TestSupport.currentEnvironment()
        environment["HA_RSCTMP"] = directory
        let result = try verdicts(
            try agent(directory), name: "web", parameters: ["configfile=\(config)"], prefix: namespace.exec([]),
            environment: environment)
        let left = (try? TestSupport.run(["ip", "netns", "pids", namespace.name]).output) ?? ""
        return (result, left)
    }

    @Test func stockApacheInANamespacePassesBoth() throws {
        try #require(TestSupport.isRoot, "network namespaces need root")
        let (result, left) = try apacheVerdicts("apache-stock") { _ in "/usr/lib/ocf/resource.d/heartbeat/apache" }
        #expect(result == Verdicts(ocfTester: true, ocfConformance: true), "\(result)")
        #expect(left.isEmpty, "processes left in the namespace: \(left)")
    }

    @Test func ourApacheInANamespacePassesBoth() throws {
        try #require(TestSupport.isRoot, "network namespaces need root")
        let (result, left) = try apacheVerdicts("apache-ours") { directory in
            // ocf-tester runs meta-data as nobody, who must reach the agent: a 0755 directory.
            try FileSystem.makeDirectories("\(directory)/resource.d/hakit")
            let agent = "\(directory)/resource.d/hakit/apache"
            try TestSupport.linkAgent(at: agent)
            return agent
        }
        #expect(result == Verdicts(ocfTester: true, ocfConformance: true), "\(result)")
        #expect(left.isEmpty, "processes left in the namespace: \(left)")
    }

    @Test func ipaddr2WithAnInterfaceThatDoesNotExistFailsBoth() throws {
        try #require(TestSupport.isRoot, "network namespaces need root")
        let namespace = try TestNamespace("ipaddr2-bad", baseAddress: "203.0.113.4/24")
        defer { namespace.delete() }
        let state = try TestSupport.temporaryDirectory("conf-agree-ipaddr2-bad")
        defer { TestSupport.removeTree(state) }
        var environment = TestSupport.currentEnvironment()
        environment["HA_RSCTMP"] = state
        let result = try verdicts(
            "/usr/lib/ocf/resource.d/heartbeat/IPaddr2", name: "vip", parameters: ["ip=203.0.113.11", "nic=eth9"],
            prefix: namespace.exec([]), environment: environment)
        #expect(result == Verdicts(ocfTester: false, ocfConformance: false), "\(result)")
    }

    @Test func theTestNamespaceIsGoneAfterDelete() throws {
        try #require(TestSupport.isRoot, "network namespaces need root")
        let namespace = try TestNamespace("probe", baseAddress: "203.0.113.5/24")
        namespace.delete()
        #expect(try TestNamespace.existing(prefix: namespace.name).isEmpty)
    }
}
