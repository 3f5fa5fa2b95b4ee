/// Resource health: a recurring monitor of every resource of each held group, in the spirit of
/// Pacemaker's recurring `monitor` operation with `migration-threshold` and `failure-timeout`
/// (heartbeat v1 itself never looks at a resource once it is started).
///
/// Pure: the daemon tells it which groups are held and steady (`watch`), lets time pass (`tick`),
/// and reports each monitor's result (`monitorFinished`); it returns effects: run one monitor,
/// restart a group from a failed resource, hand a group to the peer, log. One monitor runs at a
/// time. A result that comes back after its group stopped being steady (released, restarted,
/// in a transition) is dropped, so a monitor racing a stop never counts as a failure.
///
/// Failures: each failed monitor adds one to the resource's fail count; a count older than
/// `failureTimeoutMs` (since the last failure) is forgotten first. Below `migrationThreshold` the
/// group is restarted here from the failed resource; at it, the group is handed to the peer, or
/// restarted here when no peer is alive to take it (a node alone keeps trying: stopping would
/// leave the service down for sure).
public struct ResourceHealth: Sendable {
    /// One resource as the monitor sees it.
    public struct Resource: Hashable, Sendable {
        /// The haresources token.
        public var token: String
        /// Its settings (hakit.cf).
        public var settings: MonitorSettings
        /// Whether its status must first be seen "running" before a failure counts: heartbeat
        /// resource scripts and LSB scripts need not implement `status`, and one that does not
        /// reads as "not running" right after a successful start.
        public var mayLackStatus: Bool

        /// Creates a resource.
        public init(token: String, settings: MonitorSettings, mayLackStatus: Bool) {
            self.token = token
            self.settings = settings
            self.mayLackStatus = mayLackStatus
        }
    }

    /// What one monitor said.
    public enum Result: Hashable, Sendable {
        /// The resource runs (OCF_SUCCESS).
        case running
        /// It does not, or the monitor failed or timed out; with the runner's summary (exit code).
        case failed(String)
    }

    /// Something for the daemon to do.
    public enum Effect: Hashable, Sendable {
        /// Run the monitor of resource `index` of `group` within `timeoutMs`; report with
        /// `monitorFinished` and the same `epoch`.
        case monitor(group: String, index: Int, epoch: Int, timeoutMs: Int)
        /// Restart the group from resource `from`.
        case recover(String, from: Int, reason: String)
        /// Hand the group to the peer; when that cannot be done, restart it from `from`.
        case handOver(String, from: Int, reason: String)
        /// Log a line.
        case log(ResourceNegotiation.Severity, String)
    }

    /// What `status` shows of one resource.
    public struct State: Hashable, Sendable {
        /// The last monitor's result, e.g. `running` or `failed: …`; nil before the first.
        public var lastResult: String?
        /// When it came (monotonic ms).
        public var lastAt: Int64?
        /// Failures not yet forgotten.
        public var failCount = 0
        /// When the last failure was (monotonic ms).
        public var lastFailureAt: Int64?
        /// Why the resource is not monitored, if it is not.
        public var unmonitored: String?
        /// Whether a status of this resource was ever seen "running" (nil: not yet).
        var statusSeen = false
        /// When its next monitor is due, while its group is watched.
        var nextAt: Int64?
    }

    /// The groups and their resources, in haresources order.
    public let groups: [(key: String, resources: [Resource])]
    /// Each resource's state, by group key, in group order.
    public private(set) var states: [String: [State]] = [:]
    /// The groups being watched, with the epoch their monitors carry.
    var epochs: [String: Int] = [:]
    var nextEpoch = 1
    /// The monitor under way.
    var inFlight: (group: String, index: Int, epoch: Int)?

    /// Creates the monitor of `groups`.
    public init(groups: [(key: String, resources: [Resource])]) {
        self.groups = groups
        for group in groups {
            states[group.key] = group.resources.map { resource in
                var state = State()
                if !resource.settings.enabled { state.unmonitored = "monitor off in hakit.cf" }
                return state
            }
        }
    }

    /// Whether a monitor is under way.
    public var isMonitoring: Bool { inFlight != nil }

    /// The groups held here with nothing under way for them: these are watched, every other group
    /// is not (its results are dropped). A group that becomes steady again (after a start or a
    /// restart) gets its first monitor one interval later.
    public mutating func watch(_ steady: Set<String>, now: Int64) {
        for (key, _) in epochs where !steady.contains(key) {
            epochs[key] = nil
            for index in states[key]?.indices ?? (0..<0) { states[key]?[index].nextAt = nil }
        }
        for group in groups where steady.contains(group.key) && epochs[group.key] == nil {
            epochs[group.key] = nextEpoch
            nextEpoch += 1
            for (index, resource) in group.resources.enumerated() where states[group.key]?[index].unmonitored == nil {
                states[group.key]?[index].nextAt = now + Int64(resource.settings.intervalMs)
            }
        }
    }

    /// Time passes: forgets expired failures, and starts the monitor that is due first when none
    /// runs.
    public mutating func tick(now: Int64) -> [Effect] {
        var effects: [Effect] = []
        for group in groups {
            for (index, resource) in group.resources.enumerated() {
                guard let state = states[group.key]?[index], state.failCount > 0, let last = state.lastFailureAt,
                    resource.settings.failureTimeoutMs > 0, now - last >= Int64(resource.settings.failureTimeoutMs)
                else { continue }
                states[group.key]?[index].failCount = 0
                effects.append(.log(.info, "\(resource.token): fail count forgotten (failure_timeout passed)"))
            }
        }
        guard inFlight == nil else { return effects }
        var due: (group: String, index: Int, at: Int64)?
        for group in groups {
            guard epochs[group.key] != nil else { continue }
            for index in group.resources.indices {
                guard let at = states[group.key]?[index].nextAt, at <= now else { continue }
                if due.map({ at < $0.at }) ?? true { due = (group.key, index, at) }
            }
        }
        guard let due, let epoch = epochs[due.group], let resource = resource(due.group, due.index) else { return effects }
        inFlight = (due.group, due.index, epoch)
        states[due.group]?[due.index].nextAt = nil
        effects.append(.monitor(group: due.group, index: due.index, epoch: epoch, timeoutMs: resource.settings.timeoutMs))
        return effects
    }

    /// A monitor finished. `peerCanTake`: whether a peer is alive to take the group over.
    public mutating func monitorFinished(
        group key: String, index: Int, epoch: Int, result: Result, now: Int64, peerCanTake: Bool
    ) -> [Effect] {
        if let running = inFlight, running.group == key, running.index == index, running.epoch == epoch { inFlight = nil }
        guard epochs[key] == epoch, let resource = resource(key, index), var state = states[key]?[index] else { return [] }
        defer { states[key]?[index] = state }
        state.lastAt = now
        switch result {
        case .running:
            state.lastResult = "running"
            state.statusSeen = true
            state.nextAt = now + Int64(resource.settings.intervalMs)
            return []
        case .failed(let summary):
            state.lastResult = "failed: \(summary)"
            if resource.mayLackStatus && !state.statusSeen {
                state.unmonitored = "its status did not say running right after a successful start (\(summary)): taken as a script without status"
                return [.log(.warning, "\(resource.token): not monitored: \(state.unmonitored ?? ""); set `resource \(resource.token) monitor off` in hakit.cf to say so")]
            }
            if let last = state.lastFailureAt, resource.settings.failureTimeoutMs > 0,
                now - last >= Int64(resource.settings.failureTimeoutMs)
            {
                state.failCount = 0
            }
            state.failCount += 1
            state.lastFailureAt = now
            // The group is no longer watched until the negotiation has restarted or released it.
            epochs[key] = nil
            for other in states[key]?.indices ?? (0..<0) where other != index { states[key]?[other].nextAt = nil }
            state.nextAt = nil
            let threshold = resource.settings.migrationThreshold
            let count = threshold > 0 ? "\(state.failCount) of \(threshold)" : "\(state.failCount)"
            var effects: [Effect] = [.log(.error, "\(resource.token) (group \(key)) failed its monitor: \(summary); fail count \(count)")]
            let reason = "\(resource.token) failed its monitor \(state.failCount) time(s): \(summary)"
            if threshold > 0 && state.failCount >= threshold {
                if peerCanTake { return effects + [.handOver(key, from: index, reason: reason)] }
                effects.append(.log(.warning, "\(resource.token) reached migration_threshold, but no peer is alive to take \(key): restarting it here"))
            }
            return effects + [.recover(key, from: index, reason: "\(resource.token) failed its monitor: \(summary)")]
        }
    }

    /// `cleanup GROUP`: forget the group's failures here.
    public mutating func cleanup(_ key: String) {
        guard let group = groups.first(where: { $0.key == key }) else { return }
        for (index, resource) in group.resources.enumerated() {
            states[key]?[index].failCount = 0
            states[key]?[index].lastFailureAt = nil
            if resource.settings.enabled { states[key]?[index].unmonitored = nil }
        }
    }

    private func resource(_ key: String, _ index: Int) -> Resource? {
        guard let group = groups.first(where: { $0.key == key }), group.resources.indices.contains(index) else { return nil }
        return group.resources[index]
    }
}
