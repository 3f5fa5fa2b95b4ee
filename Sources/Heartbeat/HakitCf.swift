/// How one resource of a held group is watched (Pacemaker's recurring monitor with
/// `migration-threshold` and `failure-timeout`).
public struct MonitorSettings: Hashable, Sendable {
    /// Whether the resource is monitored at all.
    public var enabled: Bool
    /// Time between the end of one monitor and the start of the next, in ms.
    public var intervalMs: Int
    /// How long one monitor may run before it counts as failed, in ms.
    public var timeoutMs: Int
    /// Failures (fail count) at which the group is handed to the peer; 0: never, restart here.
    public var migrationThreshold: Int
    /// How long after the last failure the fail count is forgotten, in ms; 0: never.
    public var failureTimeoutMs: Int

    /// The defaults: every 10 s, 20 s timeout, handed over at the 3rd failure, failures forgotten
    /// 5 minutes after the last one.
    public static let defaults = MonitorSettings(
        enabled: true, intervalMs: 10_000, timeoutMs: 20_000, migrationThreshold: 3, failureTimeoutMs: 300_000)

    /// Creates settings.
    public init(enabled: Bool, intervalMs: Int, timeoutMs: Int, migrationThreshold: Int, failureTimeoutMs: Int) {
        self.enabled = enabled
        self.intervalMs = intervalMs
        self.timeoutMs = timeoutMs
        self.migrationThreshold = migrationThreshold
        self.failureTimeoutMs = failureTimeoutMs
    }
}

/// heartbeat-lite's own settings, in `hakit.cf` next to ha.cf. The file is optional: without it
/// the defaults apply. ha.cf and haresources stay exactly as a heartbeat node has them (they are
/// shared with the peer, which may be a real heartbeat); a heartbeat node ignores this file.
///
/// Syntax, one directive a line, `#` to the end of a line is a comment, times as in ha.cf
/// (seconds, or a number with `ms`):
///
///     monitor_interval 10          # every resource, unless a resource line says otherwise
///     monitor_timeout 20
///     migration_threshold 3        # 0: never hand over, always restart here
///     failure_timeout 300          # 0: failures are never forgotten
///     monitor on                   # off: no resource is monitored
///     resource TOKEN KEY VALUE…    # TOKEN as written in haresources; KEY one of monitor,
///                                  # interval, timeout, migration_threshold, failure_timeout
public struct HakitCf: Hashable, Sendable {
    /// The file name in the configuration directory.
    public static let fileName = "hakit.cf"

    /// The settings of resources no `resource` line names.
    public var defaults: MonitorSettings
    /// The settings of the resources a `resource` line names, by haresources token.
    public var resources: [String: MonitorSettings]

    /// No file: the defaults for every resource.
    public init(defaults: MonitorSettings = .defaults, resources: [String: MonitorSettings] = [:]) {
        self.defaults = defaults
        self.resources = resources
    }

    /// The settings of the resource written `token` in haresources.
    public func settings(for token: String) -> MonitorSettings { resources[token] ?? defaults }

    /// Parses hakit.cf; `tokens` are every resource token of haresources (a `resource` line must
    /// name one of them; `nil` when haresources could not be read, and nothing is checked).
    ///
    /// - Throws: every problem found, each with `path` and its line.
    public static func parse(_ text: String, path: String, tokens: Set<String>?) throws(ConfigErrors) -> HakitCf {
        var errors: [ConfigError] = []
        var defaults = MonitorSettings.defaults
        // Resource lines are applied over the global lines wherever they are in the file.
        var overrides: [(token: String, line: Int, apply: [(inout MonitorSettings) -> Void])] = []
        var seen: [String: Int] = [:]
        func fail(_ code: ConfigError.Code, _ line: Int, _ message: String) {
            errors.append(ConfigError(code, path: path, line: line, message))
        }
        /// How `key VALUE` changes settings, or nil with the problem recorded.
        func setter(_ key: Substring, _ value: Substring, line: Int) -> ((inout MonitorSettings) -> Void)? {
            func time(allowZero: Bool) -> Int? {
                guard let ms = ConfigTime.milliseconds(value), allowZero || ms > 0 else {
                    fail(.invalidTime, line, "\(key) \(value): not a time (seconds, or a number with ms)\(allowZero ? "" : " above 0")")
                    return nil
                }
                return ms
            }
            switch key {
            case "monitor", "enabled":
                guard let on = ConfigText.boolean(value) else {
                    fail(.invalidValue, line, "\(key) \(value): not on or off")
                    return nil
                }
                return { $0.enabled = on }
            case "interval", "monitor_interval":
                guard let ms = time(allowZero: false) else { return nil }
                guard ms >= 100 else {
                    fail(.invalidTime, line, "\(key) \(value): at least 100 ms")
                    return nil
                }
                return { $0.intervalMs = ms }
            case "timeout", "monitor_timeout":
                guard let ms = time(allowZero: false) else { return nil }
                return { $0.timeoutMs = ms }
            case "failure_timeout":
                guard let ms = time(allowZero: true) else { return nil }
                return { $0.failureTimeoutMs = ms }
            case "migration_threshold":
                guard let count = ConfigText.decimal(value) else {
                    fail(.invalidValue, line, "\(key) \(value): not a whole number (0: never hand over)")
                    return nil
                }
                return { $0.migrationThreshold = count }
            default:
                fail(.unknownDirective, line, "unknown setting \"\(key)\" (monitor, interval, timeout, migration_threshold, failure_timeout)")
                return nil
            }
        }
        for line in ConfigText.lines(text) {
            let words = ConfigText.tokens(ConfigText.stripComment(line.text))
            guard let directive = words.first else { continue }
            if directive == "resource" {
                guard words.count >= 4, words.count % 2 == 0 else {
                    fail(.missingValue, line.number, "resource needs TOKEN followed by KEY VALUE pairs")
                    continue
                }
                let token = String(words[1])
                if let tokens, !tokens.contains(token) {
                    let known = tokens.sorted().joined(separator: ", ")
                    fail(.invalidResource, line.number, "no resource \(token) in haresources (resources: \(known))")
                    continue
                }
                if let first = seen[token] {
                    fail(.duplicate, line.number, "resource \(token) already set on line \(first)")
                    continue
                }
                seen[token] = line.number
                var changes: [(inout MonitorSettings) -> Void] = []
                for pair in stride(from: 2, to: words.count, by: 2) {
                    if let change = setter(words[pair], words[pair + 1], line: line.number) { changes.append(change) }
                }
                overrides.append((token, line.number, changes))
                continue
            }
            guard words.count == 2 else {
                fail(words.count < 2 ? .missingValue : .tooManyValues, line.number, "\(directive) takes one value")
                continue
            }
            if let first = seen[String(directive)] {
                fail(.duplicate, line.number, "\(directive) already set on line \(first)")
                continue
            }
            seen[String(directive)] = line.number
            if directive == "interval" || directive == "timeout" || directive == "enabled" {
                fail(.unknownDirective, line.number, "unknown directive \"\(directive)\" (monitor_interval, monitor_timeout, monitor, migration_threshold, failure_timeout, resource)")
                continue
            }
            setter(directive, words[1], line: line.number)?(&defaults)
        }
        guard errors.isEmpty else { throw ConfigErrors(errors) }
        var resources: [String: MonitorSettings] = [:]
        for override in overrides {
            var settings = defaults
            for change in override.apply { change(&settings) }
            resources[override.token] = settings
        }
        return HakitCf(defaults: defaults, resources: resources)
    }
}
