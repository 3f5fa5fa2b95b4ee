import HAKitSystem
import OCF
import Runner

/// Where and how case files run.
public struct CaseRunOptions: Sendable {
    /// The OCF root agents are found under and run with (`OCF_ROOT`).
    public var agentRoot: String
    /// The provider directory, `AGENT_ROOT/resource.d/PROVIDER/TYPE`.
    public var provider: String
    /// Run only the cases whose title contains this text.
    public var titleFilter: String?
    /// Report every step, not only the failed ones.
    public var verbose: Bool
    /// The environment agents and commands inherit.
    public var environment: [String: String]
    /// The start of every namespace name; case N gets `PREFIX-N`.
    public var namespacePrefix: String

    /// Creates options; namespaces are named `hakit-case-<pid>-<n>` unless a prefix is given.
    public init(
        agentRoot: String = "/usr/lib/ocf", provider: String = "heartbeat", titleFilter: String? = nil,
        verbose: Bool = false, environment: [String: String], namespacePrefix: String? = nil
    ) {
        self.agentRoot = agentRoot
        self.provider = provider
        self.titleFilter = titleFilter
        self.verbose = verbose
        self.environment = environment
        self.namespacePrefix = namespacePrefix ?? "hakit-case-\(Host.processID)"
    }
}

/// Runs parsed case files against the agents of one provider, each case in a context of its own.
public struct CaseRunner: Sendable {
    /// Where and how.
    public var options: CaseRunOptions

    /// Creates a runner.
    public init(options: CaseRunOptions) { self.options = options }

    /// Runs every case of every file, handing each report line to `output` as it is ready.
    public func run(_ files: [CaseFile], output: (String) -> Void = { _ in }) -> CaseRunReport {
        var outcomes: [CaseOutcome] = []
        var number = 0
        for file in files {
            let selected = file.cases.filter { options.titleFilter.map($0.title.contains) ?? true }
            let agent: AgentSpec
            do {
                agent = try AgentSpec(parsing: "ocf:\(options.provider):\(file.agentType)", ocfRoot: options.agentRoot)
            } catch {
                outcomes += unrunnable(file, selected, "\(error)", output)
                continue
            }
            output("== \(file.path): \(agent) (\(agent.path))")
            guard FileSystem.isExecutable(agent.path) else {
                outcomes += unrunnable(file, selected, "no executable agent at \(agent.path)", output)
                continue
            }
            let metadata = readMetadata(agent)
            for definition in selected {
                number += 1
                var execution = CaseExecution(
                    file: file, definition: definition, agent: agent, metadata: metadata, options: options,
                    namespaceName: "\(options.namespacePrefix)-\(number)")
                let outcome = execution.run(trace: options.verbose ? { output("      " + $0) } : { _ in })
                output(outcome.reportLine)
                for failure in outcome.failures { output("      " + failure.line) }
                outcomes.append(outcome)
            }
        }
        return CaseRunReport(outcomes: outcomes)
    }

    /// Every case of a file failed because its agent cannot run at all.
    private func unrunnable(
        _ file: CaseFile, _ cases: [CaseDefinition], _ reason: String, _ output: (String) -> Void
    ) -> [CaseOutcome] {
        output("== \(file.path): \(reason)")
        return cases.map { definition in
            let outcome = CaseOutcome(
                file: file.name, title: definition.title, line: definition.line,
                failures: [CaseFailure(location: "\(file.name):\(definition.line)", message: reason)], stepsRun: 0,
                elapsedMilliseconds: 0)
            output(outcome.reportLine)
            return outcome
        }
    }

    /// The agent's meta-data, for the advertised timeouts and monitor interval; `nil` when it
    /// has none usable (the defaults apply then).
    private func readMetadata(_ agent: AgentSpec) -> AgentMetadata? {
        let request = ActionRequest(agent: agent, action: .metaData, ocfRoot: options.agentRoot)
        guard let result = try? Executor(baseEnvironment: options.environment).run(request), result.code == .success
        else { return nil }
        return try? AgentMetadata(xml: result.output)
    }
}
