/// Whether this machine's timers can hold ha.cf's timing, judged from wake-up latencies measured
/// at start-up (how much later than asked the loop thread woke from short sleeps). Pure: the
/// daemon measures, this decides what to say.
///
/// On a healthy link the silence a node sees between two of its peer's heartbeats is at most
/// keepalive, plus how late the peer's loop woke to send, plus how late this node's loop woke to
/// read (a loop that wakes late checks its dead times before it reads what has queued). With the
/// same machine on both ends that is keepalive + 2 × the worst latency measured here. Above
/// warntime, "late heartbeat" lines are to be expected; at deadtime or above, false dead
/// declarations and failovers.
public struct TimerHeadroom: Hashable, Sendable {
    /// ha.cf's `keepalive`, in milliseconds.
    public var keepaliveMs: Int
    /// ha.cf's `warntime`, in milliseconds.
    public var warntimeMs: Int
    /// ha.cf's `deadtime`, in milliseconds.
    public var deadtimeMs: Int

    public init(keepaliveMs: Int, warntimeMs: Int, deadtimeMs: Int) {
        self.keepaliveMs = keepaliveMs
        self.warntimeMs = warntimeMs
        self.deadtimeMs = deadtimeMs
    }

    /// What the measurement means for this timing.
    public enum Verdict: Hashable, Sendable {
        /// The worst silence expected stays within warntime.
        case holds
        /// It passes warntime: late-heartbeat warnings are to be expected, no false dead declaration.
        case lateHeartbeatsExpected
        /// It reaches deadtime: the peer may be declared dead while it is alive.
        case falseDeadExpected
    }

    /// The outcome of one assessment: the verdict and the log line that says it.
    public struct Assessment: Hashable, Sendable {
        public var verdict: Verdict
        /// The worst silence expected between two heartbeats on a healthy link, in microseconds.
        public var worstGapUs: Int
        /// One line for the log, with the figures.
        public var message: String
    }

    /// Judges `latenciesUs` (each how many microseconds a sleep overran; negative readings count
    /// as 0). `sleptUs` and `timerSlackNs` are only quoted in the message. No samples means
    /// nothing was measured: it holds, and the message says so.
    public func assess(latenciesUs: [Int], sleptUs: Int, timerSlackNs: Int?) -> Assessment {
        let samples = latenciesUs.map { max(0, $0) }.sorted()
        guard let worst = samples.last else {
            return Assessment(verdict: .holds, worstGapUs: keepaliveMs &* 1000, message: "timer check: no wake-up measured")
        }
        let median = samples[samples.count / 2]
        let keepaliveUs = Self.microseconds(keepaliveMs)
        let (twice, overflow) = worst.multipliedReportingOverflow(by: 2)
        let (gap, sumOverflow) = keepaliveUs.addingReportingOverflow(twice)
        let worstGapUs = overflow || sumOverflow ? Int.max : gap
        let measured =
            "\(samples.count) sleeps of \(sleptUs) µs woke late by median \(median) µs, at most \(worst) µs"
            + (timerSlackNs.map { " (timer slack \($0) ns)" } ?? "")
        let gapText = "keepalive \(keepaliveMs) ms + twice the worst = \(Self.milliseconds(worstGapUs)) ms"
        if worstGapUs >= Self.microseconds(deadtimeMs) {
            return Assessment(
                verdict: .falseDeadExpected, worstGapUs: worstGapUs,
                message: "timer check: \(measured); \(gapText) is not below deadtime \(deadtimeMs) ms: this machine cannot hold this deadtime, the peer may be declared dead while alive (raise deadtime, or run with realtime on and the rights it needs)")
        }
        if worstGapUs > Self.microseconds(warntimeMs) {
            return Assessment(
                verdict: .lateHeartbeatsExpected, worstGapUs: worstGapUs,
                message: "timer check: \(measured); \(gapText) is above warntime \(warntimeMs) ms: expect late-heartbeat warnings (raise warntime, or run with realtime on)")
        }
        return Assessment(verdict: .holds, worstGapUs: worstGapUs, message: "timer check: \(measured); \(gapText), within warntime \(warntimeMs) ms")
    }

    private static func microseconds(_ ms: Int) -> Int {
        let (value, overflow) = ms.multipliedReportingOverflow(by: 1000)
        return overflow ? Int.max : value
    }

    /// `12.3` for 12_345 µs.
    private static func milliseconds(_ us: Int) -> String {
        guard us < Int.max / 2 else { return "∞" }
        let tenths = (us + 50) / 100
        return "\(tenths / 10).\(tenths % 10)"
    }
}
