import HAKitSystem
import Heartbeat

/// The daemon's resource-health monitor: the pure `ResourceHealth` and the thread its monitors
/// run on (one at a time, never on the loop's thread, so heartbeats are never delayed).
final class HealthMonitor {
    /// One finished monitor.
    struct Report: Sendable {
        var group: String
        var index: Int
        var epoch: Int
        var result: ResourceHealth.Result
    }

    var machine: ResourceHealth
    let work: BackgroundWork<Report>

    /// The monitor of every haresources group, with hakit.cf's settings.
    init(configuration: HeartbeatConfiguration, runner: GroupRunner) throws {
        machine = ResourceHealth(
            groups: configuration.resources.groups.map { group in
                (group.key, group.resources.enumerated().map { index, resource in
                    ResourceHealth.Resource(
                        token: resource.token, settings: configuration.hakit.settings(for: resource.token),
                        mayLackStatus: runner.mayLackStatus(group.key, index: index))
                })
            })
        work = try BackgroundWork(label: "the resource monitor thread")
    }

    /// The settings of resource `index` of a group.
    func settings(_ key: String, _ index: Int) -> MonitorSettings? {
        guard let group = machine.groups.first(where: { $0.key == key }), group.resources.indices.contains(index) else { return nil }
        return group.resources[index].settings
    }
}

extension FailoverDaemon {
    /// Takes a finished monitor's result, tells the monitor which groups are steady, and starts the
    /// next monitor that is due. Called on every turn of the loop.
    func serviceHealth(now: Int64) {
        if let report = health.work.take() {
            applyHealth(
                health.machine.monitorFinished(
                    group: report.group, index: report.index, epoch: report.epoch, result: report.result, now: now,
                    peerCanTake: negotiation.peerAlive),
                now: now)
        }
        health.machine.watch(negotiation.steadyGroups, now: now)
        applyHealth(health.machine.tick(now: now), now: now)
    }

    private func applyHealth(_ effects: [ResourceHealth.Effect], now: Int64) {
        for effect in effects {
            switch effect {
            case .log(let severity, let text):
                switch severity {
                case .info: log.info(text)
                case .warning: log.warning(text)
                case .error: log.error(text)
                }
            case .monitor(let key, let index, let epoch, let timeoutMs):
                let runner = self.runner
                let intervalMs = health.settings(key, index)?.intervalMs ?? 10_000
                do {
                    try health.work.start {
                        HealthMonitor.Report(group: key, index: index, epoch: epoch, result: runner.monitor(key, index: index, intervalMs: intervalMs, timeoutMs: timeoutMs))
                    }
                } catch {
                    log.error("cannot run the monitor of \(key): \(error)")
                    applyHealth(health.machine.monitorFinished(group: key, index: index, epoch: epoch, result: .running, now: now, peerCanTake: false), now: now)
                }
            case .recover(let key, let index, let reason):
                apply(negotiation.recover(key, from: index, reason: reason, now: now), now: now)
            case .handOver(let key, let index, let reason):
                let handing = negotiation.handOver(key, reason: reason, now: now)
                apply(handing.isEmpty ? negotiation.recover(key, from: index, reason: reason, now: now) : handing, now: now)
            }
        }
    }

    /// Starts a restart of `key` from resource `index` on the group operation thread.
    func startRecovery(_ key: String, from index: Int, reason: String, now: Int64) {
        log.info("restarting \(key): \(reason)")
        notify.send("STATUS=restarting \(key)")
        let runner = self.runner
        let log = self.log
        // The hooks hear of a restart as of a start: `acquired`, or `start_failed`.
        runningOperation = (acquire: true, reason: "restarted: \(reason)")
        do {
            try operation.start { runner.recover(key, from: index, log: log.info) }
        } catch {
            log.error("cannot run the group operation: \(error)")
            finishOperation(.init(succeeded: [], failed: [key: "\(error)"]), now: now)
        }
    }

    /// `cleanup GROUP` from the control socket.
    func cleanupRequest(_ key: String?, now: Int64) -> String {
        guard let key else { return "error: usage: cleanup GROUP\n" }
        switch negotiation.cleanup(key, now: now) {
        case .success(let effects):
            health.machine.cleanup(key)
            log.info("cleanup \(key) requested through the control socket")
            apply(effects, now: now)
            return "ok\ncleanup \(key): failures forgotten here\n"
        case .failure(let refusal):
            return "error: \(refusal)\n"
        }
    }
}
