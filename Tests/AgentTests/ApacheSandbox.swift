#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import HAKitTestSupport

/// A real Apache for one test: its own network namespace (a veth end with 203.0.113.1), its own
/// ServerRoot in a temporary directory with a minimal configuration, and a link named `apache`
/// to `hakit-agent`. Everything started inside the namespace is killed by pid, and the
/// namespace and the directory are deleted, when the body ends.
struct ApacheSandbox {
    /// The server's address inside the namespace.
    static let address = "203.0.113.1"
    static let modules = "/usr/lib/apache2/modules"

    /// What the generated configuration holds.
    struct Site {
        /// The `Listen` argument.
        var listen = "\(ApacheSandbox.address):80"
        /// Include `conf.d/status.conf` with the server-status location (loopback only).
        var statusLocation = true
        /// The `PidFile` line, or `nil` for none.
        var pidFile: String? = "run/httpd.pid"
        /// Lines appended to the main file.
        var extra = ""
    }

    let namespace: TestNamespace
    let directory: String

    var configFile: String { "\(directory)/conf/httpd.conf" }
    var pidFile: String { "\(directory)/run/httpd.pid" }
    var agent: String { "\(directory)/apache" }

    /// Creates the sandbox, runs `body`, and removes everything.
    static func with(
        _ tag: String, _ site: Site = Site(), prefix: String = "hakit-apache", _ body: (ApacheSandbox) throws -> Void
    ) throws {
        try TestNamespace.with(prefix: prefix, tag) { namespace in
            try namespace.addVethPair("v0", "v1")
            try namespace.ip("addr", "add", "\(address)/24", "dev", "v0")
            // Apache's workers run as www-data and must reach DocumentRoot: the directory is 0755.
            let directory = try TestSupport.temporaryDirectory("apache-\(tag)", mode: 0o755)
            let sandbox = ApacheSandbox(namespace: namespace, directory: directory)
            defer {
                sandbox.killEverything()
                TestSupport.removeTree(directory)
            }
            try sandbox.write(site)
            try TestSupport.linkAgent(at: sandbox.agent)
            try body(sandbox)
        }
    }

    private func write(_ site: Site) throws {
        for sub in ["conf", "conf.d", "htdocs", "logs", "run"] { try FileSystem.makeDirectories("\(directory)/\(sub)") }
        for (page, text) in [("index", "HAKit index"), ("hello", "Hello HAKit")] {
            let html = "<html><body>\(text)</body></html>\n"
            try FileSystem.writeAtomically("\(directory)/htdocs/\(page).html", contents: html)
        }
        if site.statusLocation {
            try FileSystem.writeAtomically(
                "\(directory)/conf.d/status.conf",
                contents: """
                    <Location "/server-status">
                        SetHandler server-status
                        Require ip 127.0.0.1 ::1
                    </Location>

                    """)
        }
        try writeConfig(
            """
            ServerRoot "\(directory)"
            ServerName hakit.test
            LoadModule mpm_event_module \(Self.modules)/mod_mpm_event.so
            LoadModule authz_core_module \(Self.modules)/mod_authz_core.so
            LoadModule authz_host_module \(Self.modules)/mod_authz_host.so
            LoadModule status_module \(Self.modules)/mod_status.so
            LoadModule dir_module \(Self.modules)/mod_dir.so
            User www-data
            Group www-data
            ErrorLog logs/error.log
            DefaultRuntimeDir run
            \(site.pidFile.map { "PidFile \($0)" } ?? "")
            Listen \(site.listen)
            DocumentRoot "\(directory)/htdocs"
            DirectoryIndex index.html
            IncludeOptional conf.d/*.conf
            \(site.extra)

            """)
    }

    /// Replaces the main configuration file.
    func writeConfig(_ text: String) throws { try FileSystem.writeAtomically(configFile, contents: text) }

    /// Runs an action of our agent inside the namespace as Pacemaker would: a recurring monitor
    /// unless `probe`, with `configfile`, `httpd` and an empty `envfiles` unless overridden.
    func run(
        _ action: String, _ parameters: [String: String] = [:], environment: [String: String] = [:],
        probe: Bool = false, timeoutMilliseconds timeout: Int = 20_000
    ) throws -> TestSupport.CommandResult {
        try runAgent([agent, action], parameters, environment: environment, probe: probe, timeoutMilliseconds: timeout)
    }

    /// Runs any command line (for example ocf-tester, or the agent under `unshare`) with the agent's environment.
    func runAgent(
        _ command: [String], _ parameters: [String: String] = [:], environment: [String: String] = [:],
        probe: Bool = false, timeoutMilliseconds: Int = 20_000
    ) throws -> TestSupport.CommandResult {
        var full = [
            "OCF_ROOT": "/usr/lib/ocf", "OCF_RA_VERSION_MAJOR": "1", "OCF_RA_VERSION_MINOR": "1",
            "OCF_RESOURCE_INSTANCE": "web", "OCF_RESKEY_CRM_meta_timeout": String(timeoutMilliseconds),
            "OCF_RESKEY_CRM_meta_interval": probe ? "0" : "10000", "HA_VARRUN": "\(directory)/run",
        ]
        let defaults = ["configfile": configFile, "httpd": "/usr/sbin/apache2", "envfiles": ""]
        for (name, value) in defaults.merging(parameters, uniquingKeysWith: { $1 }) {
            full["OCF_RESKEY_\(name)"] = value
        }
        full.merge(environment) { $1 }
        return try namespace.exec(command, environment: full, timeoutMilliseconds: timeoutMilliseconds + 10_000)
    }

    /// Fetches a URL with curl inside the namespace, from `source` when given; returns the body, or
    /// `nil` when curl fails (HTTP errors included).
    func fetch(_ url: String, from source: String? = nil) throws -> String? {
        var command = ["curl", "-sS", "--fail", "--max-time", "5", "--noproxy", "*"]
        if let source { command += ["--interface", "host!\(source)"] }
        let result = try namespace.exec(command + [url])
        return result.status == 0 ? result.output : nil
    }

    /// The processes inside the namespace (everything there is this test's).
    func processes() throws -> [pid_t] { try namespace.processIDs() }

    /// The pid in the pid file, if any.
    func pidFromFile(_ path: String? = nil) -> pid_t? { try? PidFile.read(path ?? pidFile) }

    private func killEverything() {
        let pids = (try? processes()) ?? []
        for pid in pids { kill(pid, SIGKILL) }
        let deadline = MonotonicClock.milliseconds() + 5000
        while pids.contains(where: ProcessTable.isRunning) && MonotonicClock.milliseconds() < deadline {
            MonotonicClock.sleep(milliseconds: 5)
        }
    }
}
