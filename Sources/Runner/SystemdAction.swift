import HAKitSystem
import OCF
import SystemdBus

/// One action of a `systemd:UNIT` resource, run over D-Bus as Pacemaker runs it
/// (shared/spec.md §2.4): no process of ours, but a job queued with systemd and waited for, and
/// the unit's `ActiveState` read until it settles within the operation timeout.
struct SystemdAction {
    /// The request; `request.agent.path` is the full unit name.
    let request: ActionRequest
    /// Where systemd is.
    let options: SystemdOptions

    /// `restart`, which systemd units have and OCF does not name.
    static let restart = OCFAction(rawValue: "restart")
    /// The actions a systemd resource has; any other is not implemented (3).
    static let supported: Set<OCFAction> = [.start, .stop, .monitor, .status, restart, .metaData]
    /// Pacemaker's own wait for a job's `JobRemoved` outlasts the operation timeout by 5 s, so that
    /// systemd's own timeouts report first (as a `timeout` result) when they are the same.
    static let jobGraceMilliseconds: Int64 = 5000

    /// What the action came to.
    private struct Outcome {
        var code: OCFExitCode
        var timedOut = false
        var reason: String?
        var output = ""
    }

    private var unit: String { request.agent.path }
    private var dropIn: SystemdDropIn {
        SystemdDropIn(unit: unit, resourceName: request.agent.type, directory: options.runtimeUnitDirectory)
    }

    /// Runs the action; failures to reach systemd are results (1), not thrown errors.
    func run() -> ActionResult {
        let started = MonotonicClock.nanoseconds()
        let outcome = perform(deadline: Int64(started / 1_000_000) + Int64(request.timeoutMilliseconds))
        return ActionResult(
            request: request, code: outcome.timedOut ? .genericError : outcome.code, scriptStatus: nil,
            timedOut: outcome.timedOut, signal: nil, survivors: false,
            elapsedMilliseconds: Double(MonotonicClock.nanoseconds() - started) / 1_000_000, output: outcome.output,
            errorOutput: outcome.reason.map { "\(OCFError.reasonPrefix)\($0)\n" } ?? "", exitReason: outcome.reason)
    }

    private func perform(deadline: Int64) -> Outcome {
        let action = request.action
        if action == .metaData {
            let description = try? connect().description(of: unit)
            let xml = SynthesizedMetadata.systemd(name: request.agent.type, unit: unit, description: description)
            return Outcome(code: .success, output: xml)
        }
        guard Self.supported.contains(action) else {
            return Outcome(code: .unimplemented, reason: "systemd resources have no \(action) action")
        }
        do {
            let manager = try connect()
            let path = try manager.loadUnit(unit)
            let state = try manager.state(of: path)
            // A unit whose file went away while it ran is still not-found and active: monitor
            // and stop must see it, so only a unit that also does not run counts as unknown.
            let running = SystemdResultMapping.monitor(state.activeState) != .settled(.notRunning)
            if state.loadState == .notFound && !running {
                let code = SystemdResultMapping.unknownUnit(action: action, isProbe: request.intervalMilliseconds == 0)
                if action == .stop { _ = try? dropIn.remove() }
                return Outcome(code: code, reason: code == .notInstalled ? "systemd unit \(unit) not found" : nil)
            }
            switch action {
            case .monitor, .status:
                return try settle(manager, path, first: state, deadline: deadline, SystemdResultMapping.monitor)
            case .start:
                if try dropIn.install() { try manager.reload() }
                return try job(.start, manager, path, deadline: deadline)
            case .stop:
                if try dropIn.remove() { try manager.reload() }
                let outcome = try job(.stop, manager, path, deadline: deadline)
                // A failed unit stays failed after its stop job. The cluster has stopped it, so
                // clear that, as `systemctl reset-failed` does: the monitor after a stop must
                // find the unit cleanly stopped (7), not failed (1).
                if outcome.code == .success, try manager.state(of: path).activeState == .failed {
                    try manager.resetFailed(unit)
                }
                return outcome
            default:
                return try job(.restart, manager, path, deadline: deadline)
            }
        } catch let error as BusError {
            let code = SystemdResultMapping.methodError(error.name, action: action)
            return Outcome(code: code, reason: code == .success ? nil : error.description)
        } catch {
            return Outcome(code: .genericError, reason: "\(error)")  // the drop-in could not be written
        }
    }

    private func connect() throws(BusError) -> SystemdManager {
        let connection = try BusConnection(options.busAddress.map { .address($0) } ?? .system)
        return SystemdManager(connection: connection, callTimeoutMilliseconds: request.timeoutMilliseconds)
    }

    /// Queues the job, waits for it, and reads the unit until it settles.
    private func job(
        _ method: UnitMethod, _ manager: SystemdManager, _ path: ObjectPath, deadline: Int64
    ) throws(BusError) -> Outcome {
        let verb = request.action.rawValue
        let jobDeadline = deadline + Self.jobGraceMilliseconds
        guard let result = try manager.run(method, unit: unit, deadlineMilliseconds: jobDeadline) else {
            let waited = Int64(request.timeoutMilliseconds) + Self.jobGraceMilliseconds
            return Outcome(
                code: .genericError, timedOut: true,
                reason: "systemd's \(verb) job for \(unit) did not end within \(waited) ms")
        }
        switch SystemdResultMapping.job(result) {
        case .checkState:
            return try settle(manager, path, first: nil, deadline: deadline) {
                SystemdResultMapping.afterJob(request.action, state: $0)
            }
        case .timedOut:
            return Outcome(
                code: .genericError, timedOut: true,
                reason: "systemd's job timeout (JobTimeoutSec) ended the \(verb) of \(unit)")
        case .failed:
            let state = try manager.state(of: path)
            return Outcome(
                code: .genericError,
                reason: "systemd could not \(verb) \(unit): job result \(result); "
                    + "unit \(describe(state, manager, path))")
        }
    }

    /// Reads the unit until `verdict` settles, every `pollDelayMilliseconds`, until the deadline.
    private func settle(
        _ manager: SystemdManager, _ path: ObjectPath, first: UnitState?, deadline: Int64,
        _ verdict: (ActiveState) -> SystemdResultMapping.Verdict
    ) throws(BusError) -> Outcome {
        var state: UnitState
        if let first { state = first } else { state = try manager.state(of: path) }
        while true {
            switch verdict(state.activeState) {
            case .settled(let code):
                switch code {
                case .genericError where state.activeState == .failed:
                    return Outcome(code: code, reason: "\(unit) \(describe(state, manager, path))")
                case .genericError:
                    let reason = "\(unit) is not running after \(request.action): \(describe(state, manager, path))"
                    return Outcome(code: code, reason: reason)
                default:
                    return Outcome(code: code)
                }
            case .pending:
                let remaining = Int(deadline - MonotonicClock.milliseconds())
                guard
                    let delay = SystemdResultMapping.pollDelayMilliseconds(
                        timeoutMilliseconds: request.timeoutMilliseconds, remainingMilliseconds: remaining)
                else {
                    return Outcome(
                        code: .genericError, timedOut: true,
                        reason: "\(unit) still \(state.activeState) (\(state.subState)) when the "
                            + "\(request.timeoutMilliseconds) ms timeout ran out")
                }
                MonotonicClock.sleep(milliseconds: delay)
                state = try manager.state(of: path)
            }
        }
    }

    /// `failed (failed), result exit-code`: the state, and for a service why it ended.
    private func describe(_ state: UnitState, _ manager: SystemdManager, _ path: ObjectPath) -> String {
        var text = "\(state.activeState) (\(state.subState))"
        if unit.hasSuffix(".service"),
            let result = try? manager.property("Result", interface: SystemdManager.serviceInterface, of: path),
            result != "success"
        {
            text += ", result \(result)"
        }
        return text
    }
}

extension SystemdManager {
    /// The unit's `Description`.
    func description(of unit: String) throws(BusError) -> String {
        try property("Description", of: loadUnit(unit))
    }
}
