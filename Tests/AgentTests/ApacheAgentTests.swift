#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import HAKitTestSupport
import Testing

/// The apache agent against Debian's real apache2 and mod_status, each test in its own network
/// namespace with its own configuration.
@Suite struct ApacheAgentTests {
    let address = ApacheSandbox.address

    @Test func startServesAndSecondStartChangesNothing() throws {
        try ApacheSandbox.with("start") { sandbox in
            #expect(try sandbox.run("monitor", probe: true).status == 7)
            let start = try sandbox.run("start")
            #expect(start.status == 0, "\(start.errorOutput)")
            // The status page answers the loopback address only; the index answers anyone.
            let status = try sandbox.fetch("http://\(address)/server-status", from: "127.0.0.1")
            #expect(status?.contains("Apache Server Status") == true)
            #expect(try sandbox.fetch("http://\(address)/server-status") == nil)
            #expect(try sandbox.fetch("http://\(address)/")?.contains("HAKit index") == true)
            let pid = try #require(sandbox.pidFromFile())
            #expect(ProcessTable.executable(pid) == "/usr/sbin/apache2")

            let again = try sandbox.run("start")
            #expect(again.status == 0)
            #expect(again.errorOutput.contains("already running (pid \(pid))"))
            #expect(sandbox.pidFromFile() == pid)
            #expect(try sandbox.run("monitor").status == 0)
            #expect(try sandbox.run("monitor", probe: true).status == 0)
            #expect(try sandbox.run("status").status == 0)
        }
    }

    @Test func stopIsGracefulFastAndIdempotent() throws {
        try ApacheSandbox.with("stop") { sandbox in
            try #require(try sandbox.run("start").status == 0)
            let pid = try #require(sandbox.pidFromFile())
            let started = MonotonicClock.milliseconds()
            let stop = try sandbox.run("stop")
            let elapsed = MonotonicClock.milliseconds() - started
            #expect(stop.status == 0, "\(stop.errorOutput)")
            #expect(stop.errorOutput.contains("graceful stop of apache (pid \(pid))"))
            #expect(!stop.errorOutput.contains("TERM"), "graceful stop should suffice: \(stop.errorOutput)")
            #expect(elapsed < 900, "stop took \(elapsed) ms: Apache's one-second tick was not skipped")
            #expect(!ProcessTable.isRunning(pid))
            #expect(try sandbox.processes().isEmpty)
            #expect(!FileSystem.exists(sandbox.pidFile))
            let log = try FileSystem.read("\(sandbox.directory)/logs/error.log") ?? ""
            #expect(log.contains("caught SIGWINCH, shutting down gracefully"))

            #expect(try sandbox.run("stop").status == 0)
            #expect(try sandbox.run("monitor").status == 7)
            #expect(try sandbox.run("monitor", probe: true).status == 7)
        }
    }

    /// A parameter changed while the server runs must not keep stop from stopping it: a stop
    /// that answers 0 with httpd still up would let the cluster start it elsewhere as well.
    @Test func stopWithAnInvalidPortStillStopsTheServer() throws {
        try ApacheSandbox.with("badportstop") { sandbox in
            try #require(try sandbox.run("start").status == 0)
            #expect(try sandbox.run("validate-all", ["port": "0"]).status == 6)
            let stop = try sandbox.run("stop", ["port": "0"])
            #expect(stop.status == 0, "\(stop.errorOutput)")
            #expect(try sandbox.run("monitor").status == 7, "httpd must be gone")
        }
    }

    @Test func monitorFailsWhenTheServerRunsButTheProbeDoesNot() throws {
        try ApacheSandbox.with("wrongurl") { sandbox in
            try #require(try sandbox.run("start").status == 0)
            let refused = try sandbox.run("monitor", ["statusurl": "http://\(address):81/server-status"])
            #expect(refused.status == 1)
            #expect(refused.errorOutput.contains("ocf-exit-reason:http://\(address):81/server-status"))
            // Apache's 404 page is HTML and matches the default pattern, but it is no status page.
            let missing = try sandbox.run("monitor", ["statusurl": "http://\(address)/no-such-page"])
            #expect(missing.status == 1)
            #expect(missing.errorOutput.contains("answered HTTP 404"))
            let mismatch = try sandbox.run("monitor", ["testregex": "no such text"])
            #expect(mismatch.status == 1)
            #expect(mismatch.errorOutput.contains("answered HTTP 200 without a match for no such text"))
            // A probe reports the same failure: the process is there.
            #expect(try sandbox.run("monitor", ["testregex": "no such text"], probe: true).status == 1)
            #expect(try sandbox.run("monitor", ["testregex": "apache server STATUS"]).status == 0)
        }
    }

    @Test func startThatNeverMatchesStopsWhatItStartedAndFails() throws {
        try ApacheSandbox.with("nomatch") { sandbox in
            let started = MonotonicClock.milliseconds()
            let start = try sandbox.run("start", ["testregex": "no such text"], timeoutMilliseconds: 1500)
            let elapsed = MonotonicClock.milliseconds() - started
            #expect(start.status == 1)
            #expect(start.errorOutput.contains("did not serve its status page in time"))
            #expect(elapsed < 1500, "start overran its timeout: \(elapsed) ms")
            #expect(try sandbox.processes().isEmpty)
            #expect(try sandbox.run("monitor").status == 7)
        }
    }

    /// After kill -9 of the main process its workers live on (parent init, same -f configfile):
    /// they are leftovers, not the server. Monitor reports not running, as the reference does, and
    /// stop ends them at once.
    @Test func killedMainProcessIsNotRunningAndStopEndsItsLeftoversAtOnce() throws {
        try ApacheSandbox.with("kill9", prefix: "hk-ag") { sandbox in
            let start = try sandbox.run("start")
            try #require(start.status == 0, "\(start.errorOutput)")
            let main = try #require(sandbox.pidFromFile())
            let workers = ProcessTable.children(of: main)
            try #require(!workers.isEmpty, "apache has no workers to leave behind")
            kill(main, SIGKILL)
            let deadline = MonotonicClock.milliseconds() + 5000
            while ProcessTable.isRunning(main) && MonotonicClock.milliseconds() < deadline {
                MonotonicClock.sleep(milliseconds: 5)
            }
            try #require(!ProcessTable.isRunning(main))
            let leftovers = workers.filter(ProcessTable.isRunning)
            try #require(!leftovers.isEmpty, "no worker outlived its parent: the case under test did not arise")
            #expect(FileSystem.exists(sandbox.pidFile), "apache removed its pid file despite SIGKILL")

            let monitor = try sandbox.run("monitor")
            #expect(monitor.status == 7, "\(monitor.errorOutput)")
            #expect(try sandbox.run("monitor", probe: true).status == 7)
            #expect(leftovers.allSatisfy(ProcessTable.isRunning), "monitor must not touch the leftovers")

            let started = MonotonicClock.milliseconds()
            let stop = try sandbox.run("stop")
            let elapsed = MonotonicClock.milliseconds() - started
            #expect(stop.status == 0, "\(stop.errorOutput)")
            #expect(elapsed < 2000, "stop of a dead instance took \(elapsed) ms")
            #expect(stop.errorOutput.contains("leftover apache process"), "\(stop.errorOutput)")
            #expect(try sandbox.processes().isEmpty, "processes of the instance survived stop")
            #expect(!FileSystem.exists(sandbox.pidFile))
            #expect(try sandbox.run("monitor").status == 7)

            // And the cluster's recovery, start after stop, serves again.
            #expect(try sandbox.run("start").status == 0)
            #expect(try sandbox.run("monitor").status == 0)
        }
    }

    /// An apache of another network namespace (a container, or another node under test on the
    /// same host) started with the same `-f` path is another instance: neither stop nor start
    /// takes it for a leftover of this one. (It runs in a mount namespace of its own too, where a
    /// copy of the directory is bound over the path.)
    @Test func anApacheOfAnotherNetworkNamespaceIsNotALeftover() throws {
        try ApacheSandbox.with("othernet", prefix: "hk-ag") { sandbox in
            try TestNamespace.with(prefix: "hk-ag", "othernet2") { elsewhere in
                let copy = try TestSupport.temporaryDirectory("apache-othernet", mode: 0o755)
                defer { TestSupport.removeTree(copy) }
                try #require(try TestSupport.run(["cp", "-a", "\(sandbox.directory)/.", "\(copy)/"]).status == 0)
                let config = try #require(try FileSystem.read("\(copy)/conf/httpd.conf"))
                try FileSystem.writeAtomically(
                    "\(copy)/conf/httpd.conf", contents: config.replacing("Listen \(address):80\n", with: "Listen 127.0.0.1:8080\n"))
                let script = "mount --bind '\(copy)' '\(sandbox.directory)' && exec /usr/sbin/apache2 -DFOREGROUND -f '\(sandbox.configFile)'"
                let other = try ChildProcess.spawn(
                    path: "/usr/sbin/ip",
                    arguments: ["ip", "netns", "exec", elsewhere.name, "unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                    environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"], captureOutput: false)
                defer {
                    kill(other.pid, SIGKILL)
                    other.reap(blocking: true)
                    elsewhere.killEverything()
                }
                func otherAnswers() throws -> Bool {
                    try elsewhere.exec(["curl", "-sS", "--fail", "--max-time", "5", "--noproxy", "*", "http://127.0.0.1:8080/"])
                        .output.contains("HAKit index")
                }
                let deadline = MonotonicClock.milliseconds() + 10_000
                while try !otherAnswers() {
                    try #require(other.reap() == nil && MonotonicClock.milliseconds() < deadline, "the other apache did not come up")
                    MonotonicClock.sleep(milliseconds: 20)
                }
                #expect(ProcessTable.executable(other.pid) == "/usr/sbin/apache2")
                #expect(ProcessTable.commandLine(other.pid)?.contains(sandbox.configFile) == true)

                let stop = try sandbox.run("stop")
                #expect(stop.status == 0, "\(stop.errorOutput)")
                #expect(!stop.errorOutput.contains("leftover"), "\(stop.errorOutput)")
                #expect(ProcessTable.isRunning(other.pid), "stop killed the other namespace's apache")
                let start = try sandbox.run("start")
                #expect(start.status == 0, "\(start.errorOutput)")
                #expect(try sandbox.run("monitor").status == 0)
                #expect(try sandbox.run("stop").status == 0)
                #expect(ProcessTable.isRunning(other.pid), "start or stop killed the other namespace's apache")
                #expect(try otherAnswers())
            }
        }
    }

    /// start after kill -9 without a stop in between: the leftovers hold the listening socket, so
    /// start ends them before it launches.
    @Test func startAfterKilledMainProcessEndsTheLeftoversFirst() throws {
        try ApacheSandbox.with("kill9start", prefix: "hk-ag") { sandbox in
            try #require(try sandbox.run("start").status == 0)
            let main = try #require(sandbox.pidFromFile())
            let workers = ProcessTable.children(of: main)
            kill(main, SIGKILL)
            let deadline = MonotonicClock.milliseconds() + 5000
            while ProcessTable.isRunning(main) && MonotonicClock.milliseconds() < deadline {
                MonotonicClock.sleep(milliseconds: 5)
            }
            let start = try sandbox.run("start")
            #expect(start.status == 0, "\(start.errorOutput)")
            #expect(!workers.contains(where: ProcessTable.isRunning), "a worker of the killed server survived start")
            let fresh = try #require(sandbox.pidFromFile())
            #expect(fresh != main)
            #expect(try sandbox.run("monitor").status == 0)
        }
    }

    @Test func stalePidFilesAreNotTrusted() throws {
        try ApacheSandbox.with("stale") { sandbox in
            // A pid that is gone.
            let gone = try ChildProcess.spawn(path: "/bin/true", arguments: ["true"], environment: [:])
            gone.reap(blocking: true)
            try FileSystem.writeAtomically(sandbox.pidFile, contents: "\(gone.pid)\n")
            #expect(try sandbox.run("monitor").status == 7)
            #expect(try sandbox.run("monitor", probe: true).status == 7)
            let stop = try sandbox.run("stop")
            #expect(stop.status == 0)
            #expect(stop.errorOutput.contains("removing stale pid file"))
            #expect(!FileSystem.exists(sandbox.pidFile))

            // A live pid of another program: not apache, so never signalled.
            let other = try ChildProcess.spawn(path: "/bin/sleep", arguments: ["sleep", "30"], environment: [:])
            defer {
                other.signalGroup(SIGKILL)
                other.reap(blocking: true)
            }
            try FileSystem.writeAtomically(sandbox.pidFile, contents: "\(other.pid)\n")
            #expect(try sandbox.run("monitor").status == 7)
            #expect(try sandbox.run("stop").status == 0)
            #expect(other.reap() == nil, "stop signalled a process that is not apache")
            #expect(!FileSystem.exists(sandbox.pidFile))

            try FileSystem.writeAtomically(sandbox.pidFile, contents: "\(other.pid)\n")
            let start = try sandbox.run("start")
            #expect(start.status == 0, "\(start.errorOutput)")
            #expect(sandbox.pidFromFile() != other.pid)
            #expect(try sandbox.run("monitor").status == 0)
        }
    }

    @Test func missingSoftwareIsNotInstalled() throws {
        try ApacheSandbox.with("missing") { sandbox in
            let noBinary = ["httpd": "\(sandbox.directory)/no-such-httpd"]
            let start = try sandbox.run("start", noBinary)
            #expect(start.status == 5)
            let reason = "ocf-exit-reason:httpd \(sandbox.directory)/no-such-httpd is not an executable file"
            #expect(start.errorOutput.contains(reason))
            #expect(try sandbox.run("validate-all", noBinary).status == 5)
            #expect(try sandbox.run("monitor", noBinary, probe: true).status == 7)
            #expect(try sandbox.run("stop", noBinary).status == 0)

            let noConfig = ["configfile": "\(sandbox.directory)/conf/missing.conf"]
            let missing = try sandbox.run("start", noConfig)
            #expect(missing.status == 5)
            #expect(missing.errorOutput.contains("configuration file \(sandbox.directory)/conf/missing.conf not found"))
            #expect(try sandbox.run("monitor", noConfig, probe: true).status == 7)
            #expect(try sandbox.run("monitor", noConfig).status == 5)
            #expect(try sandbox.run("stop", noConfig).status == 0)
            #expect(try sandbox.processes().isEmpty)
        }
    }

    @Test func configurationFilesThatCannotBeReadAreNotInstalledAndNeverHang() throws {
        try ApacheSandbox.with("unreadable") { sandbox in
            let fifo = "\(sandbox.directory)/conf/fifo.conf"
            #expect(mkfifo(fifo, 0o600) == 0)
            let named = try sandbox.run("start", ["configfile": fifo], timeoutMilliseconds: 5_000)
            #expect(named.status == 5, "\(named.errorOutput)")
            #expect(named.errorOutput.contains("ocf-exit-reason:configuration file \(fifo) is a FIFO, not a regular file"))

            // Environment files that are no regular files are skipped, as the reference skips them.
            let envfiles = try sandbox.run("validate-all", ["envfiles": "\(fifo) /dev/zero"], timeoutMilliseconds: 5_000)
            #expect(envfiles.status == 0, "\(envfiles.errorOutput)")

            let original = try #require(try FileSystem.read(sandbox.configFile))
            try sandbox.writeConfig(original + "Include /dev/zero\n")
            for action in ["start", "monitor", "validate-all"] {
                let zero = try sandbox.run(action, timeoutMilliseconds: 5_000)
                #expect(zero.status == 5, "\(action): \(zero.errorOutput)")
                #expect(
                    zero.errorOutput.contains(
                        "ocf-exit-reason:configuration file /dev/zero is a character device, not a regular file"),
                    "\(action): \(zero.errorOutput)")
            }

            // Two links back to conf.d, both matched by `IncludeOptional conf.d/*.conf`: followed
            // blindly they would be walked 2^40 times.
            try sandbox.writeConfig(original)
            for name in ["loop.conf", "again.conf"] {
                #expect(symlink("\(sandbox.directory)/conf.d", "\(sandbox.directory)/conf.d/\(name)") == 0)
            }
            let loop = try sandbox.run("start", timeoutMilliseconds: 5_000)
            #expect(loop.status == 5, "\(loop.errorOutput)")
            #expect(
                loop.errorOutput.contains(
                    "ocf-exit-reason:Include directory \(sandbox.directory)/conf.d/again.conf/again.conf leads back"),
                "\(loop.errorOutput)")
            #expect(try sandbox.processes().isEmpty)
        }
    }

    /// A file httpd rejects fails start with 1 (this node's file: Pacemaker tries the other node)
    /// and validate-all with 6.
    @Test func brokenConfigurationFailsStartHere() throws {
        var site = ApacheSandbox.Site()
        site.extra = "NoSuchDirective on"
        try ApacheSandbox.with("broken", site) { sandbox in
            let start = try sandbox.run("start")
            #expect(start.status == 1, "\(start.errorOutput)")
            #expect(start.errorOutput.contains("httpd -t rejects \(sandbox.configFile)"))
            #expect(start.errorOutput.contains("NoSuchDirective"))
            let validate = try sandbox.run("validate-all")
            #expect(validate.status == 6)
            #expect(try sandbox.processes().isEmpty)
        }
    }

    @Test func serverThatCannotBindFailsAtOnce() throws {
        var site = ApacheSandbox.Site()
        site.listen = "198.51.100.7:80"  // not an address of this namespace
        try ApacheSandbox.with("nobind", site) { sandbox in
            let started = MonotonicClock.milliseconds()
            let start = try sandbox.run("start")
            #expect(start.status == 1)
            #expect(start.errorOutput.contains("httpd exited while starting (exit 1)"), "\(start.errorOutput)")
            #expect(MonotonicClock.milliseconds() - started < 5000, "start waited for a server that had died")
            #expect(try sandbox.processes().isEmpty)
        }
    }

    @Test func depthTenChecksTheTestURLAndTestBlocks() throws {
        try ApacheSandbox.with("depth10") { sandbox in
            try #require(try sandbox.run("start").status == 0)
            let deep = ["OCF_CHECK_LEVEL": "10"]
            let url = ["testurl": "/hello.html", "testregex10": "hello hakit"]
            #expect(try sandbox.run("monitor", url, environment: deep).status == 0)
            // Depth 0 ignores the test URL, depth 10 fails on it.
            let wrong = ["testurl": "/hello.html", "testregex10": "goodbye"]
            #expect(try sandbox.run("monitor", wrong).status == 0)
            #expect(try sandbox.run("monitor", wrong, environment: deep).status == 1)
            #expect(try sandbox.run("monitor", ["testurl": "/hello.html"], environment: deep).status == 6)
            // Depth 10 without testurl or testconffile is the basic check, never 6: it passes with the
            // defaults and fails (1) with a status check that fails.
            #expect(try sandbox.run("monitor", [:], environment: deep).status == 0)
            #expect(try sandbox.run("monitor", ["testregex": "no such text"], environment: deep).status == 1)

            let tests = "\(sandbox.directory)/webmon.cf"
            try FileSystem.writeAtomically(
                tests,
                contents: """
                    # two sites
                    test index
                    url /
                    match HAKit index
                    client curl
                    end
                    test hello
                    url http://\(address)/hello.html
                    match ^<html><body>Hello
                    end
                    test broken
                    url /
                    match nothing like this
                    end

                    """)
            func monitor(_ name: String?) throws -> TestSupport.CommandResult {
                let parameters = ["testconffile": tests].merging(name.map { ["testname": $0] } ?? [:]) { $1 }
                return try sandbox.run("monitor", parameters, environment: deep)
            }
            #expect(try monitor(nil).status == 0)
            #expect(try monitor("hello").status == 0)
            #expect(try monitor("broken").status == 1)
            let unknown = try monitor("nope")
            #expect(unknown.status == 6)
            #expect(unknown.errorOutput.contains("no test named nope"))
            #expect(try sandbox.run("validate-all", ["testconffile": "\(sandbox.directory)/none.cf"]).status == 5)
        }
    }

    @Test func environmentFilesReachTheConfigurationAndHttpd() throws {
        var site = ApacheSandbox.Site()
        site.listen = "${HAKIT_LISTEN}"
        site.pidFile = "${HAKIT_RUN}/from-env.pid"
        try ApacheSandbox.with("envfiles", site) { sandbox in
            let envvars = "\(sandbox.directory)/envvars"
            try FileSystem.writeAtomically(
                envvars,
                contents: """
                    # like Debian's /etc/apache2/envvars
                    unset HOME
                    if [ -n "$SUFFIX" ]; then SUFFIX=-x; fi
                    export HAKIT_PORT=8080
                    export HAKIT_LISTEN="\(address):${HAKIT_PORT}"
                    HAKIT_RUN='\(sandbox.directory)/run/env'
                    export HAKIT_RUN

                    """)
            let parameters = ["envfiles": "\(sandbox.directory)/none \(envvars)"]
            let start = try sandbox.run("start", parameters)
            #expect(start.status == 0, "\(start.errorOutput)")
            #expect(start.errorOutput.contains("serves http://\(address):8080/server-status"))
            let pidFile = "\(sandbox.directory)/run/env/from-env.pid"
            #expect(sandbox.pidFromFile(pidFile) != nil, "the run directory from envfiles was not created")
            #expect(try sandbox.fetch("http://\(address):8080/")?.contains("HAKit index") == true)
            #expect(try sandbox.run("monitor", parameters).status == 0)
            #expect(try sandbox.run("stop", parameters).status == 0)
            #expect(!FileSystem.exists(pidFile))
        }
    }

    @Test func withoutPidFileDirectiveTheAgentChoosesOne() throws {
        var site = ApacheSandbox.Site()
        site.pidFile = nil
        site.statusLocation = false
        try ApacheSandbox.with("nopidfile", site) { sandbox in
            let chosen = "\(sandbox.directory)/run/apache2-web.pid"
            let start = try sandbox.run("start")
            #expect(start.status == 0, "\(start.errorOutput)")
            // Without mod_status's location the root page is the status URL.
            #expect(start.errorOutput.contains("serves http://\(address):80"))
            #expect(sandbox.pidFromFile(chosen) != nil)
            #expect(try sandbox.run("monitor").status == 0)
            #expect(try sandbox.run("stop").status == 0)
            #expect(!FileSystem.exists(chosen))
        }
    }

    @Test func ipv6ListenIsProbedFromTheIPv6Loopback() throws {
        var site = ApacheSandbox.Site()
        site.listen = "[::1]:8080"
        try ApacheSandbox.with("ipv6", site) { sandbox in
            let start = try sandbox.run("start")
            #expect(start.status == 0, "\(start.errorOutput)")
            #expect(start.errorOutput.contains("serves http://[::1]:8080/server-status"))
            #expect(try sandbox.run("monitor").status == 0)
            // Forced over IPv6, a name that also resolves to 127.0.0.1 still reaches the server.
            let named = ["statusurl": "http://localhost:8080/server-status", "use_ipv6": "true"]
            #expect(try sandbox.run("monitor", named).status == 0)
            #expect(try sandbox.run("stop").status == 0)
        }
    }

    @Test func plainHTTPNeedsNoLibcurlAndHTTPSWithoutItIsNotInstalled() throws {
        try ApacheSandbox.with("nocurl") { sandbox in
            try #require(try sandbox.run("start").status == 0)
            let library = try #require(FileSystem.resolvedPath("/usr/lib/x86_64-linux-gnu/libcurl.so.4"))
            // A private mount namespace where libcurl is an empty file; the host's stays untouched.
            let hidden = [
                "unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount --bind /dev/null \(library) && exec \"$0\" monitor", sandbox.agent,
            ]
            let plain = try sandbox.runAgent(hidden)
            #expect(plain.status == 0, "an http:// status URL is fetched natively: \(plain.errorOutput)")
            let https = ["statusurl": "https://\(address)/server-status"]
            let monitor = try sandbox.runAgent(hidden, https)
            #expect(monitor.status == 5, "\(monitor.errorOutput)")
            #expect(monitor.errorOutput.contains("needs libcurl"))
            #expect(try sandbox.runAgent(hidden, https, probe: true).status == 7)
            #expect(try sandbox.run("monitor").status == 0)
        }
    }

    @Test func httpsStatusURLWorksWithATrustedCertificate() throws {
        var site = ApacheSandbox.Site()
        site.extra = """
            LoadModule ssl_module \(ApacheSandbox.modules)/mod_ssl.so
            Listen \(address):8443
            <VirtualHost \(address):8443>
                SSLEngine on
                SSLCertificateFile tls/cert.pem
                SSLCertificateKeyFile tls/key.pem
            </VirtualHost>
            """
        try ApacheSandbox.with("https", site) { sandbox in
            let tls = "\(sandbox.directory)/tls"
            try FileSystem.makeDirectories(tls)
            let certificate = try TestSupport.run([
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-days", "1", "-subj", "/CN=\(address)", "-addext", "subjectAltName=IP:\(address)",
                "-keyout", "\(tls)/key.pem", "-out", "\(tls)/cert.pem",
            ])
            try #require(certificate.status == 0, "\(certificate.errorOutput)")
            // The agent trusts the system's authorities: in a private mount namespace, ours is the system's bundle.
            func trusting(_ action: String) -> [String] {
                [
                    "unshare", "--mount", "--propagation", "private", "sh", "-c",
                    "mount --bind \(tls)/cert.pem /etc/ssl/certs/ca-certificates.crt && exec \"$0\" \(action)",
                    sandbox.agent,
                ]
            }
            let https = ["statusurl": "https://\(address):8443/server-status"]
            let start = try sandbox.runAgent(trusting("start"), https)
            #expect(start.status == 0, "\(start.errorOutput)")
            #expect(try sandbox.runAgent(trusting("monitor"), https).status == 0)
            // Without the certificate trusted, verification fails: the server runs, the probe does not pass.
            let untrusted = try sandbox.run("monitor", https)
            #expect(untrusted.status == 1)
            #expect(untrusted.errorOutput.contains("certificate"), "\(untrusted.errorOutput)")
            #expect(try sandbox.run("stop", https).status == 0)
        }
    }

    @Test func passesDebiansOcfTester() throws {
        try ApacheSandbox.with("tester") { sandbox in
            let result = try sandbox.runAgent(
                [
                    "/usr/sbin/ocf-tester", "-n", "a1", "-o", "configfile=\(sandbox.configFile)",
                    "-o", "httpd=/usr/sbin/apache2", "-o", "envfiles=", sandbox.agent,
                ], timeoutMilliseconds: 60_000)
            #expect(result.status == 0, "\(result.output)\(result.errorOutput)")
            #expect(result.output.contains("passed all tests"))
            #expect(try sandbox.processes().isEmpty, "ocf-tester ends with stop; nothing may be left")
        }
    }
}
