import HAKitSystem
import Heartbeat
import OCF
import Runner

/// Starts and stops resource groups through the runner, as heartbeat's ResourceManager does:
/// a group's resources start in order and stop in reverse; a failed start stops what the group had
/// started, in reverse, so a group is never left half up; a failed stop is retried every second.
struct GroupRunner: Sendable {
    /// One resource of a group, ready to run.
    struct Resource: Sendable {
        var token: String
        var request: ActionRequest
    }

    /// The groups by key, resources in start order.
    let groups: [String: [Resource]]
    /// Runs the actions.
    let executor: Executor
    /// How often a failed stop is tried in all (heartbeat: 10, a second apart).
    var stopAttempts = 10
    /// Pause between stop attempts, in ms.
    var stopRetryDelayMs = 1000

    /// Plans every group of haresources: agents found under `locations`, each action bounded by
    /// `timeoutMs` and its process group recorded in `ledger` while it runs.
    ///
    /// - Throws: every resource the runner cannot take, each with haresources' path and the line
    ///   of its group.
    init(
        configuration: HeartbeatConfiguration, locations: AgentLocations, provider: String,
        environment: [String: String], timeoutMs: Int, ledger: ProcessGroupLedger? = nil
    ) throws(ConfigErrors) {
        var groups: [String: [Resource]] = [:]
        var errors: [ConfigError] = []
        for group in configuration.resources.groups {
            groups[group.key] = group.plan(provider: provider).compactMap { planned in
                let agent: AgentSpec
                do { agent = try AgentSpec(parsing: planned.agent, locations: locations) } catch {
                    errors.append(
                        ConfigError(
                            .invalidResource, path: "\(configuration.directory)/haresources", line: group.line,
                            "group \(group.key), resource \(planned.token): \(error)"))
                    return nil
                }
                if let problem = Self.scriptProblem(agent, locations: locations) {
                    errors.append(
                        ConfigError(
                            .invalidResource, path: "\(configuration.directory)/haresources", line: group.line,
                            "group \(group.key), resource \(planned.token): \(problem)"))
                    return nil
                }
                let request = ActionRequest(
                    agent: agent, action: .start, parameters: planned.parameters,
                    instance: Self.instanceName(planned.token), ocfRoot: locations.ocfRoot,
                    timeoutMilliseconds: timeoutMs)
                return Resource(token: planned.token, request: request)
            }
        }
        if !errors.isEmpty { throw ConfigErrors(errors) }
        self.groups = groups
        self.executor = Executor(baseEnvironment: environment, ledger: ledger)
    }

    /// Why a heartbeat-class script cannot run here, found now rather than at takeover: it is in
    /// neither directory, or it is not an executable regular file.
    static func scriptProblem(_ agent: AgentSpec, locations: AgentLocations) -> String? {
        guard agent.standard == .heartbeat, !FileSystem.isExecutableFile(agent.path) else { return nil }
        let candidates = [locations.haResourceDirectory, locations.initDirectory].map { "\($0)/\(agent.type)" }
        guard let path = candidates.first(where: { FileSystem.status($0) != nil }), let status = FileSystem.status(path) else {
            return "no script \(agent.type) in \(locations.haResourceDirectory) or \(locations.initDirectory)"
        }
        guard status.isRegularFile else { return "\(path) is \(FileSystem.typeName(mode: status.mode)), not a script" }
        return "\(path) is not executable (mode \(String(status.mode & 0o7777, radix: 8)))"
    }

    /// Starts each group; a group whose start fails is rolled back and reported.
    func acquire(_ keys: [String], log: (String) -> Void) -> ResourceNegotiation.Outcome {
        var outcome = ResourceNegotiation.Outcome(succeeded: [])
        for key in keys {
            log("Acquiring resource group: \(key)")
            if let problem = start(key, log: log) {
                outcome.failed[key] = problem
            } else {
                outcome.succeeded.append(key)
            }
        }
        return outcome
    }

    /// Stops each group, resources in reverse order.
    func release(_ keys: [String], log: (String) -> Void) -> ResourceNegotiation.Outcome {
        var outcome = ResourceNegotiation.Outcome(succeeded: [])
        for key in keys {
            log("Releasing resource group: \(key)")
            var problems: [String] = []
            for resource in (groups[key] ?? []).reversed() {
                if let problem = stop(resource, log: log) { problems.append(problem) }
            }
            if problems.isEmpty { outcome.succeeded.append(key) } else { outcome.failed[key] = problems.joined(separator: "; ") }
        }
        return outcome
    }

    /// Restarts a group from its resource at `first`: that resource and the ones after it are
    /// stopped (reverse order) and started again (Pacemaker's recovery of a failed member of a
    /// group restarts the members after it). A stop or start that fails stops the whole group.
    func recover(_ key: String, from first: Int, log: (String) -> Void) -> ResourceNegotiation.Outcome {
        let resources = groups[key] ?? []
        guard resources.indices.contains(first) else { return .init(succeeded: [], failed: [key: "no resource \(first) in the group"]) }
        log("Restarting resource group \(key) from \(resources[first].token)")
        for resource in resources[first...].reversed() {
            guard let problem = stop(resource, log: log) else { continue }
            log("Group \(key) could not be restarted here; stopping the whole group")
            for other in resources.reversed() { _ = stop(other, log: log) }
            return .init(succeeded: [], failed: [key: problem])
        }
        if let problem = start(key, from: first, log: log) { return .init(succeeded: [], failed: [key: problem]) }
        return .init(succeeded: [key])
    }

    /// Runs the monitor of resource `index` of a group (LSB and heartbeat scripts: `status`).
    func monitor(_ key: String, index: Int, intervalMs: Int, timeoutMs: Int) -> ResourceHealth.Result {
        guard let resources = groups[key], resources.indices.contains(index) else { return .failed("no such resource") }
        var request = resources[index].request.with(action: .monitor, intervalMilliseconds: intervalMs)
        request.timeoutMilliseconds = timeoutMs
        do {
            let result = try executor.run(request)
            return result.code == .success ? .running : .failed(result.summary)
        } catch {
            return .failed("\(request.agent) monitor: cannot run: \(error)")
        }
    }

    /// Whether the resource's class may lack a status action (heartbeat and LSB scripts).
    func mayLackStatus(_ key: String, index: Int) -> Bool {
        guard let resources = groups[key], resources.indices.contains(index) else { return false }
        return [.heartbeat, .lsb].contains(resources[index].request.agent.standard)
    }

    private func start(_ key: String, from first: Int = 0, log: (String) -> Void) -> String? {
        let resources = groups[key] ?? []
        for (index, resource) in resources.enumerated() where index >= first {
            let (ok, summary) = run(resource, .start)
            log("Running \(resource.token): \(summary)")
            if ok { continue }
            log("Group \(key) could not be started here; stopping what it started, in reverse order")
            for started in resources[...index].reversed() {
                if let problem = stop(started, log: log) { log("rollback of \(key): \(problem)") }
            }
            return "\(resource.token): \(summary)"
        }
        return nil
    }

    private func stop(_ resource: Resource, log: (String) -> Void) -> String? {
        var last = ""
        for attempt in 1...max(1, stopAttempts) {
            let (ok, summary) = run(resource, .stop)
            log("Running \(resource.token): \(summary)\(attempt > 1 ? " (attempt \(attempt))" : "")")
            if ok { return nil }
            last = "\(resource.token): \(summary)"
            if attempt < stopAttempts { MonotonicClock.sleep(milliseconds: stopRetryDelayMs) }
        }
        return last
    }

    /// Runs one action: whether it succeeded, and the runner's one-line summary.
    private func run(_ resource: Resource, _ action: OCFAction) -> (Bool, String) {
        let request = resource.request.with(action: action)
        do {
            let result = try executor.run(request)
            return (result.code == .success, result.summary)
        } catch {
            return (false, "\(request.agent) \(action): cannot run: \(error)")
        }
    }

    /// An OCF instance name from a haresources token, e.g. `203.0.113.10_24_eth0` (tokens are unique in haresources).
    static func instanceName(_ token: String) -> String {
        let cleaned = String(token.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" })
        return "\(cleaned.prefix(60))"
    }
}
