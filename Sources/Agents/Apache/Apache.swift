import HAKitSystem
import OCF

/// The Apache HTTP Server, managed as resource-agents' `ocf:heartbeat:apache` manages it, with
/// the same parameters and exit codes, but without fixed sleeps and with pages fetched natively.
public struct Apache: ResourceAgent {
    /// The reference agent's parameters, defaults and actions, in its order.
    public static let descriptor = AgentDescriptor(
        name: "apache",
        short: "Manages an Apache Web server instance",
        long: """
            Manages an Apache HTTP Server (Debian's apache2, or httpd) with the parameters, defaults and \
            exit codes of resource-agents' apache agent.

            start launches httpd with -DSTATUS, the options and the variables of envfiles, in the \
            foreground mode and in a process group of its own, so that the agent sees at once if it \
            dies; it keeps running when the agent exits. start then fetches the status URL every few \
            milliseconds until it answers and matches testregex, within the operation's timeout. A server \
            that dies or never answers is stopped again and start fails (1), also when httpd -t \
            rejects this node's configuration file (validate-all says 6 for that).

            monitor finds the server from its pid file (a pid file naming another program is stale), \
            then fetches the status URL from the loopback address, without proxy, following redirects: \
            0 when the page answers with a status below 400 and matches testregex, 1 when the server \
            runs but the page does not answer or match, 7 when no server runs — also when workers of a \
            killed server are left: only the pid file's process is the server. At OCF_CHECK_LEVEL 10 \
            the page of testurl (or of the testconffile block) must match too; without either, \
            depth 10 is the basic check (the next lower level, as OCF asks). When none of statusurl, testregex, testurl, testregex10 \
            and testconffile is set, any answer below 500 from the server's root also counts as running.

            stop sends SIGWINCH (graceful stop: requests in progress finish) and waits for the workers, \
            for at most half the timeout; then SIGTERM, then SIGKILL, within the operation's timeout. \
            Leftover processes of the configuration (workers of a killed server) get SIGTERM and, \
            a moment later, SIGKILL. It removes a stale pid file.

            Pages are fetched through libcurl, which is loaded only by the actions that fetch; https \
            works with the system's certificate authorities. The status page comes from mod_status: \
            the configuration needs a Location with SetHandler server-status, reachable only from the \
            local host.

            The configuration is read as the reference agent reads it: the first ServerRoot, PidFile, \
            Listen and Port, Include and IncludeOptional files (wildcards and directories, relative to \
            ServerRoot), ${NAME} variables; sections such as IfModule and VirtualHost are not \
            evaluated, so every line counts.
            """,
        parameters: [
            ParameterSpec(
                "configfile", unique: true, default: "/etc/apache2/apache2.conf",
                short: "configuration file path",
                long: """
                    The Apache configuration file, given to httpd with -f and read for ServerRoot, PidFile, \
                    Listen and the server-status location. When not set, the first that exists of \
                    /etc/apache2/httpd.conf, /etc/apache2/apache2.conf and /etc/httpd/conf/httpd.conf \
                    (the default shown is Debian's).
                    """),
            ParameterSpec(
                "httpd", default: "/usr/sbin/httpd",
                short: "httpd binary path",
                long: """
                    The httpd binary. When not set and /usr/sbin/httpd does not exist, the first that exists of \
                    /sbin/httpd2, /usr/sbin/httpd2, /usr/sbin/apache2, /sbin/httpd, /usr/sbin/apache and \
                    /opt/IBMHTTPServer/bin/httpd. A path that is set but not executable is OCF_ERR_INSTALLED.
                    """),
            ParameterSpec(
                "port", .integer,
                short: "httpd port",
                long: """
                    The port of the status URL when the configuration has no Listen directive. By default the \
                    configuration's Port, else 80.
                    """),
            ParameterSpec(
                "statusurl",
                short: "url name",
                long: """
                    The URL monitor fetches. By default http://, the first Listen address (localhost:PORT for \
                    a bare port) and the last Location that holds SetHandler server-status. It must answer \
                    only from the local host, or the cluster may find the resource active on several nodes.
                    """),
            ParameterSpec(
                "testregex", default: "</ *html *>",
                short: "monitor regular expression",
                long: """
                    Extended regular expression the status page must contain; case-insensitive and matched \
                    line by line, as grep -Ei matches.
                    """),
            ParameterSpec(
                "client", default: "",
                short: "http client",
                long: """
                    Accepted for compatibility and ignored: the agent fetches pages itself through libcurl \
                    rather than running wget or curl.
                    """),
            ParameterSpec(
                "testurl",
                short: "test url",
                long: """
                    The URL the depth-10 monitor fetches. A URL that does not start with http is relative to \
                    the Listen address.
                    """),
            ParameterSpec(
                "testregex10",
                short: "extended monitor regular expression",
                long: "Extended regular expression (case-insensitive) the testurl page must contain."),
            ParameterSpec(
                "testconffile",
                short: "test configuration file",
                long: """
                    A file of test blocks for the depth-10 monitor, in the format of resource-agents' \
                    README.webapps: test NAME, then url, match, user, password lines, then end. client and \
                    client_opts lines are accepted and ignored.
                    """),
            ParameterSpec(
                "testname",
                short: "test name",
                long: "The block of testconffile to use; the first block when not set."),
            ParameterSpec(
                "options",
                short: "command line options",
                long: "Extra httpd arguments (see httpd(8)), split at white space; quotes are not interpreted."),
            ParameterSpec(
                "envfiles", default: "/etc/apache2/envvars",
                short: "environment settings files",
                long: """
                    Files, separated by white space, whose variables go into httpd's environment and replace \
                    ${NAME} in the configuration. No shell runs: only NAME=value and export NAME=value lines \
                    are read, with $NAME expanded; conditionals and commands are ignored. Set it to an empty \
                    string to read no file.
                    """),
            ParameterSpec(
                "use_ipv6", .boolean, default: "false",
                short: "use ipv6 with http clients",
                long: """
                    Fetch pages over IPv6 from ::1. Chosen automatically when the status URL's host is an \
                    IPv6 address in brackets.
                    """),
        ],
        actions: [
            ActionSpec(.start, timeout: 40),
            ActionSpec(.stop, timeout: 60),
            ActionSpec(.status, timeout: 30),
            // Only the depth-0 monitor, as the reference: pcs and crmsh turn every advertised monitor
            // into a recurring operation, so each must work with the default parameters.
            ActionSpec(.monitor, timeout: 20, interval: 10, depth: 0),
            ActionSpec(.metaData, timeout: 5),
            ActionSpec(.validateAll, timeout: 5),
        ])

    /// What a look at the server found.
    enum Health {
        /// No server process.
        case stopped
        /// Every page check passed.
        case serving
        /// The process runs, but a page check failed, for this reason.
        case failing(String)
    }

    let context: AgentContext
    let setup: ApacheSetup

    /// Resolves the binary, the files and the URLs; a missing binary or configuration is OCF_ERR_INSTALLED.
    public init(context: AgentContext) throws {
        self.context = context
        setup = try ApacheSetup(
            parameters: context.parameters, environment: context.environment, instance: context.instance)
        if context.parameters.isGiven("client") {
            context.log.debug("client=\(context.parameters.string("client")!) ignored: pages are fetched natively")
        }
    }

    /// Checks the patterns and test settings; validate-all also runs `httpd -t`.
    public func validate() throws {
        if let port = context.parameters.integer("port"), !ApacheSetup.isTCPPort(port) {
            throw OCFError.notConfigured("port=\(port) is not a TCP port")
        }
        _ = try basicCheck()
        _ = try extendedChecks()
        if context.action == .validateAll, let problem = setup.processes.syntaxProblem(setup) {
            throw OCFError.notConfigured("httpd -t rejects \(setup.configFile): \(problem)")
        }
    }

    /// Launches httpd unless it runs, then waits until its status page answers and matches.
    public func start() throws {
        let timeout = operationTimeout
        // Keep time to stop a server that never answers before the manager gives up on us.
        let reserve = min(timeout / 4, 5000)
        let deadline = MonotonicClock.milliseconds() + Int64(timeout - reserve)
        if let pid = setup.processes.main() {
            context.log.info("apache already running (pid \(pid))")
            return try waitUntilServing(nil, deadline: deadline)
        }
        let launched = try launch()
        do {
            try waitUntilServing(launched, deadline: deadline)
        } catch {
            if launched.reap() == nil {
                _ = setup.processes.stop(launched.pid, budgetMilliseconds: reserve, log: context.log)
                launched.reap()
            }
            throw error
        }
    }

    /// Starts httpd after clearing what would stop it: a stale pid file, missing directories.
    private func launch() throws -> ChildProcess {
        // httpd refuses to start while its pid file names a live process, even one of another program.
        if FileSystem.exists(setup.processes.pidFile) {
            context.log.info("removing stale pid file \(setup.processes.pidFile)")
            try? PidFile.remove(setup.processes.pidFile)
        }
        // Workers of a killed server still hold its listening sockets: the new one could not bind.
        if !setup.processes.members().isEmpty {
            _ = setup.processes.stop(nil, budgetMilliseconds: 2000, log: context.log)
        }
        for directory in setup.directories where !FileSystem.isDirectory(directory) {
            do { try FileSystem.makeDirectories(directory) } catch {
                throw OCFError.generic("cannot create \(directory): \(error)")
            }
        }
        do {
            return try setup.processes.launch(setup.arguments, environment: setup.environment)
        } catch {
            throw OCFError.generic("cannot start \(setup.processes.binary): \(error)")
        }
    }

    /// Polls until the server serves its status page: every 10 ms during the first second (Apache
    /// usually answers within 100 ms), every 100 ms after that. The launched process's exit ends
    /// the wait at once.
    private func waitUntilServing(_ launched: ChildProcess?, deadline: Int64) throws {
        let started = MonotonicClock.milliseconds()
        var lastProblem = "no apache process yet"
        while true {
            if let launched, launched.reap() != nil { throw launchFailure(launched) }
            switch try health(deadline: deadline) {
            case .serving:
                context.log.info("apache serves \(setup.statusURL)")
                return
            case .failing(let problem): lastProblem = problem
            case .stopped where launched == nil: throw OCFError.generic("apache stopped while starting")
            case .stopped: break
            }
            let now = MonotonicClock.milliseconds()
            let pause = min(now - started < 1000 ? 10 : 100, Int(deadline - now))
            if pause <= 0 { break }
            if let launched {
                _ = launched.waitForExit(timeoutMilliseconds: pause)
            } else {
                MonotonicClock.sleep(milliseconds: pause)
            }
        }
        throw OCFError.generic("apache did not serve its status page in time: \(lastProblem)")
    }

    /// Why the server exited while starting: a configuration httpd rejects, or its own words. Both
    /// are 1: the file is this node's, and may be fine on the other one (6 would stop the resource
    /// everywhere; the stock agent's start fails the same way, by its timeout). validate-all still
    /// answers 6 for a file httpd rejects.
    private func launchFailure(_ launched: ChildProcess) -> OCFError {
        let output = HttpdProcesses.summary(launched.availableOutput()) ?? "it said nothing"
        if let problem = setup.processes.syntaxProblem(setup) {
            return .generic("httpd -t rejects \(setup.configFile): \(problem)")
        }
        let termination = launched.termination.map { "\($0)" } ?? "no exit status"
        return .generic("httpd exited while starting (\(termination)): \(output)")
    }

    /// Graceful stop, then TERM, then KILL, within the timeout; removes a stale pid file.
    public func stop() throws {
        let timeout = operationTimeout
        let budget = timeout - min(timeout / 10, 2000)
        guard setup.processes.stop(setup.processes.main(), budgetMilliseconds: budget, log: context.log) else {
            throw OCFError.generic("apache processes of \(setup.configFile) survived SIGKILL")
        }
        if FileSystem.exists(setup.processes.pidFile) {
            context.log.info("removing stale pid file \(setup.processes.pidFile)")
            do { try PidFile.remove(setup.processes.pidFile) } catch {
                throw OCFError.generic("cannot remove stale pid file: \(error)")
            }
        }
    }

    /// 7 without a server process; else 0 when every page check passes, 1 when one fails.
    public func monitor() throws -> ResourceState {
        let timeout = operationTimeout
        switch try health(deadline: MonotonicClock.milliseconds() + Int64(timeout - min(timeout / 10, 1000))) {
        case .stopped: return .notRunning
        case .serving: return .running
        case .failing(let problem): throw OCFError.generic(problem)
        }
    }

    /// Looks at the server: no process is `stopped`; else every page check must pass.
    func health(deadline: Int64) throws -> Health {
        guard setup.processes.main() != nil else { return .stopped }
        let probe = WebProbe(ipv6: setup.ipv6)
        let basic = try basicCheck()
        switch probe.check(basic.url, matches: basic.regex, deadline: deadline) {
        case .passed: break
        case .unavailable(let problem): throw OCFError.notInstalled(problem)
        case .failed(let problem):
            if !(usesDefaults && probe.answers(setup.localURL.base, deadline: deadline)) { return .failing(problem) }
        }
        guard context.environment.checkLevel >= 10 else { return .serving }
        let checks = try extendedChecks()
        // Nothing for depth 10: the next lower level, the basic check, has passed. Never 6 here —
        // a recurring depth-10 monitor created from the defaults would ban the site everywhere.
        if checks.isEmpty { context.log.debug("OCF_CHECK_LEVEL 10 without testurl or testconffile: the basic check only") }
        for check in checks {
            let outcome = probe.check(
                check.url, matches: check.regex, user: check.user, password: check.password, deadline: deadline)
            switch outcome {
            case .passed: break
            case .unavailable(let problem): throw OCFError.notInstalled(problem)
            case .failed(let problem): return .failing(problem)
            }
        }
        return .serving
    }

    /// The operation's timeout in milliseconds: the manager's, else the advertised one.
    var operationTimeout: Int {
        context.environment.timeoutMilliseconds ?? (Self.descriptor.timeoutSeconds(for: context.action) ?? 20) * 1000
    }
}
