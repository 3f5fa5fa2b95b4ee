import OCF

/// One verdict of a contract check.
public struct Finding: Sendable, Hashable {
    /// Whether the contract held.
    public var passed: Bool
    /// What was checked and what was seen.
    public var message: String

    /// A kept contract.
    public static func pass(_ message: String) -> Finding { Finding(passed: true, message: message) }
    /// A broken contract.
    public static func fail(_ message: String) -> Finding { Finding(passed: false, message: message) }
}

/// Judges action results against the OCF contract, running the follow-up actions the contract
/// implies (a monitor after a start or a stop, meta-data to know what is advertised).
public struct ContractCheck: Sendable {
    /// Runs the follow-up actions.
    public var executor: Executor

    /// Creates a checker that runs follow-ups with an executor.
    public init(executor: Executor) { self.executor = executor }

    /// The findings for one result, and the follow-up results that were run to reach them.
    public func judge(_ result: ActionResult) -> (findings: [Finding], followUps: [ActionResult]) {
        let action = result.request.action
        var findings: [Finding] = []
        var followUps: [ActionResult] = []

        if result.timedOut {
            findings.append(.fail("\(action) did not finish within its \(result.request.timeoutMilliseconds) ms timeout"))
        }
        if result.survivors {
            findings.append(.fail("processes of the agent's group survived SIGKILL"))
        }
        if let signal = result.signal {
            findings.append(.fail("\(action) was killed by signal \(signal)"))
        }

        // What the agent advertises, from its own meta-data.
        var metadata: AgentMetadata?
        if action == .metaData {
            if result.code == .success {
                metadata = Self.metadataFindings(result.output, standard: result.request.agent.standard, into: &findings)
            }
        } else if let run = try? executor.run(result.request.with(action: .metaData)) {
            metadata = try? AgentMetadata(xml: run.output)
        }
        if !result.timedOut && result.signal == nil {
            findings.append(
                Self.exitCodeFinding(action: action, code: result.code, advertised: metadata?.advertises(action.rawValue)))
        }
        if let metadata, action != .metaData, OCFAction.known.contains(action) {
            let implied: Set<OCFAction> = [.usage, .help, .methods, .status]
            if !metadata.advertises(action.rawValue) && !implied.contains(action) && result.code != .unimplemented {
                findings.append(.fail("\(action) answered \(result.code.rawValue) but is not advertised in meta-data"))
            }
            if let limit = metadata.timeoutMilliseconds(for: action.rawValue),
                result.elapsedMilliseconds > Double(limit)
            {
                findings.append(
                    .fail("\(action) took \(formatMilliseconds(result.elapsedMilliseconds)) ms, more than the \(limit) ms its meta-data advertises"))
            }
        }

        // start and stop must leave the resource in the state they promise.
        let expectation: (after: OCFAction, allowed: Set<OCFExitCode>, word: String)? =
            switch action {
            case .start: (.start, [.success, .runningPromoted, .degraded, .degradedPromoted], "running")
            case .stop: (.stop, [.notRunning], "stopped")
            default: nil
            }
        if let expectation, result.code == .success, !result.timedOut {
            do {
                let monitor = try executor.run(result.request.with(action: .monitor))
                followUps.append(monitor)
                if expectation.allowed.contains(monitor.code) {
                    findings.append(.pass("monitor after \(action) returned \(monitor.code.rawValue) \(monitor.code): \(expectation.word)"))
                } else {
                    findings.append(
                        .fail("\(action) returned 0 but the monitor after it returned \(monitor.code.rawValue) \(monitor.code); the resource should be \(expectation.word)"))
                }
            } catch {
                findings.append(.fail("could not run the monitor after \(action): \(error)"))
            }
        }
        return (findings, followUps)
    }

    /// Whether a code is one the action may return. An action outside the OCF set must be
    /// answered with 3 unless the agent advertises it as its own.
    static func exitCodeFinding(action: OCFAction, code: OCFExitCode, advertised: Bool?) -> Finding {
        guard OCFAction.known.contains(action) else {
            if advertised == true {
                return .pass("\(action) is the agent's own advertised action; it answered \(code.rawValue) \(code)")
            }
            return code == .unimplemented
                ? .pass("\(action) is not an OCF action and the agent answered 3 OCF_ERR_UNIMPLEMENTED")
                : .fail("\(action) is not an OCF action; an agent should answer 3 OCF_ERR_UNIMPLEMENTED, not \(code.rawValue) \(code)")
        }
        if code == .unimplemented && action != .metaData && !OCFAction.mandatory.contains(action) {
            return .pass("\(action) is not implemented (3)")
        }
        if action.validExitCodes.contains(code) {
            return .pass("\(code.rawValue) \(code) is a valid result of \(action)")
        }
        let allowed = action.validExitCodes.map(\.rawValue).sorted().map(String.init).joined(separator: ", ")
        return .fail("\(code.rawValue) \(code) is not a valid result of \(action) (allowed: \(allowed))")
    }

    /// Checks that meta-data is well-formed and has the required elements and actions (script
    /// classes have no validate-all).
    static func metadataFindings(_ xml: String, standard: AgentSpec.Standard, into findings: inout [Finding])
        -> AgentMetadata?
    {
        do {
            let metadata = try AgentMetadata(xml: xml)
            findings.append(.pass("meta-data is well-formed with the required elements"))
            let mandatory = OCFAction.mandatory.filter { standard == .ocf || $0 != .validateAll }.map(\.rawValue)
            let missing = mandatory.filter { !metadata.advertises($0) }
            if missing.isEmpty {
                findings.append(.pass("meta-data advertises \(mandatory.joined(separator: ", "))"))
            } else {
                findings.append(.fail("meta-data does not advertise \(missing.joined(separator: ", "))"))
            }
            for action in metadata.actions where action.timeoutMilliseconds == nil {
                findings.append(.fail("meta-data action \(action.name) has no valid timeout"))
            }
            return metadata
        } catch {
            findings.append(.fail("\(error)"))
            return nil
        }
    }
}
