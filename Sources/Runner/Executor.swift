import HAKitSystem
import OCF

/// Runs agents as Pacemaker's executor does: a child in its own process group with the class's
/// environment and arguments, output captured, on timeout SIGTERM to the group then SIGKILL, and
/// the exit status mapped to an OCF code by the class's own mapping. systemd units are no
/// processes of ours: their jobs go to systemd over D-Bus.
public struct Executor: Sendable {
    /// The environment the agents inherit (before the OCF variables are set).
    public var baseEnvironment: [String: String]
    /// Where `systemd:` resources reach systemd.
    public var systemd: SystemdOptions
    /// Where each agent's process group is recorded while it runs, if anywhere.
    public var ledger: ProcessGroupLedger?

    /// Creates an executor whose agents inherit `baseEnvironment`.
    public init(
        baseEnvironment: [String: String], systemd: SystemdOptions = SystemdOptions(), ledger: ProcessGroupLedger? = nil
    ) {
        self.baseEnvironment = baseEnvironment
        self.systemd = systemd
        self.ledger = ledger
    }

    /// Runs one action and waits for it.
    ///
    /// - Throws: `SystemError` when the agent cannot be started at all (missing, not executable).
    public func run(_ request: ActionRequest) throws -> ActionResult {
        let agent = request.agent
        if let synthesized = synthesizedResult(request) { return synthesized }
        let arguments: [String]
        let environment: [String: String]
        let ocfCode: (_ status: Int32, _ output: String) -> OCFExitCode
        switch agent.standard {
        case .ocf:
            arguments = [agent.path, request.action.rawValue]
            environment = request.environment(inheriting: baseEnvironment)
            ocfCode = { status, _ in OCFExitCode(rawValue: status) }
        case .lsb:
            arguments = [agent.path, LSBResultMapping.scriptAction(for: request.action)]
            environment = request.scriptEnvironment(inheriting: baseEnvironment)
            ocfCode = { status, _ in LSBResultMapping.ocfCode(action: request.action, status: status) }
        case .heartbeat:
            arguments = [agent.path] + agent.arguments + [HeartbeatResultMapping.scriptAction(for: request.action)]
            environment = request.scriptEnvironment(inheriting: baseEnvironment)
            ocfCode = { status, output in
                HeartbeatResultMapping.ocfCode(action: request.action, status: status, output: output)
            }
        case .systemd:
            return SystemdAction(request: request, options: systemd).run()
        }
        let outcome = try ProcessRun.run(
            path: agent.commandPrefix.first ?? agent.path, arguments: agent.commandPrefix + arguments,
            environment: environment.merging(agent.extraEnvironment) { $1 },
            timeoutMilliseconds: request.timeoutMilliseconds, killGraceMilliseconds: request.killGraceMilliseconds,
            errorLinePrefix: OCFError.reasonPrefix, ledger: ledger)
        let cutMarker = { (count: Int) in "[ocf-run: \(count) bytes cut]" }
        let output = String(decoding: outcome.standardOutput.bytes(cutMarker: cutMarker), as: UTF8.self)
        let errorOutput = String(decoding: outcome.standardError.bytes(cutMarker: cutMarker), as: UTF8.self)
        var code = OCFExitCode.genericError
        var status: Int32?
        var signal: Int32?
        switch outcome.termination {
        case .exited(let value)?:
            status = value
            if !outcome.timedOut { code = ocfCode(value, output + errorOutput) }
        case .signaled(let number)?: signal = number
        case nil: break
        }
        return ActionResult(
            request: request, code: code, scriptStatus: status, timedOut: outcome.timedOut,
            signal: outcome.timedOut ? nil : signal, survivors: outcome.survivors,
            elapsedMilliseconds: outcome.elapsedMilliseconds, output: output, errorOutput: errorOutput,
            exitReason: outcome.standardError.lastPrefixedLine, outputCutBytes: outcome.standardOutput.cutByteCount,
            errorOutputCutBytes: outcome.standardError.cutByteCount)
    }

    /// Actions of script classes that are answered without running the script: meta-data is
    /// synthesised, and actions the class does not have are not implemented (3).
    private func synthesizedResult(_ request: ActionRequest) -> ActionResult? {
        let agent = request.agent
        guard agent.standard == .lsb || agent.standard == .heartbeat else { return nil }
        var output = ""
        var reason: String?
        var code = OCFExitCode.success
        let supported: Set<OCFAction> =
            agent.standard == .lsb
            ? [.start, .stop, .monitor, .status, OCFAction(rawValue: "restart"), OCFAction(rawValue: "force-reload")]
            : [.start, .stop, .monitor, .status]
        if request.action == .metaData {
            output =
                agent.standard == .lsb
                ? SynthesizedMetadata.lsb(name: agent.type, path: agent.path)
                : SynthesizedMetadata.heartbeat(name: agent.type, path: agent.path)
        } else if supported.contains(request.action) {
            return nil
        } else {
            code = .unimplemented
            reason = "\(agent.standard.rawValue) resources have no \(request.action) action"
        }
        return ActionResult(
            request: request, code: code, scriptStatus: nil, timedOut: false, signal: nil, survivors: false,
            elapsedMilliseconds: 0, output: output, errorOutput: reason.map { "\(OCFError.reasonPrefix)\($0)\n" } ?? "",
            exitReason: reason)
    }
}
