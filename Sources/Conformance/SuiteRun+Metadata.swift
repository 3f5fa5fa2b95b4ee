import HAKitSystem
import OCF
import Runner

extension SuiteRun {
    /// The agent must be an executable file before anything can run (ocf-tester's first check).
    mutating func checkAgentFile() throws(SuiteAbort) {
        let path = options.agent.path
        guard FileSystem.isExecutable(path) else {
            let seen = FileSystem.exists(path) ? "not executable" : "missing"
            record(
                fail("-", seen, "executable", "the agent \(path) is an executable file", "nothing else can be checked"))
            throw SuiteAbort(reason: "no agent to test")
        }
    }

    /// meta-data as an unprivileged user and as root; well-formed, valid against the DTD, with
    /// the mandatory actions and a timeout for each; still 0 when binaries are "missing".
    mutating func checkMetadata() throws(SuiteAbort) {
        try checkUnprivilegedMetadata()

        let result = try expect(.metaData, [.success], "meta-data")
        guard result.code == .success, !result.timedOut else { return }
        do {
            let metadata = try AgentMetadata(xml: result.output)
            session.metadata = metadata
            record(pass("meta-data", "well-formed", "well-formed, with name, version, longdesc, shortdesc and actions"))
        } catch {
            record(
                fail(
                    "meta-data", "malformed", "well-formed",
                    "well-formed, with name, version, longdesc, shortdesc and actions", "\(error)"))
        }

        let validator = DTDValidator(dtdPath: options.dtdPath, scratchDirectory: scratchDirectory)
        do {
            try validator.validate(result.output)
            record(pass("meta-data", "valid", "valid against \(options.dtdPath)"))
        } catch {
            record(fail("meta-data", "invalid", "valid", "valid against \(options.dtdPath)", error.description))
        }
        if DTDValidator.declaresDTD(result.output) {
            record(
                pass("meta-data", "declared", "DOCTYPE names ra-api-1.dtd (ocf-tester validates with xmllint --valid)"))
        } else {
            record(
                fail(
                    "meta-data", "no DOCTYPE", "declared",
                    "DOCTYPE names ra-api-1.dtd (ocf-tester validates with xmllint --valid)",
                    "add <!DOCTYPE resource-agent SYSTEM \"ra-api-1.dtd\">"))
        }

        if let metadata = session.metadata {
            let missing = OCFAction.mandatory.filter { !metadata.advertises($0.rawValue) }.map(\.rawValue)
            let title = "advertises start, stop, monitor, meta-data and validate-all"
            record(
                missing.isEmpty
                    ? pass("meta-data", "all five", title)
                    : fail(
                        "meta-data", "\(missing.count) missing", "all five", title,
                        "missing " + missing.joined(separator: ", ")))
            let untimed = metadata.actions.filter { $0.timeoutMilliseconds == nil }.map(\.name)
            let timedTitle = "every advertised action has a valid timeout"
            record(
                untimed.isEmpty
                    ? pass("meta-data", "\(metadata.actions.count) timed", timedTitle)
                    : fail(
                        "meta-data", "\(untimed.count) untimed", "all timed", timedTitle,
                        "no valid timeout: " + untimed.joined(separator: ", ")))
        }

        // ocf-tester step 3: shell agents pretend their binaries are missing; meta-data still works.
        try expect(
            .metaData, [.success], "meta-data with binaries missing (OCF_TESTER_FAIL_HAVE_BINARY=1)",
            agent: noBinariesAgent())
    }

    /// ocf-tester step 1: meta-data must work for any user, so that a cluster manager's
    /// unprivileged tools can read it. Needs root to switch users; skipped otherwise.
    private mutating func checkUnprivilegedMetadata() throws(SuiteAbort) {
        let user = options.unprivilegedUser
        guard Host.isRoot else {
            note("skipped: meta-data as \(user) (switching users needs root)")
            return
        }
        guard let account = Host.account(user) else {
            note("skipped: meta-data as \(user) (no such user)")
            return
        }
        let unprivileged = launched(
            prefix: ["setpriv", "--reuid=\(account.uid)", "--regid=\(account.gid)", "--clear-groups", "--"])
        try expect(.metaData, [.success], "meta-data as the unprivileged user \(user)", agent: unprivileged)
    }

    /// The agent run with `OCF_TESTER_FAIL_HAVE_BINARY=1`, which makes resource-agents' shell
    /// library pretend every binary is missing (ocf-tester steps 3 and 6).
    func noBinariesAgent() -> AgentSpec {
        launched(variables: ["OCF_TESTER_FAIL_HAVE_BINARY": "1"])
    }

    /// The agent run under a command prefix (which execs it) and with extra variables.
    func launched(prefix: [String] = [], variables: [String: String] = [:]) -> AgentSpec {
        var spec = options.agent
        spec.commandPrefix = prefix
        spec.extraEnvironment = variables
        return spec
    }

    /// A passed check on meta-data contents.
    func pass(_ action: String, _ seen: String, _ title: String) -> ConformanceCheck {
        ConformanceCheck(passed: true, action: action, seen: seen, expected: seen, title: title)
    }

    /// A failed check on meta-data contents.
    func fail(_ action: String, _ seen: String, _ expected: String, _ title: String, _ detail: String)
        -> ConformanceCheck
    {
        ConformanceCheck(passed: false, action: action, seen: seen, expected: expected, title: title, detail: detail)
    }
}
