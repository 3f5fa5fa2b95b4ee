import HAKitSystem
import OCF

/// What running one action gave.
public struct ActionResult: Sendable {
    /// The request that was run.
    public var request: ActionRequest
    /// The exit code as Pacemaker counts it: the agent's own, or 1 when it timed out or was
    /// killed by a signal.
    public var code: OCFExitCode
    /// The script's own exit status before class mapping (an LSB `status` 3 is OCF 7); `nil`
    /// when it was killed or not run.
    public var scriptStatus: Int32?
    /// Whether the timeout expired.
    public var timedOut: Bool
    /// The signal that ended the agent, if one did.
    public var signal: Int32?
    /// Whether processes of the agent's group survived the final SIGKILL.
    public var survivors: Bool
    /// Wall time from start to exit, in milliseconds.
    public var elapsedMilliseconds: Double
    /// The agent's standard output: all of it, or its first and last 512 KiB around a line
    /// `[ocf-run: N bytes cut]`.
    public var output: String
    /// The agent's standard error, kept as `output` is.
    public var errorOutput: String
    /// The last `ocf-exit-reason:` line on standard error, without the prefix, as Pacemaker reads
    /// it: from the whole stream as it came, so a cut does not lose it.
    public var exitReason: String?
    /// How many bytes of standard output were cut from the middle (0: none).
    public var outputCutBytes = 0
    /// How many bytes of standard error were cut from the middle (0: none).
    public var errorOutputCutBytes = 0

    /// A one-line summary: `ocf:hakit:Dummy start: 0 OCF_SUCCESS (3.1 ms)`.
    public var summary: String {
        var text = "\(request.agent) \(request.action): "
        if timedOut {
            text += "timed out after \(request.timeoutMilliseconds) ms, counted as \(code.rawValue) \(code)"
        } else if let signal {
            text += "killed by signal \(signal), counted as \(code.rawValue) \(code)"
        } else {
            text += "\(code.rawValue) \(code)"
            if request.agent.standard != .ocf, let scriptStatus, scriptStatus != code.rawValue {
                text += " (script exit \(scriptStatus))"
            }
        }
        text += " (\(formatMilliseconds(elapsedMilliseconds)) ms)"
        if let exitReason { text += ": \(exitReason)" }
        if survivors { text += " [processes of its group survived SIGKILL]" }
        return text
    }
}

/// Formats milliseconds with one decimal.
func formatMilliseconds(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}
