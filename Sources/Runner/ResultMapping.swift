import OCF

/// How an LSB init script's exit status maps to an OCF code, as Pacemaker maps it
/// (`services__lsb2ocf`; LSB 3.0 "Init Script Actions").
public enum LSBResultMapping {
    /// The action sent to the script: monitor is sent as `status`.
    public static func scriptAction(for action: OCFAction) -> String {
        action == .monitor ? "status" : action.rawValue
    }

    /// The OCF code for a script's exit status.
    public static func ocfCode(action: OCFAction, status: Int32) -> OCFExitCode {
        if action == .monitor || action == .status {
            switch status {
            case 0: return .success
            case 1, 2, 3: return .notRunning  // dead with pid file, dead with lock file, stopped
            case 150: return .notInstalled
            case 151: return .insufficientPrivileges
            default: return .genericError  // 4 = unknown, and anything else
            }
        }
        return (0...7).contains(status) ? OCFExitCode(rawValue: status) : .genericError
    }
}

/// How a heartbeat v1 resource script's result maps to an OCF code.
///
/// heartbeat's ResourceManager judges "running" from what `status` prints, not its exit status:
/// output containing "not running" (any case) means stopped; otherwise "running"/"Running" or
/// "OK" means running; anything else means stopped.
public enum HeartbeatResultMapping {
    /// The action sent to the script: monitor is sent as `status`.
    public static func scriptAction(for action: OCFAction) -> String {
        action == .monitor ? "status" : action.rawValue
    }

    /// Whether `status` output says the resource runs.
    public static func isRunning(statusOutput: String) -> Bool {
        if statusOutput.lowercased().contains("not running") { return false }
        return statusOutput.contains("running") || statusOutput.contains("Running") || statusOutput.contains("OK")
    }

    /// The OCF code for a script's exit status and output.
    public static func ocfCode(action: OCFAction, status: Int32, output: String) -> OCFExitCode {
        if action == .monitor || action == .status {
            return isRunning(statusOutput: output) ? .success : .notRunning
        }
        return LSBResultMapping.ocfCode(action: action, status: status)
    }
}
