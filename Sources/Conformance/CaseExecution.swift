import HAKitSystem
import OCF
import Runner

/// A step that could not be carried out (a set-up command failed, no namespace where one is
/// needed): the case cannot go on.
struct StepError: Error {
    /// What went wrong.
    var message: String
}

/// One case while it runs: its own namespace, scratch directory, parameters and environment.
///
/// The file's SETUP steps run first, then the case's; the first step that cannot be carried out
/// ends that part. CLEANUP steps always run. Then the namespace and the directory are removed.
/// An action or expectation that does not hold is a failure, but the case goes on.
struct CaseExecution {
    let file: CaseFile
    let definition: CaseDefinition
    let agent: AgentSpec
    let metadata: AgentMetadata?
    let options: CaseRunOptions
    /// The name `namespace` creates.
    let namespaceName: String

    /// The namespace, once created.
    var namespace: String?
    /// The case's scratch directory.
    var caseDirectory = ""
    /// The agent run inside the namespace, once there is one.
    var namespacedAgent: AgentSpec?
    /// Instance parameters set so far (`param`, `unset`).
    var parameters: [(name: String, value: String)] = []
    /// Meta-attributes set so far (`meta`).
    var meta: [(name: String, value: String)] = []
    /// Variables set so far (`env`).
    var extraEnvironment: [String: String] = [:]
    /// The resource instance (`instance`).
    var instance: String
    /// The steps that failed so far.
    var failures: [CaseFailure] = []
    /// How many steps ran.
    var stepsRun = 0
    /// Whether any step of the case asks for a namespace: then no agent or command may run
    /// before it exists, so a failed set-up never lets a network agent loose on the host.
    let wantsNamespace: Bool

    init(
        file: CaseFile, definition: CaseDefinition, agent: AgentSpec, metadata: AgentMetadata?,
        options: CaseRunOptions, namespaceName: String
    ) {
        self.file = file
        self.definition = definition
        self.agent = agent
        self.metadata = metadata
        self.options = options
        self.namespaceName = namespaceName
        instance = agent.type
        wantsNamespace = (file.setup + definition.steps + file.cleanup).contains { $0.statement == .namespace }
    }

    /// The `${…}` variables as they stand.
    var variables: CaseVariables {
        CaseVariables(values: [
            "NS": namespace ?? "", "CASE_DIR": caseDirectory, "AGENT": agent.path, "TYPE": agent.type,
            "PROVIDER": agent.provider ?? "", "OCF_ROOT": options.agentRoot, "INSTANCE": instance,
        ])
    }

    /// The environment agents inherit: the runner's, with the case's `env` variables.
    var agentEnvironment: [String: String] { options.environment.merging(extraEnvironment) { $1 } }

    /// The environment of commands: the agents' one plus the case variables (`$NS`, `$CASE_DIR`, …).
    var commandEnvironment: [String: String] { agentEnvironment.merging(variables.values) { $1 } }

    /// Runs the case and removes what it made.
    mutating func run(trace: (String) -> Void) -> CaseOutcome {
        let started = MonotonicClock.nanoseconds()
        do {
            caseDirectory = try Host.makeScratchDirectory("case")
        } catch {
            failures.append(
                CaseFailure(
                    location: "\(file.name):\(definition.line)", message: "cannot create a scratch directory: \(error)")
            )
        }
        if !caseDirectory.isEmpty {
            perform(file.setup + definition.steps, trace: trace, stopAtError: true)
            // Without the namespace the case asked for nothing ran (nothing may run before it),
            // so there is nothing to clean up.
            if !wantsNamespace || namespace != nil {
                perform(file.cleanup, trace: trace, stopAtError: false)
            }
        }
        tearDown()
        return CaseOutcome(
            file: file.name, title: definition.title, line: definition.line, failures: failures, stepsRun: stepsRun,
            elapsedMilliseconds: Double(MonotonicClock.nanoseconds() - started) / 1_000_000)
    }

    /// Runs steps; with `stopAtError`, until one cannot be carried out.
    private mutating func perform(_ steps: [CaseStep], trace: (String) -> Void, stopAtError: Bool) {
        for step in steps {
            stepsRun += 1
            let before = failures.count
            do {
                try perform(step)
            } catch {
                fail(step, error.message)
                if stopAtError { return }
            }
            if failures.count == before { trace("ok    \(file.name):\(step.location): \(step.text)") }
        }
    }

    /// Records a failed step.
    mutating func fail(_ step: CaseStep, _ message: String) {
        failures.append(CaseFailure(location: "\(file.name):\(step.location)", message: message))
    }

    /// Carries out one step.
    private mutating func perform(_ step: CaseStep) throws(StepError) {
        let expand = variables.expand
        switch step.statement {
        case .namespace:
            try createNamespace()
        case .interface(let name, let peer, let up):
            try createInterface(expand(name), peer: expand(peer), up: up)
        case .address(let address, let interface):
            try addAddress(expand(address), on: expand(interface))
        case .run(let command):
            let outcome = try shell(expand(command))
            guard outcome.succeeded else { throw StepError(message: "run \(expand(command)): \(outcome.complaint)") }
        case .write(let path, let contents):
            do {
                let target = expand(path)
                if let slash = target.lastIndex(of: "/"), slash != target.startIndex {
                    try FileSystem.makeDirectories(String(target[..<slash]))
                }
                try FileSystem.writeAtomically(target, contents: expand(contents))
            } catch {
                throw StepError(message: "write \(expand(path)): \(error)")
            }
        case .sleep(let duration):
            MonotonicClock.sleep(milliseconds: duration)
        case .environment(let name, let value):
            extraEnvironment[name] = expand(value)
        case .parameter(let name, let value):
            parameters.removeAll { $0.name == name }
            parameters.append((name, expand(value)))
        case .unsetParameter(let name):
            parameters.removeAll { $0.name == name }
        case .meta(let name, let value):
            meta.removeAll { $0.name == name }
            meta.append((name, expand(value)))
        case .instance(let name):
            instance = expand(name)
        case .action(let action):
            try run(action, step)
        case .expect(let condition):
            if let problem = try check(condition) { fail(step, problem) }
        }
    }

    /// Runs an agent action through the executor and compares what it returned.
    private mutating func run(_ step: ActionStep, _ location: CaseStep) throws(StepError) {
        let target = try agentForActions()
        let advertised = metadata?.timeoutMilliseconds(for: step.action.rawValue)
        let monitorInterval =
            metadata?.recurringMonitorIntervalMilliseconds ?? AgentMetadata.defaultMonitorIntervalMilliseconds
        let request = ActionRequest(
            agent: target, action: step.action, parameters: parameters, instance: instance, ocfRoot: options.agentRoot,
            timeoutMilliseconds: step.timeoutMilliseconds ?? advertised ?? AgentSession.defaultTimeoutMilliseconds,
            intervalMilliseconds: step.intervalMilliseconds ?? (step.action == .monitor ? monitorInterval : 0),
            checkLevel: step.checkLevel, meta: meta)
        let result: ActionResult
        do {
            result = try Executor(baseEnvironment: agentEnvironment).run(request)
        } catch {
            throw StepError(message: "action \(step.action): cannot run \(agent.path): \(error)")
        }
        let seen = ConformanceCheck.describe(result)
        if result.timedOut || result.signal != nil || !step.expected.accepts(result.code) {
            var message = "action \(step.action): \(seen), expected \(step.expected)"
            if let reason = ConformanceCheck.reason(result) { message += ": \(reason)" }
            fail(location, message)
        } else if let advertised, result.elapsedMilliseconds > Double(advertised) {
            fail(
                location,
                "action \(step.action) took \(milliseconds(result.elapsedMilliseconds)) ms, "
                    + "more than the \(advertised) ms it advertises"
            )
        }
    }

    /// The agent as actions run it: through `ip netns exec` once the namespace exists.
    private func agentForActions() throws(StepError) -> AgentSpec {
        if let namespacedAgent { return namespacedAgent }
        if wantsNamespace { throw StepError(message: "no namespace yet: put the namespace step before agent actions") }
        return agent
    }

    /// Runs a shell command in the case's namespace (if it has one).
    func shell(_ command: String) throws(StepError) -> SystemCommand.Outcome {
        if wantsNamespace && namespace == nil {
            throw StepError(message: "no namespace yet: put the namespace step before commands")
        }
        return try system(["/bin/sh", "-c", command], inNamespace: true)
    }

    /// Runs a program, inside the namespace when asked and there is one.
    func system(_ arguments: [String], inNamespace: Bool) throws(StepError) -> SystemCommand.Outcome {
        let commands = SystemCommand(environment: commandEnvironment, timeoutMilliseconds: 60_000)
        do {
            return try commands.run(arguments, in: inNamespace ? namespace : nil)
        } catch {
            throw StepError(message: "cannot run \(arguments[0]): \(error)")
        }
    }
}
