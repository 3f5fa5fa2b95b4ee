import Heartbeat
import Testing

/// Issue 10, item 3: the recurring monitor's decisions, with a manual clock.
@Suite struct ResourceHealthTests {
    static let settings = MonitorSettings(enabled: true, intervalMs: 1000, timeoutMs: 500, migrationThreshold: 3, failureTimeoutMs: 60_000)
    static let group = "203.0.113.10/24/eth0"

    static func health(_ settings: MonitorSettings = settings, scriptLast: Bool = false) -> ResourceHealth {
        ResourceHealth(groups: [
            (group, [
                .init(token: group, settings: settings, mayLackStatus: false),
                .init(token: "apache", settings: settings, mayLackStatus: scriptLast),
            ])
        ])
    }

    /// Runs every monitor that is due at `now`, answering `result` for resource `index` (others
    /// run), and returns the decisions.
    static func run(_ health: inout ResourceHealth, at now: Int64, failing index: Int? = nil, result: ResourceHealth.Result = .failed("apache monitor: 7 OCF_NOT_RUNNING"), peer: Bool = true) -> [ResourceHealth.Effect] {
        var decisions: [ResourceHealth.Effect] = []
        while case .monitor(let key, let which, let epoch, _)? = health.tick(now: now).first(where: { if case .monitor = $0 { true } else { false } }) {
            let answer: ResourceHealth.Result = which == index ? result : .running
            decisions += health.monitorFinished(group: key, index: which, epoch: epoch, result: answer, now: now, peerCanTake: peer)
        }
        return decisions
    }

    @Test func monitorsStartOneIntervalAfterTheGroupIsSteadyOneAtATime() {
        var health = Self.health()
        health.watch([Self.group], now: 0)
        #expect(health.tick(now: 999).isEmpty)
        let first = health.tick(now: 1000)
        guard case .monitor(let key, 0, let epoch, 500)? = first.first else {
            Issue.record("no monitor: \(first)")
            return
        }
        #expect(key == Self.group)
        #expect(health.tick(now: 1000).isEmpty, "one monitor at a time")
        #expect(health.monitorFinished(group: key, index: 0, epoch: epoch, result: .running, now: 1010, peerCanTake: true).isEmpty)
        guard case .monitor(_, 1, _, _)? = health.tick(now: 1010).first else {
            Issue.record("the second resource is not monitored next")
            return
        }
        #expect(health.states[Self.group]?[0].lastResult == "running")
    }

    @Test func aFailureRestartsFromTheFailedResourceAndTheThresholdHandsOver() {
        var health = Self.health()
        health.watch([Self.group], now: 0)
        var decisions = Self.run(&health, at: 1000, failing: 1)
        #expect(decisions.contains(.recover(Self.group, from: 1, reason: "apache failed its monitor: apache monitor: 7 OCF_NOT_RUNNING")))
        #expect(health.states[Self.group]?[1].failCount == 1)
        // Not watched until the negotiation says the group is steady again (restarted).
        #expect(Self.run(&health, at: 5000, failing: 1).isEmpty)
        health.watch([], now: 5000)
        health.watch([Self.group], now: 5000)
        decisions = Self.run(&health, at: 6000, failing: 1)
        #expect(decisions.contains { if case .recover = $0 { true } else { false } })
        health.watch([], now: 6000)
        health.watch([Self.group], now: 6000)
        decisions = Self.run(&health, at: 7000, failing: 1)
        #expect(decisions.contains { if case .handOver(Self.group, from: 1, _) = $0 { true } else { false } }, "\(decisions)")
        #expect(health.states[Self.group]?[1].failCount == 3)
    }

    @Test func withoutAPeerTheThresholdRestartsHere() {
        var health = Self.health(MonitorSettings(enabled: true, intervalMs: 1000, timeoutMs: 500, migrationThreshold: 1, failureTimeoutMs: 0))
        health.watch([Self.group], now: 0)
        let decisions = Self.run(&health, at: 1000, failing: 0, peer: false)
        #expect(decisions.contains { if case .recover(Self.group, from: 0, _) = $0 { true } else { false } })
        #expect(!decisions.contains { if case .handOver = $0 { true } else { false } })
    }

    @Test func failuresOlderThanTheFailureTimeoutAreForgotten() {
        var health = Self.health()
        health.watch([Self.group], now: 0)
        _ = Self.run(&health, at: 1000, failing: 1)
        health.watch([], now: 1000)
        health.watch([Self.group], now: 1000)
        _ = Self.run(&health, at: 2000, failing: 1)
        #expect(health.states[Self.group]?[1].failCount == 2)
        _ = health.tick(now: 2000 + 60_000)
        #expect(health.states[Self.group]?[1].failCount == 0)
        health.watch([], now: 70_000)
        health.watch([Self.group], now: 70_000)
        let decisions = Self.run(&health, at: 71_000, failing: 1)
        #expect(health.states[Self.group]?[1].failCount == 1)
        #expect(!decisions.contains { if case .handOver = $0 { true } else { false } })
    }

    @Test func aResultForAGroupNoLongerSteadyIsDropped() {
        var health = Self.health()
        health.watch([Self.group], now: 0)
        guard case .monitor(let key, let index, let epoch, _)? = health.tick(now: 1000).first else {
            Issue.record("no monitor")
            return
        }
        health.watch([], now: 1001)  // released while the monitor ran
        #expect(health.monitorFinished(group: key, index: index, epoch: epoch, result: .failed("gone"), now: 1002, peerCanTake: true).isEmpty)
        #expect(health.states[Self.group]?[index].failCount == 0)
        #expect(!health.isMonitoring)
        health.watch([Self.group], now: 1003)
        #expect(health.monitorFinished(group: key, index: index, epoch: epoch, result: .failed("old"), now: 1004, peerCanTake: true).isEmpty, "an old epoch stays old")
    }

    @Test func aScriptWhoseFirstStatusFailsIsTakenAsHavingNoStatus() {
        var health = Self.health(scriptLast: true)
        health.watch([Self.group], now: 0)
        let decisions = Self.run(&health, at: 1000, failing: 1, result: .failed("heartbeat:apache monitor: 7 OCF_NOT_RUNNING"))
        #expect(!decisions.contains { if case .recover = $0 { true } else { false } })
        #expect(health.states[Self.group]?[1].unmonitored != nil)
        #expect(health.states[Self.group]?[1].failCount == 0)
        // One that once said running counts its failures.
        var seen = Self.health(scriptLast: true)
        seen.watch([Self.group], now: 0)
        _ = Self.run(&seen, at: 1000)
        let later = Self.run(&seen, at: 2000, failing: 1)
        #expect(later.contains { if case .recover(_, from: 1, _) = $0 { true } else { false } })
    }

    @Test func aResourceSwitchedOffIsNeverMonitoredAndCleanupForgets() {
        var off = Self.settings
        off.enabled = false
        var health = ResourceHealth(groups: [(Self.group, [.init(token: Self.group, settings: off, mayLackStatus: false)])])
        health.watch([Self.group], now: 0)
        #expect(health.tick(now: 100_000).isEmpty)
        #expect(health.states[Self.group]?[0].unmonitored == "monitor off in hakit.cf")
        var counted = Self.health()
        counted.watch([Self.group], now: 0)
        _ = Self.run(&counted, at: 1000, failing: 0)
        counted.cleanup(Self.group)
        #expect(counted.states[Self.group]?[0].failCount == 0)
    }
}

@Suite struct HakitCfTests {
    static let tokens: Set<String> = ["203.0.113.10/24/eth0", "apache::/etc/apache2/apache2.conf"]

    @Test func noSettingsMeansTheDefaults() throws {
        let cf = try HakitCf.parse("# nothing\n\n", path: "hakit.cf", tokens: Self.tokens)
        #expect(cf == HakitCf())
        #expect(cf.settings(for: "apache::/etc/apache2/apache2.conf") == .defaults)
    }

    @Test func globalAndPerResourceSettings() throws {
        let text = """
            monitor_interval 2   # seconds
            monitor_timeout 1500ms
            migration_threshold 2
            failure_timeout 0
            resource 203.0.113.10/24/eth0 monitor off
            resource apache::/etc/apache2/apache2.conf interval 500ms migration_threshold 5

            """
        let cf = try HakitCf.parse(text, path: "hakit.cf", tokens: Self.tokens)
        #expect(cf.defaults == MonitorSettings(enabled: true, intervalMs: 2000, timeoutMs: 1500, migrationThreshold: 2, failureTimeoutMs: 0))
        #expect(cf.settings(for: "203.0.113.10/24/eth0").enabled == false)
        #expect(cf.settings(for: "apache::/etc/apache2/apache2.conf") == MonitorSettings(enabled: true, intervalMs: 500, timeoutMs: 1500, migrationThreshold: 5, failureTimeoutMs: 0))
    }

    @Test func everyProblemIsReportedWithItsLine() {
        let text = """
            monitor_interval 10s
            migration_threshold -1
            frobnicate 3
            resource 192.0.2.99 monitor off
            resource apache::/etc/apache2/apache2.conf interval
            monitor_timeout 0
            monitor maybe
            monitor_timeout 5

            """
        #expect(throws: ConfigErrors.self) { try HakitCf.parse(text, path: "/etc/ha.d/hakit.cf", tokens: Self.tokens) }
        do {
            _ = try HakitCf.parse(text, path: "/etc/ha.d/hakit.cf", tokens: Self.tokens)
        } catch {
            let lines = error.errors.map(\.description)
            #expect(lines.count == 8, "\(lines)")
            #expect(lines.first == "/etc/ha.d/hakit.cf:1: monitor_interval 10s: not a time (seconds, or a number with ms) above 0")
            #expect(lines.contains { $0.hasPrefix("/etc/ha.d/hakit.cf:2: migration_threshold -1") })
            #expect(lines.contains { $0.hasPrefix("/etc/ha.d/hakit.cf:3: unknown setting \"frobnicate\"") })
            #expect(lines.contains { $0.hasPrefix("/etc/ha.d/hakit.cf:4: no resource 192.0.2.99 in haresources") })
            #expect(lines.contains { $0.hasPrefix("/etc/ha.d/hakit.cf:5: resource needs TOKEN") })
            #expect(lines.contains { $0.hasPrefix("/etc/ha.d/hakit.cf:6: monitor_timeout 0") })
            #expect(lines.contains { $0.hasPrefix("/etc/ha.d/hakit.cf:7: monitor maybe: not on or off") })
            #expect(lines.last == "/etc/ha.d/hakit.cf:8: monitor_timeout already set on line 6")
        }
    }
}
