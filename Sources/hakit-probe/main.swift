import ArgumentParser
import HAKitSystem

/// The client of `make demo`, `make bench` and the failover tests: it polls a URL and tells, on
/// the monotonic clock, what answered when. Not installed.
struct HAKitProbe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hakit-probe",
        abstract: "Poll a URL and time what a client sees of a failover.",
        discussion: """
            Sends a GET every --interval ms, each on a new connection and a thread of its own, so a \
            request stuck on a dead server never delays the next. Prints a line whenever the \
            answer changes (the first line of the page, or why there was none), in the order the \
            requests were sent. With --trigger, runs the shell command once (after an answer \
            matching --before, if given) and measures from its start to the first answer matching \
            --until: the outage. Without --until, watches for --duration ms. The last line is \
            key=value: outage_ms (trigger to first match), gap_ms (last other answer to first \
            match), trigger_ms, trigger_delay_ms (from the --before answer to the trigger), sent, failed, skipped (ticks with too many requests in flight), \
            changes, unexpected (answers not matching --expect). Exit status: 0; 1 when the \
            awaited answer did not come within --max-wait or a watch saw unexpected answers; 2 when \
            the trigger failed.
            """)

    @Argument(help: "The URL to poll (http:// or https://).")
    var url: String

    @Option(name: .customLong("interval"), help: "Milliseconds between requests.")
    var intervalMs = 10

    @Option(name: .customLong("timeout"), help: "Milliseconds each request may take.")
    var timeoutMs = 200

    @Option(help: "Run --trigger only after an answer matching this extended regex.")
    var before: String?

    @Option(help: "A shell command; its start is time zero.")
    var trigger: String?

    @Option(
        name: .customLong("trigger-jitter"),
        help: "Run the trigger after a random delay below this many ms once --before has matched, so that it falls at any phase of the polling (a failure does not wait for the client's next request).")
    var triggerJitterMs = 0

    @Option(name: .customLong("trigger-label"), help: "What the trigger does, shown instead of the command.")
    var triggerLabel: String?

    @Option(help: "Stop at the first answer matching this extended regex, after the trigger.")
    var until: String?

    @Option(help: "In a watch, count answers not matching this extended regex as unexpected.")
    var expect: String?

    @Option(name: .customLong("max-wait"), help: "Milliseconds to wait for --before, then for --until.")
    var maximumWaitMs = 30_000

    @Option(name: .customLong("duration"), help: "Milliseconds a watch lasts (without --until).")
    var durationMs: Int?

    @Flag(name: .customLong("summary-only"), help: "Print only the key=value line.")
    var summaryOnly = false

    func validate() throws {
        guard triggerJitterMs >= 0 else { throw ValidationError("--trigger-jitter must not be negative") }
        guard intervalMs > 0, timeoutMs > 0, maximumWaitMs > 0 else {
            throw ValidationError("--interval, --timeout and --max-wait must be positive")
        }
        let longest = MonotonicClock.longestDurationMilliseconds
        for (name, value) in [
            ("--interval", intervalMs), ("--timeout", timeoutMs), ("--max-wait", maximumWaitMs),
            ("--trigger-jitter", triggerJitterMs), ("--duration", durationMs ?? 0),
        ] where value > longest {
            throw ValidationError("\(name) \(value) is longer than \(longest) ms")
        }
        guard until != nil || durationMs != nil else { throw ValidationError("give --until or --duration") }
        guard before == nil || trigger != nil else { throw ValidationError("--before needs --trigger") }
    }

    func run() throws {
        func regex(_ pattern: String?) throws -> ExtendedRegex? {
            guard let pattern else { return nil }
            do { return try ExtendedRegex(pattern) } catch { throw ValidationError("\(error)") }
        }
        let settings = ProbeSettings(
            request: HTTPRequest(url: url, timeoutMilliseconds: timeoutMs, followRedirects: false, maximumBodyBytes: 64 * 1024),
            intervalMs: intervalMs, before: try regex(before), trigger: trigger, triggerJitterMs: triggerJitterMs,
            triggerLabel: triggerLabel ?? trigger,
            until: try regex(until),
            expect: try regex(expect), maximumWaitMs: maximumWaitMs, durationMs: durationMs, summaryOnly: summaryOnly)
        let status = try ProbeSession(settings: settings).run()
        if status != 0 { throw ExitCode(status) }
    }
}

HAKitProbe.main()
