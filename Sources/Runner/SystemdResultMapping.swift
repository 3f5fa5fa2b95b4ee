import OCF
import SystemdBus

/// How systemd's answers map to OCF codes, as Pacemaker maps them (shared/spec.md §2.4): the
/// job's result, then the unit's `ActiveState`, read again until it settles.
public enum SystemdResultMapping {
    /// What one reading of a unit says.
    public enum Verdict: Hashable, Sendable {
        /// The action is over with this code.
        case settled(OCFExitCode)
        /// The unit is still on its way up or down: read again later.
        case pending
    }

    /// What a finished job means.
    public enum JobVerdict: Hashable, Sendable {
        /// `done`: systemd did its part; the unit's state decides.
        case checkState
        /// `timeout`: the job's own timeout (`JobTimeoutSec=`) expired; counted as a timed-out
        /// action. A service's `TimeoutStartSec=` fails the service instead: result `failed`.
        case timedOut
        /// Anything else (`failed`, `dependency`, `canceled`, `skipped`, …): 1.
        case failed
    }

    /// monitor and status: `active` and `reloading` run (0), `activating` and `deactivating` are
    /// pending, `failed` is a failure (1: it did not stop cleanly, and the OCF API keeps 7 for a
    /// cleanly stopped resource; Pacemaker's own mapping says 7 here), anything else (`inactive`,
    /// `maintenance`) is not running (7).
    public static func monitor(_ state: ActiveState) -> Verdict {
        switch state {
        case .active, .reloading: .settled(.success)
        case .activating, .deactivating: .pending
        case .failed: .settled(.genericError)
        default: .settled(.notRunning)
        }
    }

    /// The reading after a start, restart or stop job ended `done`, as Pacemaker's executor
    /// follows such jobs up with monitors: after a start a unit that is not running is a failure
    /// (1); after a stop it is the success, and a unit still running is read again.
    public static func afterJob(_ action: OCFAction, state: ActiveState) -> Verdict {
        let reading = monitor(state)
        if action == .stop {
            switch reading {
            case .settled(.notRunning), .settled(.genericError): return .settled(.success)  // stopped, or failed: nothing runs
            case .settled(.success): return .pending
            default: return reading
            }
        }
        return reading == .settled(.notRunning) ? .settled(.genericError) : reading
    }

    /// What the `result` of a job's `JobRemoved` signal means.
    public static func job(_ result: JobResult) -> JobVerdict {
        switch result {
        case .done: .checkState
        case .timeout: .timedOut
        default: .failed
        }
    }

    /// The code for a D-Bus error of a unit method. systemd errors that mean "no such unit" are
    /// software missing here (5), except for stop, where a unit that does not exist is stopped
    /// (0); every other error is 1.
    public static func methodError(_ name: BusError.Name, action: OCFAction) -> OCFExitCode {
        guard [.noSuchUnit, .loadFailed, .invalidName].contains(name) else { return .genericError }
        return action == .stop ? .success : .notInstalled
    }

    /// The code for a unit systemd has no configuration for (`LoadState` `not-found`) and that
    /// does not run: stop 0, a probe 7 (shared/spec.md §1.4: a probe on a node without the
    /// software), anything else 5.
    public static func unknownUnit(action: OCFAction, isProbe: Bool) -> OCFExitCode {
        if action == .stop { return .success }
        if isProbe && (action == .monitor || action == .status) { return .notRunning }
        return .notInstalled
    }

    /// How long to wait before reading a pending unit again, as Pacemaker re-schedules its
    /// follow-up monitors: a tenth of the operation timeout, at most 2 s, half the time left when
    /// a tenth would use it all; `nil` when no time is left for another reading (a timeout).
    public static func pollDelayMilliseconds(timeoutMilliseconds: Int, remainingMilliseconds: Int) -> Int? {
        var delay = timeoutMilliseconds / 10
        if delay >= remainingMilliseconds && remainingMilliseconds > 20 { delay = remainingMilliseconds / 2 }
        delay = max(1, min(2000, delay))
        return delay < remainingMilliseconds ? delay : nil
    }
}
