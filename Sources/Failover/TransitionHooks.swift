import HAKitSystem
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A transition a hook is told about.
struct TransitionEvent: Hashable, Sendable {
    enum Kind: String, Sendable {
        /// A group started here.
        case acquired
        /// A group stopped here.
        case released
        /// A group's start failed here (it was rolled back).
        case startFailed = "start_failed"
        /// A group's stop failed here.
        case stopFailed = "stop_failed"
        /// The peer was declared dead (deadtime, or its shutdown notice).
        case peerDead = "peer_dead"
        /// Every heartbeat medium of this node went down (set down or without carrier): it
        /// reaches no peer. Needs the link watch (netlink), so IP media only.
        case isolated
    }

    var kind: Kind
    /// The group's haresources key, for group events.
    var group: String?
    /// Why: the negotiation's reason, or the agent's failure.
    var reason: String

    /// The hook's arguments after its path: the event, then the group when there is one, as
    /// keepalived's notify scripts get theirs.
    var arguments: [String] { [kind.rawValue] + (group.map { [$0] } ?? []) }

    /// What a hook finds in its environment, besides PATH.
    func environment(node: String, peer: String?) -> [String: String] {
        var environment = ["HA_EVENT": kind.rawValue, "HA_NODE": node, "HA_REASON": reason]
        if let peer { environment["HA_PEER"] = peer }
        if let group { environment["HA_GROUP"] = group }
        return environment
    }
}

/// Scripts run on each transition (heartbeat's rc.d hooks, keepalived's notify scripts): every
/// executable file of `directory` (`CONFIG-DIR/notify.d`), in name order, with the event and group
/// as arguments and `HA_EVENT`, `HA_NODE`, `HA_PEER`, `HA_GROUP`, `HA_REASON` in the environment.
///
/// They run on a thread of their own, one at a time and in the order of the events, each bounded
/// by `timeoutMs` (then its process group gets SIGTERM, then SIGKILL): a hook that fails or hangs
/// delays the hooks after it, never a heartbeat or a failover. The queue is bounded; when hooks
/// fall that far behind, the oldest waiting events are dropped and the log says so.
final class TransitionHooks: Sendable {
    let directory: String
    let timeoutMs: Int
    private let node: String
    private let peer: String?
    private let log: DaemonLog
    private let ledger: ProcessGroupLedger?
    private let state = Mutex<(queue: [TransitionEvent], draining: Bool)>(([], false))
    /// At most this many events wait.
    static let queueLimit = 64

    /// `ledger`: where running hooks are recorded, so that the next run ends those a killed
    /// daemon left behind, as it does with agents.
    init(directory: String, timeoutMs: Int, node: String, peer: String?, log: DaemonLog, ledger: ProcessGroupLedger? = nil) {
        self.ledger = ledger
        self.directory = directory
        self.timeoutMs = timeoutMs
        self.node = node
        self.peer = peer
        self.log = log
    }

    /// The hooks, in the order they run: executable regular files, not hidden, not editor or
    /// package manager leftovers (run-parts' rule).
    var scripts: [String] {
        FileSystem.directoryEntries(directory).sorted().filter { name in
            !name.hasPrefix(".") && !name.hasSuffix("~") && !name.contains(".dpkg-") && !name.hasSuffix(".rpmsave")
        }.map { "\(directory)/\($0)" }.filter(FileSystem.isExecutableFile)
    }

    /// Queues the event for the hook thread; returns at once.
    func notify(_ event: TransitionEvent) {
        guard !scripts.isEmpty else { return }
        let (start, dropped) = state.withLock { state -> (Bool, Int) in
            state.queue.append(event)
            let excess = max(0, state.queue.count - Self.queueLimit)
            state.queue.removeFirst(excess)
            let start = !state.draining
            state.draining = true
            return (start, excess)
        }
        if dropped > 0 { log.warning("transition hooks are behind: \(dropped) event(s) dropped unrun") }
        guard start else { return }
        do {
            try DetachedThread.start("the transition hook thread") { [self] in drain() }
        } catch {
            state.withLock { $0 = ([], false) }
            log.error("cannot run transition hooks: \(error)")
        }
    }

    private func drain() {
        while let event = state.withLock({ state -> TransitionEvent? in
            guard !state.queue.isEmpty else {
                state.draining = false
                return nil
            }
            return state.queue.removeFirst()
        }) {
            for script in scripts { run(script, event) }
        }
    }

    private func run(_ script: String, _ event: TransitionEvent) {
        let environment = event.environment(node: node, peer: peer).merging(["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]) { $1 }
        let what = "hook \(script) \(event.arguments.joined(separator: " "))"
        do {
            let result = try ProcessRun.run(
                path: script, arguments: [script] + event.arguments, environment: environment, timeoutMilliseconds: timeoutMs,
                ledger: ledger)
            let said = String(decoding: result.errorOutput, as: UTF8.self).split(separator: "\n").last.map { ": \($0)" } ?? ""
            if result.timedOut {
                log.warning("\(what): still running after \(timeoutMs) ms; killed")
            } else if result.termination == .exited(0) {
                log.debug("\(what): done")
            } else {
                log.warning("\(what): \(result.termination.map { "\($0)" } ?? "not reaped")\(said)")
            }
        } catch {
            log.warning("\(what): cannot run: \(error)")
        }
    }
}
