import HAKitSystem
import Heartbeat
import Netlink
import Runner

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's eyes beyond the heartbeat media: the ping nodes (echoed every keepalive, with
/// ipfail's rule when ha.cf respawns ipfail) and the links that carry the groups' addresses
/// (netlink notifications). The decisions are the pure `PingTracker`, `IpfailRule` and
/// `LinkWatch`; this class does their I/O and tells the daemon what to send and hand over.
final class NetworkWatch {
    /// What the daemon is to do.
    enum Action {
        /// Send this message to the peer.
        case send(HeartbeatMessage)
        /// Hand this set to the peer (`standby`), for this reason.
        case standby(HoldSet, reason: String)
    }

    /// Echo requests and replies, by fate; shown in `status`.
    struct Counters {
        var sent = 0
        var sendErrors = 0
        var replies = 0
        var unexpected = 0
        var foreign = 0
    }

    private let log: DaemonLog
    private(set) var tracker: PingTracker?
    private(set) var ipfail: IpfailRule?
    private(set) var linkWatch: LinkWatch
    private(set) var counters = Counters()
    /// The last send error per address, logged once until the address works again.
    private var sendFailures: [UInt32: Int32] = [:]
    /// The interfaces (or ttys) of the heartbeat media.
    private let mediumInterfaces: [String]
    private let autoFailback: AutoFailback
    private var socket: PingSocket?
    private var monitor: NetlinkMonitor?
    /// The last handover asked for, when (ms) and why, for `status`.
    var lastHandover: (at: Int64, text: String)?
    /// The groups held when the negotiation was last looked at, for `status`.
    private(set) var heldForStatus: Set<String> = []

    init(configuration: HeartbeatConfiguration, log: DaemonLog, now: Int64) {
        self.log = log
        let cf = configuration.haCf
        if !cf.pingTargets.isEmpty {
            tracker = PingTracker(
                targets: cf.pingTargets, deadpingMs: cf.deadpingMs, identifier: UInt16(truncatingIfNeeded: getpid()), now: now)
        }
        if cf.runsIpfail, let peer = cf.peers.first {
            ipfail = IpfailRule(peer: peer, keepaliveMs: cf.keepaliveMs, autoFailback: cf.autoFailback == .on)
        }
        linkWatch = LinkWatch(groups: configuration.resources.groups)
        mediumInterfaces = cf.media.map(\.interface)
        autoFailback = cf.autoFailback
    }

    /// Opens the ICMP socket (with ping nodes) and the netlink subscription (with addresses to
    /// watch), and reads the links and addresses as they are.
    func open() throws {
        if let tracker {
            socket = try PingSocket()
            let names = tracker.nodes.map { $0.target.description }.joined(separator: ", ")
            if ipfail != nil {
                log.info("ping nodes (\(names)) echoed every keepalive, dead after deadping \(tracker.deadpingMs) ms; ipfail's rule compares their count with the peer's")
            } else {
                log.info("ping nodes (\(names)) echoed every keepalive, dead after deadping \(tracker.deadpingMs) ms; tracked and shown only: ha.cf does not respawn ipfail, so they move no resources")
            }
        } else if ipfail != nil {
            log.warning("ipfail is respawned in ha.cf but there are no ping nodes: it has nothing to compare")
        }
        guard linkWatch.isUseful else { return }
        guard autoFailback != .legacy else {
            // The handover is the standby handshake, which heartbeat's legacy mode does not have.
            log.warning("link watch off: it hands groups over with standby, which needs auto_failback on or off (ha.cf says legacy)")
            return
        }
        monitor = try NetlinkMonitor()
        try resynchronize()
        log.info("link watch: groups whose address is on an interface that loses carrier or goes down are handed to a live peer")
    }

    /// The descriptors to poll for input.
    var pollDescriptors: [Int32] { [socket?.descriptor, monitor?.descriptor].compactMap { $0 } }

    /// One keepalive: an echo request to every ping node address.
    func keepalive(now: Int64) {
        guard let socket, var tracker = self.tracker else { return }
        for probe in tracker.probes(now: now) {
            if let error = socket.send(probe.bytes, to: probe.address) {
                counters.sendErrors += 1
                if sendFailures.updateValue(error, forKey: probe.address) != error {
                    log.warning("ping node \(IPv4Text.dotted(probe.address)): cannot send echo request: \(String(cString: strerror(error)))")
                }
            } else {
                counters.sent += 1
                sendFailures[probe.address] = nil
            }
        }
        self.tracker = tracker
    }

    /// Reads what is waiting on the ICMP socket and the netlink subscription, then decides.
    func service(now: Int64, negotiation: ResourceNegotiation) -> [Action] {
        var actions: [Action] = []
        if let socket, var tracker = self.tracker {
            var changes: [PingTracker.Change] = []
            for datagram in socket.receiveAll() {
                switch tracker.receive(datagram, now: now) {
                case .accepted(let more):
                    counters.replies += 1
                    changes += more
                case .unexpected: counters.unexpected += 1
                case .notOurs: counters.foreign += 1
                }
            }
            self.tracker = tracker
            actions += pingChanged(changes, now: now, negotiation: negotiation)
        }
        if let monitor {
            for event in monitor.read() { apply(event) }
            actions += evaluateLinks(negotiation: negotiation)
        }
        return actions
    }

    /// Time passes: silent ping nodes die, a due give-up is carried out, failed links re-checked.
    func tick(now: Int64, negotiation: ResourceNegotiation) -> [Action] {
        var actions: [Action] = []
        if var tracker = self.tracker {
            let changes = tracker.tick(now: now)
            self.tracker = tracker
            actions += pingChanged(changes, now: now, negotiation: negotiation)
        }
        if var rule = ipfail {
            actions += carryOut(rule.tick(now: now, count: reachable, stable: Self.stable(negotiation), holds: negotiation.holds))
            ipfail = rule
        }
        if monitor != nil { actions += evaluateLinks(negotiation: negotiation) }
        return actions
    }

    /// An ipfail message from the peer (`IpfailRule.messageTypes`).
    func receive(_ message: HeartbeatMessage, now: Int64, negotiation: ResourceNegotiation) -> [Action] {
        guard var rule = ipfail, tracker != nil else { return [] }
        let actions = carryOut(rule.receive(message, count: reachable, stable: Self.stable(negotiation), holds: negotiation.holds, now: now))
        ipfail = rule
        return actions
    }

    /// The peer joined, or a heartbeat link died: ipfail compares counts again.
    func askPeer(now: Int64) -> [Action] {
        guard let rule = ipfail, tracker != nil else { return [] }
        return carryOut(rule.ask(count: reachable))
    }

    /// How many ping nodes answer now.
    var reachable: Int { tracker?.reachable ?? 0 }

    // MARK: Inside

    private static func stable(_ negotiation: ResourceNegotiation) -> Bool {
        negotiation.phase == .stable && !negotiation.inTransition
    }

    private func pingChanged(_ changes: [PingTracker.Change], now: Int64, negotiation: ResourceNegotiation) -> [Action] {
        guard !changes.isEmpty else { return [] }
        for change in changes {
            // heartbeat's two lines: the ping medium's link (named as the node), then the node.
            if change.status == .up {
                log.info("Link \(change.node):\(change.node) up.")
                log.info("\(change) (\(change.address.map { "echo reply from \($0)" } ?? "answering"))")
            } else {
                log.info("Link \(change.node):\(change.node) dead.")
                log.warning("\(change) (no echo reply for deadping)")
            }
        }
        log.info("ping nodes: \(reachable) of \(tracker?.nodes.count ?? 0) reachable")
        // ipfail asks the peer when a ping node comes up (its NodeStatus) and when one's link dies
        // (its LinkStatus): on every change.
        guard negotiation.peerAlive else { return [] }
        return askPeer(now: now)
    }

    private func carryOut(_ effects: [IpfailRule.Effect]) -> [Action] {
        effects.compactMap { effect in
            switch effect {
            case .send(let message): return .send(message)
            case .giveUp(let set, let reason): return .standby(set, reason: reason)
            case .log(let severity, let text):
                write(severity, text)
                return nil
            }
        }
    }

    private func apply(_ event: NetlinkMonitor.Event) {
        switch event {
        case .link(let link):
            let before = linkWatch.interfaces[link.index]
            linkWatch.link(index: link.index, name: link.name, adminUp: link.isUp, carrier: link.isLowerUp)
            if let after = linkWatch.interfaces[link.index], before?.isUp != after.isUp, before != nil {
                log.info("link watch: \(after.name) is \(after.isUp ? "up" : after.fault)")
            }
        case .linkRemoved(let index):
            linkWatch.linkRemoved(index: index)
        case .addressAdded(let entry):
            linkWatch.address(entry.address.rawValue, index: entry.interfaceIndex, present: true)
        case .addressRemoved(let entry):
            linkWatch.address(entry.address.rawValue, index: entry.interfaceIndex, present: false)
        case .overrun:
            log.warning("link watch: the kernel dropped notifications; reading links and addresses again")
            do { try resynchronize() } catch { log.error("link watch: cannot read links and addresses: \(error)") }
        }
    }

    private func resynchronize() throws {
        let netlink = try NetlinkSocket()
        for link in try netlink.links() {
            linkWatch.link(index: link.index, name: link.name, adminUp: link.isUp, carrier: link.isLowerUp)
        }
        let addresses = try netlink.addresses()
        for (index, interface) in linkWatch.interfaces {
            for address in interface.addresses where !addresses.contains(where: { $0.interfaceIndex == index && $0.address.rawValue == address }) {
                linkWatch.address(address, index: index, present: false)
            }
        }
        for entry in addresses { linkWatch.address(entry.address.rawValue, index: entry.interfaceIndex, present: true) }
    }

    /// The heartbeat media's interfaces when every one is administratively down: this node is
    /// cut off (the negotiation then holds a takeover back). Nil otherwise, or without netlink.
    var mediaSetDown: [String]? {
        linkWatch.allDown(mediumInterfaces, administratively: true) == nil ? nil : mediumInterfaces
    }

    /// When every heartbeat medium is down (set down or without carrier), what each one is: this
    /// node reaches no peer (the `isolated` hook). Nil otherwise, or without netlink.
    var mediaDown: String? { linkWatch.allDown(mediumInterfaces) }

    /// What `mediaDown` said when last asked by `newlyIsolated`.
    private var reportedMediaDown: String?

    /// `mediaDown` when it just became so (once per spell of isolation), else nil.
    func newlyIsolated() -> String? {
        let down = mediaDown
        defer { reportedMediaDown = down }
        return reportedMediaDown == nil ? down : nil
    }

    private func evaluateLinks(negotiation: ResourceNegotiation) -> [Action] {
        heldForStatus = negotiation.held
        let peerWorseOff = tracker != nil && (ipfail?.peerCount.map { $0 < reachable } ?? false)
        let situation = LinkWatch.Situation(
            held: negotiation.held, local: Set(negotiation.groups(local: true)), peerAlive: negotiation.peerAlive,
            mediumUp: mediumInterfaces.contains { !linkWatch.isDown($0) }, peerWorseOff: peerWorseOff, stable: Self.stable(negotiation))
        return linkWatch.evaluate(situation).compactMap { effect in
            switch effect {
            case .handOver(let set, let reason): return .standby(set, reason: reason)
            case .log(let severity, let text):
                write(severity, text)
                return nil
            }
        }
    }

    private func write(_ severity: ResourceNegotiation.Severity, _ text: String) {
        switch severity {
        case .info: log.info(text)
        case .warning: log.warning(text)
        case .error: log.error(text)
        }
    }
}
