import HAKitSystem
import OCF

#if canImport(Glibc)
import Glibc
#endif

/// What a probe run is asked to do.
struct ProbeSettings {
    var request: HTTPRequest
    var intervalMs: Int
    /// Answers to wait for before the trigger runs (e.g. the first node's page).
    var before: ExtendedRegex?
    /// A shell command whose start is time zero of the measurement.
    var trigger: String?
    /// The trigger runs this many ms (at most; uniformly drawn) after the `before` answer, so that
    /// it falls at any phase of the polling, as a real failure would. 0 runs it at once.
    var triggerJitterMs: Int = 0
    /// How the trigger is named in the output.
    var triggerLabel: String?
    /// The answer whose arrival ends the measurement.
    var until: ExtendedRegex?
    /// Answers that are fine in a watch; anything else is counted as unexpected.
    var expect: ExtendedRegex?
    /// How long to wait for `before`, and then for `until`, in ms.
    var maximumWaitMs: Int
    /// How long a watch lasts (no `until`), in ms.
    var durationMs: Int?
    /// Print one `key=value` line instead of the transitions.
    var summaryOnly: Bool
}

/// One probe run: requests every `intervalMs` on the monotonic clock, transitions printed in the
/// order the requests were sent, and — with a trigger — the time from the trigger's start to the
/// first answer matching `until`, which is what a client sees of a failover.
final class ProbeSession {
    private let settings: ProbeSettings
    private let poller: Poller
    private let startNs = MonotonicClock.nanoseconds()

    private var sent = 0
    private var skipped = 0
    private var failed = 0
    private var unexpected = 0
    private var changes = 0
    private var waiting: [Int: Sample] = [:]
    private var nextToReport = 0
    private var lastOutcome: Outcome?
    private var everything: [Sample] = []

    private var triggerNs: UInt64?
    /// When the `before` answer came, and when the trigger is to run after it.
    private var beforeMatchedNs: UInt64?
    private var triggerDueNs: UInt64?
    private var triggerChild: ChildProcess?
    private var triggerTookNs: UInt64?
    private var firstMatch: Sample?

    init(settings: ProbeSettings) throws {
        self.settings = settings
        let inFlight = max(4, settings.request.timeoutMilliseconds / max(1, settings.intervalMs) + 4)
        poller = try Poller(request: settings.request, maximumInFlight: inFlight)
    }

    /// Runs to the end; returns the exit status: 0 done, 1 the awaited answer never came (or
    /// unexpected answers in a watch), 2 the trigger failed.
    func run() -> Int32 {
        let intervalNs = UInt64(settings.intervalMs) * 1_000_000
        var nextSendNs = startNs
        let waitNs = UInt64(settings.maximumWaitMs) * 1_000_000
        let endOfWatchNs = settings.durationMs.map { startNs + UInt64($0) * 1_000_000 }
        if !settings.summaryOnly {
            say("polling \(settings.request.url) every \(settings.intervalMs) ms (timeout \(settings.request.timeoutMilliseconds) ms per request)")
        }
        if settings.trigger != nil && settings.before == nil { fireTrigger() }
        var status: Int32 = 0
        while true {
            let now = MonotonicClock.nanoseconds()
            if now >= nextSendNs {
                if poller.send(sequence: sent) { sent += 1 } else { skipped += 1 }
                nextSendNs += intervalNs
                if nextSendNs < now { nextSendNs = now + intervalNs }  // stalled: no burst to catch up
            }
            collect()
            if let due = triggerDueNs, triggerNs == nil, MonotonicClock.nanoseconds() >= due { fireTrigger() }
            if let child = triggerChild, let termination = child.reap() {
                triggerTookNs = MonotonicClock.nanoseconds() - triggerNs!
                triggerChild = nil
                if termination != .exited(0) {
                    say("trigger failed: \(termination)")
                    status = 2
                    break
                }
            }
            if settings.trigger != nil && triggerNs == nil {
                if now > startNs + waitNs {
                    say("no answer matching '\(settings.before!.pattern)' within \(settings.maximumWaitMs) ms; trigger not run")
                    status = 1
                    break
                }
            } else if let until = settings.until {
                if firstMatch != nil && triggerChild == nil { break }
                if firstMatch == nil && now > (triggerNs ?? startNs) + waitNs {
                    say("no answer matching '\(until.pattern)' within \(settings.maximumWaitMs) ms")
                    status = 1
                    break
                }
            } else if let end = endOfWatchNs, now >= end {
                break
            }
            // Answers carry their own time stamps: collecting them at the next send loses nothing.
            let later = MonotonicClock.nanoseconds()
            var wake = nextSendNs
            if let due = triggerDueNs, triggerNs == nil { wake = min(wake, due) }
            if wake > later { MonotonicClock.sleep(nanoseconds: min(wake - later, 10_000_000)) }
        }
        // Requests still under way end within their timeout; wait so every transition is shown.
        let drainEnd = MonotonicClock.nanoseconds() + UInt64(settings.request.timeoutMilliseconds + 1000) * 1_000_000
        while poller.pending > 0 && MonotonicClock.nanoseconds() < drainEnd {
            MonotonicClock.sleep(milliseconds: 2)
            collect()
        }
        collect()
        if let child = triggerChild {
            child.reap(blocking: true)
            triggerTookNs = MonotonicClock.nanoseconds() - triggerNs!
        }
        summarize()
        if status == 0 && settings.expect != nil && unexpected > 0 { status = 1 }
        return status
    }

    // MARK: Samples

    private func collect() {
        for sample in poller.take() {
            waiting[sample.sequence] = sample
            everything.append(sample)
            if !sample.outcome.isAnswer { failed += 1 }
            if let expect = settings.expect, !(sample.outcome.isAnswer && expect.matches(sample.body)) { unexpected += 1 }
            if triggerNs == nil, triggerDueNs == nil, settings.trigger != nil, let before = settings.before,
                sample.outcome.isAnswer, before.matches(sample.body)
            {
                let jitterNs = UInt64.random(in: 0..<UInt64(max(1, settings.triggerJitterMs * 1_000_000)))
                beforeMatchedNs = MonotonicClock.nanoseconds()
                triggerDueNs = beforeMatchedNs! + (settings.triggerJitterMs > 0 ? jitterNs : 0)
            }
            if let until = settings.until, sample.outcome.isAnswer, sample.completedNs >= (triggerNs ?? startNs),
                triggerNs != nil || settings.trigger == nil, until.matches(sample.body),
                firstMatch.map({ sample.completedNs < $0.completedNs }) ?? true
            {
                firstMatch = sample
            }
        }
        while let sample = waiting.removeValue(forKey: nextToReport) {
            nextToReport += 1
            if sample.outcome != lastOutcome {
                if lastOutcome != nil { changes += 1 }
                lastOutcome = sample.outcome
                if !settings.summaryOnly {
                    say("\(stamp(sample.sentNs)) sent, \(stamp(sample.completedNs)) done: \(sample.outcome)")
                }
            }
        }
    }

    private func fireTrigger() {
        guard let command = settings.trigger else { return }
        triggerNs = MonotonicClock.nanoseconds()
        if !settings.summaryOnly {
            say("trigger at \(milliseconds(triggerNs! - startNs)) ms from the start; times below count from it: \(settings.triggerLabel ?? command)")
        }
        do {
            triggerChild = try ChildProcess.spawn(
                path: "/bin/sh", arguments: ["sh", "-c", command], environment: ProcessEnvironment.current(),
                newProcessGroup: false, captureOutput: false)
        } catch {
            say("cannot run the trigger: \(error)")
            triggerChild = nil
        }
    }

    // MARK: Output

    private func summarize() {
        let zero = triggerNs ?? startNs
        var fields: [(String, String)] = []
        if settings.until != nil {
            if let match = firstMatch {
                fields.append(("outage_ms", milliseconds(match.completedNs - zero)))
                // The client's own view: from the last answer of any other kind to the first match.
                let lastOther = everything.filter {
                    $0.outcome.isAnswer && $0.completedNs < match.completedNs && !(settings.until!.matches($0.body))
                }.map(\.completedNs).max()
                if let lastOther { fields.append(("gap_ms", milliseconds(match.completedNs - lastOther))) }
            } else {
                fields.append(("outage_ms", "none"))
            }
        }
        if let took = triggerTookNs { fields.append(("trigger_ms", milliseconds(took))) }
        if let matched = beforeMatchedNs, let fired = triggerNs { fields.append(("trigger_delay_ms", milliseconds(fired - matched))) }
        fields += [
            ("sent", "\(sent)"), ("failed", "\(failed)"), ("skipped", "\(skipped)"), ("changes", "\(changes)"),
        ]
        if settings.expect != nil { fields.append(("unexpected", "\(unexpected)")) }
        if settings.summaryOnly {
            writeOut(fields.map { "\($0.0)=\($0.1)" }.joined(separator: " ") + "\n")
            return
        }
        if let match = firstMatch, let until = settings.until {
            let from = triggerNs == nil ? "the start" : "the trigger"
            say("first answer matching '\(until.pattern)' \(milliseconds(match.completedNs - zero)) ms after \(from)")
        }
        say(fields.map { "\($0.0)=\($0.1)" }.joined(separator: " "))
    }

    private func stamp(_ ns: UInt64) -> String {
        let zero = triggerNs ?? startNs
        let value = ns >= zero ? milliseconds(ns - zero) : "-" + milliseconds(zero - ns)
        return "\(triggerNs != nil && ns >= zero ? "+" : "")\(value) ms"
    }

    private func milliseconds(_ ns: UInt64) -> String {
        let tenths = (ns + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }

    private func say(_ text: String) { writeOut("probe: \(text)\n") }

    private func writeOut(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(1, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }
}

extension MonotonicClock {
    /// Sleeps for a number of nanoseconds (below a second).
    fileprivate static func sleep(nanoseconds: UInt64) {
        var request = timespec(tv_sec: 0, tv_nsec: Int(min(nanoseconds, 999_999_999)))
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1 && errno == EINTR { request = remaining }
    }
}
