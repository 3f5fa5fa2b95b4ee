import CHAKitShims
import HAKitSystem
import Heartbeat
import OCF
import Runner

#if canImport(Glibc)
import Glibc
#endif

/// heartbeat-lite's daemon: one thread polls the media, the control socket, signals and the
/// group-operation thread; heartbeats go out every `keepalive` on every medium; membership and
/// the resource negotiation (both pure) decide, and this class carries out what they decide.
public final class FailoverDaemon {
    let options: DaemonOptions
    let configuration: HeartbeatConfiguration
    let identity: NodeIdentity
    let log: DaemonLog
    let runner: GroupRunner
    var membership: Membership
    var negotiation: ResourceNegotiation
    var counters = PacketCounters()
    /// Ping nodes (with ipfail's rule) and the links under the groups' addresses.
    let watch: NetworkWatch

    private var media: [any MediumLink] = []
    private var control: ControlServer?
    let operation: BackgroundOperation
    let health: HealthMonitor
    private var signals: Int32 = -1
    private var sequence: UInt64 = 1
    private var nextHeartbeatAt: Int64 = 0
    private var load = ""
    private var loadReadAt: Int64 = -10_000
    private var stopRequested = false
    private var finished = false
    private var reportedUnknown: Set<String> = []
    /// What was sent, for a heartbeat peer's retransmission requests (`NS_rexmit`).
    private var sentHistory = RetransmitHistory()
    /// Sequenced messages into the membership; a resource message that was the first packet of a
    /// new track is held until a second packet confirms the track (`Membership.receive`).
    private var intake = SequencedIntake()
    /// The peers' generations last written to the state directory (`PeerMemory`).
    private var savedGenerations: [String: UInt64] = [:]
    let notify: SystemdNotify
    private var nextWatchdogAt: Int64 = 0
    private let startedAt = MonotonicClock.milliseconds()
    /// Whether the loop's memory is locked (`realtime on` and `mlockall` allowed), for `status`.
    private(set) var memoryLocked = false
    /// ha.cf's `watchdog`, opened last at start-up, written every keepalive.
    private(set) var watchdog: WatchdogDevice?
    /// The scripts told about each transition (`CONFIG-DIR/notify.d`).
    let hooks: TransitionHooks
    /// The group operation running on the operation thread: whether it acquires, and why.
    var runningOperation: (acquire: Bool, reason: String)?

    /// Loads and validates the configuration, advances the node's generation and plans the groups;
    /// nothing is started and nothing is sent yet.
    public init(options: DaemonOptions) throws {
        self.options = options
        let checked: DaemonConfiguration
        do { checked = try DaemonConfiguration(options: options) } catch { throw DaemonError.configuration(error) }
        let configuration = checked.configuration
        self.configuration = configuration
        let cf = configuration.haCf
        log = DaemonLog(
            logfile: cf.logfile, debugfile: cf.debugfile,
            journal: cf.logFacility != "none", facility: cf.logFacilityCode, standardError: options.logToStandardError,
            node: options.node)
        runner = checked.runner
        identity = try NodeIdentity.advance(stateDirectory: options.stateDirectory)
        let memory = try PeerMemory.load(stateDirectory: options.stateDirectory)
        for line in memory.skipped {
            log.warning("\(options.stateDirectory)/\(PeerMemory.fileName):\(line): not 'NODE GENERATION SEQUENCE' in hex; ignored")
        }
        savedGenerations = memory.records.mapValues(\.generation)
        membership = Membership(
            localNode: cf.localNode, nodes: cf.nodes,
            timing: .init(keepaliveMs: cf.keepaliveMs, deadtimeMs: cf.deadtimeMs, warntimeMs: cf.warntimeMs, initdeadMs: cf.initdeadMs),
            now: MonotonicClock.microseconds(), remembered: memory.records)
        negotiation = ResourceNegotiation(
            localNode: cf.localNode, nodes: cf.nodes, autoFailback: cf.autoFailback, groups: configuration.resources.groups)
        operation = try BackgroundOperation()
        health = try HealthMonitor(configuration: configuration, runner: runner)
        watch = NetworkWatch(configuration: configuration, log: log, now: MonotonicClock.milliseconds())
        notify = SystemdNotify(environment: options.environment)
        hooks = TransitionHooks(
            directory: options.hookDirectory, timeoutMs: options.hookTimeoutMs, node: cf.localNode,
            peer: cf.nodes.first { $0 != cf.localNode }, log: log, ledger: ProcessGroupLedger(directory: options.actionDirectory))
    }

    /// Runs until SIGTERM or SIGINT and a graceful release of every group; returns the exit status.
    public func run() throws -> Int32 {
        let cf = configuration.haCf
        log.info("Configuration validated. Starting heartbeat-lite for node \(cf.localNode).")
        log.info("heartbeat-lite: generation \(identity.generation), keepalive \(cf.keepaliveMs) ms, deadtime \(cf.deadtimeMs) ms, initdead \(cf.initdeadMs) ms")
        for warning in configuration.warnings { log.warning("\(warning)") }
        becomeRealtime()
        checkTimers()
        try openEndpoints()
        endLeftoverActions()
        cleanUpLeftovers()
        log.info("Local status now set to: 'up'")
        notify.send("READY=1\nSTATUS=waiting for \(cf.peers.joined(separator: ", ")) (initdead \(cf.initdeadMs) ms)")
        nextHeartbeatAt = MonotonicClock.milliseconds()
        let upAt = nextHeartbeatAt
        while !finished {
            let nowUs = MonotonicClock.microseconds()
            let now = nowUs / 1000
            if now >= nextHeartbeatAt {
                sendHeartbeat(now: now)
                watchdog?.tickle(log: log)
                nextHeartbeatAt = max(nextHeartbeatAt + Self.heartbeatStep(keepaliveMs: cf.keepaliveMs, sinceUpMs: now - upAt, heardAny: membership.peers.values.contains { $0.lastHeard != nil }), now + 1)
            }
            for medium in media { medium.tick(now: now) }
            followMedia(now: now)
            handle(membership.tick(now: nowUs), now: now)
            for request in membership.retransmitRequests(now: nowUs) { send(request, now: now) }
            apply(negotiation.tick(now: now), now: now)
            serviceHealth(now: now)
            perform(watch.tick(now: now, negotiation: negotiation), now: now)
            if let interval = notify.watchdogIntervalMs, now >= nextWatchdogAt {
                notify.send("WATCHDOG=1")
                nextWatchdogAt = now + Int64(interval)
            }
            if finished { break }
            waitForEvents(until: nextWakeUp(now: nowUs))
        }
        rememberPeers(force: true)
        watchdog?.closeCleanly(log: log)
        notify.send("STOPPING=1")
        log.info("Heartbeat shutdown complete.")
        return 0
    }

    /// The time to the next heartbeat: keepalive, but 10 ms during the first keepalive while no
    /// peer has been heard. Nodes started together send their first heartbeats before the other
    /// listens; at keepalive 100 ms that lost heartbeat would cost a cold start 100 ms.
    static func heartbeatStep(keepaliveMs: Int, sinceUpMs: Int64, heardAny: Bool) -> Int64 {
        let keepalive = Int64(keepaliveMs)
        return !heardAny && sinceUpMs < keepalive ? min(keepalive, 10) : keepalive
    }

    // MARK: Set-up

    /// `realtime`/`rtprio`, as heartbeat's master control process does before its loop: this
    /// thread (the loop) goes realtime and memory is locked where the system allows, else it says
    /// why with a warning and runs on at normal priority.
    private func becomeRealtime() {
        let request = RealtimeRequest(configuration.haCf)
        guard request.isRealtime else {
            log.info("realtime off: running SCHED_OTHER, memory not locked")
            return
        }
        let outcome = RealtimeOutcome.apply(request)
        memoryLocked = outcome.memoryLocked
        for fallback in outcome.fallbacks { log.warning("realtime: \(fallback)") }
        if outcome.fallbacks.isEmpty {
            log.info("realtime: \(outcome.summary)")
        } else {
            log.warning("realtime: asked for \(request), \(outcome.summary)")
        }
    }

    /// Measures how late this thread (the loop, at its own scheduling by now) wakes from short
    /// sleeps and says whether ha.cf's timing holds on this machine (`TimerHeadroom`): a warning
    /// when late heartbeats or false dead declarations are to be expected, rather than flapping
    /// unexplained. About 20 ms of start-up.
    private func checkTimers() {
        let cf = configuration.haCf
        let sleptUs = 500
        let latencies = WakeUpLatency.measure(count: 32, sleepMicroseconds: sleptUs)
        let assessment = TimerHeadroom(keepaliveMs: cf.keepaliveMs, warntimeMs: cf.warntimeMs, deadtimeMs: cf.deadtimeMs)
            .assess(latenciesUs: latencies, sleptUs: sleptUs, timerSlackNs: WakeUpLatency.timerSlackNanoseconds())
        if assessment.verdict == .holds { log.info(assessment.message) } else { log.warning(assessment.message) }
    }

    private func openEndpoints() throws {
        var blocked = sigset_t()
        sigemptyset(&blocked)
        for signal in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&blocked, signal) }
        pthread_sigmask(SIG_BLOCK, &blocked, nil)
        signal(SIGPIPE, SIG_IGN)
        signals = try syscall("signalfd") { signalfd(-1, &blocked, Int32(SFD_CLOEXEC | SFD_NONBLOCK)) }
        try FileSystem.makeDirectories(options.runDirectory, mode: 0o755)
        control = try ControlServer(path: options.controlSocket)
        for medium in configuration.haCf.media {
            if case .serial(let device, let baud) = medium {
                media.append(try SerialMedium(medium, device: device, baud: baud, key: configuration.authKeys.active, log: log))
                log.info("Starting serial heartbeat on tty \(device) (\(baud) baud)")
            } else {
                media.append(try MediumSocket(medium))
                log.info("\(medium) started on UDP port \(medium.port)")
            }
        }
        try watch.open()
        // Last: nothing after it can fail start-up, so a refused start never leaves it armed.
        if let device = configuration.haCf.watchdog {
            watchdog = try WatchdogDevice(path: device, deadtimeMs: configuration.haCf.deadtimeMs, log: log)
        }
    }

    /// A daemon killed hard (SIGKILL, OOM) in the middle of an action leaves the agent's process
    /// group running: it would go on starting a resource after the stop below, or fight it. The
    /// ledger names those groups; they are ended first.
    private func endLeftoverActions() {
        for ended in ProcessGroupLedger(directory: options.actionDirectory).endRecordedGroups() {
            let what = ended.commandLines.joined(separator: "; ")
            if ended.survived {
                log.error("process group \(ended.processGroup) of an action a previous run left behind survived SIGKILL: \(what)")
            } else {
                log.warning("ended process group \(ended.processGroup) of an action a previous run left behind: \(what)")
            }
        }
    }

    /// A node that died hard may have left groups running; heartbeat's init script only warns
    /// ("verifyallidle"). Stopping every group before joining makes sure this node owns nothing
    /// it has not negotiated.
    private func cleanUpLeftovers() {
        let keys = configuration.resources.groups.map(\.key)
        guard !keys.isEmpty else { return }
        log.info("Making sure no resource group is left running here: stopping \(keys.joined(separator: ", "))")
        let outcome = runner.release(keys.reversed()) { [log] in log.debug($0) }
        for (key, problem) in outcome.failed.sorted(by: { $0.key < $1.key }) {
            log.error("group \(key) could not be stopped at start-up: \(problem)")
        }
    }

    // MARK: The loop

    /// When the loop must run next (µs): the next heartbeat, the next dead time, the watchdog, and
    /// at least every 100 ms.
    private func nextWakeUp(now: Int64) -> Int64 {
        var wake = min(nextHeartbeatAt * 1000, now + 100_000)
        if let deadline = membership.nextDeadline() { wake = min(wake, deadline) }
        if notify.watchdogIntervalMs != nil { wake = min(wake, nextWatchdogAt * 1000) }
        if let deadline = control?.nextDeadline { wake = min(wake, deadline * 1000) }
        return wake
    }

    /// Waits for a packet, a signal, a control request or the end of an operation, at most until
    /// `wake` (µs; ppoll, so a dead time is not rounded up to the next millisecond).
    private func waitForEvents(until wake: Int64) {
        var descriptors = [
            pollfd(fd: signals, events: Int16(POLLIN), revents: 0),
            pollfd(fd: operation.wakeDescriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: health.work.wakeDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        // Where each medium's entry is in `descriptors` (a closed tty has none).
        var mediumSlots: [Int?] = []
        for medium in media {
            if let request = medium.pollRequest {
                mediumSlots.append(descriptors.count)
                descriptors.append(pollfd(fd: request.descriptor, events: request.events, revents: 0))
            } else {
                mediumSlots.append(nil)
            }
        }
        for descriptor in watch.pollDescriptors { descriptors.append(pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)) }
        let controlStart = descriptors.count
        if let control { descriptors += control.pollDescriptors }
        let waitUs = max(0, wake - MonotonicClock.microseconds())
        var timeout = timespec(tv_sec: Int(waitUs / 1_000_000), tv_nsec: Int(waitUs % 1_000_000) * 1000)
        let ready = CHAKitShims_ppoll(&descriptors, nfds_t(descriptors.count), &timeout)
        let nowUs = MonotonicClock.microseconds()
        let now = nowUs / 1000
        // Control clients are served (or dropped at their deadline) even when nothing is ready.
        if let control { control.serve(descriptors[controlStart...], now: now) { self.answer($0) } }
        guard ready > 0 else { return }
        perform(watch.service(now: now, negotiation: negotiation), now: now)
        for (medium, slot) in zip(media, mediumSlots) {
            receive(medium.service(revents: slot.map { descriptors[$0].revents } ?? 0, now: now), on: medium, now: nowUs)
        }
        if descriptors[0].revents != 0 { readSignals(now: now) }
        if let outcome = operation.take() { finishOperation(outcome, now: MonotonicClock.milliseconds()) }
    }

    private func readSignals(now: Int64) {
        var info = signalfd_siginfo()
        while read(signals, &info, MemoryLayout<signalfd_siginfo>.size) == MemoryLayout<signalfd_siginfo>.size {
            let number = Int32(info.ssi_signo)
            if number == SIGHUP {
                log.info("SIGHUP: heartbeat-lite reads its configuration only at start; restart it to apply changes")
                continue
            }
            if stopRequested {
                log.info("Shutdown already in progress")
                continue
            }
            stopRequested = true
            log.info("Received signal \(number): shutting down")
            notify.send("STOPPING=1\nSTATUS=releasing resources")
            apply(negotiation.shutdown(now: now), now: now)
        }
    }

    // MARK: Sending

    private func sendHeartbeat(now: Int64) {
        guard negotiation.phase != .stopped else { return }
        send(membership.statusMessage(), now: now)
        watch.keepalive(now: now)
    }

    func send(_ body: HeartbeatMessage, now: Int64) {
        if now - loadReadAt >= 1000 {
            load = ((try? FileSystem.read("/proc/loadavg")) ?? nil)?.split(separator: "\n").first.map(String.init) ?? ""
            loadReadAt = now
        }
        // heartbeat's NS_* control messages (acknowledgements) carry no sequence number and no load.
        let numbered = body.carriesSequence
        let stamp = SenderStamp(
            node: configuration.haCf.localNode, uuid: identity.uuid, sequence: numbered ? sequence : nil,
            generation: identity.generation, timestamp: UInt64(time(nil)), load: numbered ? load : nil,
            ttl: 1 + configuration.haCf.nodes.count)
        if numbered { sequence += 1 }
        let key = configuration.authKeys.active
        let bytes = body.stamped(by: stamp, signingWith: key).netstringEncoded(signingWith: key)
        if let number = stamp.sequence { sentHistory.record(sequence: number, bytes: bytes) }
        sendBytes(bytes)
    }

    private func sendBytes(_ bytes: [UInt8]) {
        for medium in media {
            if medium.send(bytes) != nil { counters.sendErrors += 1 } else { counters.sent += 1 }
        }
    }

    // MARK: Receiving

    /// Takes in what `medium` has received; `nowUs` is the membership's clock.
    private func receive(_ received: [[UInt8]], on medium: any MediumLink, now nowUs: Int64) {
        let now = nowUs / 1000
        for bytes in received {
            counters.received += 1
            guard bytes.count <= HeartbeatMessage.maximumPacketSize else {
                counters.oversized += 1
                continue
            }
            let packet: ReceivedPacket
            do { packet = try ReceivedPacket(decoding: bytes) } catch {
                counters.malformed += 1
                // Like failed authentication, reported by count: a flood must not become one log
                // line (and one file write) per packet.
                if counters.malformed == 1 || counters.malformed % 100 == 0 {
                    log.debug("dropped \(counters.malformed) malformed packet(s), last on \(medium.medium.interface): \(error)")
                }
                continue
            }
            let message = packet.message
            guard let source = message["src"] else {
                counters.malformed += 1
                continue
            }
            if source == configuration.haCf.localNode {
                counters.own += 1
                continue
            }
            do { try packet.verify(with: configuration.authKeys) } catch {
                counters.forged += 1
                if counters.forged == 1 || counters.forged % 100 == 0 {
                    log.warning("dropped \(counters.forged) packet(s) that failed authentication, last from '\(source)' on \(medium.medium.interface): \(error)")
                }
                continue
            }
            if let destination = message["dest"], destination != configuration.haCf.localNode { continue }
            if message.type == "NS_nak_rexmit", let lost = membership.retransmitRefused(message, from: source) {
                log.warning("Irretrievably lost packet: node \(source) seq \(lost)")
            }
            if message.type == "NS_rexmit", membership.peers[source] != nil {
                for reply in sentHistory.answer(message, from: source, now: now) {
                    switch reply {
                    case .resend(let old): sendBytes(old)
                    case .nak(let nak): send(nak, now: now)
                    }
                }
            }
            let wallClock = UInt64(max(0, time(nil)))
            let outcome = intake.take(
                message, from: source, medium: medium.medium.interface, into: &membership, now: nowUs,
                wallClock: wallClock)
            switch outcome {
            case .unsequenced:
                continue
            case .malformed:
                counters.malformed += 1
            case .refused(.unknownNode, _):
                counters.unknownNode += 1
                if reportedUnknown.insert(source).inserted {
                    log.warning("dropped a packet from '\(source)', which is not a node in ha.cf")
                }
            case .refused(.staleGeneration, _):
                counters.stale += 1
            case .refused(.duplicate, _):
                counters.duplicate += 1  // a copy still refreshes its medium's link (Membership.receive)
            case .refused(.unconfirmed, _):
                counters.unconfirmed += 1
            case .refused(.timestampOutOfRange, let sentAt):
                counters.badTimestamp += 1
                if counters.badTimestamp == 1 || counters.badTimestamp % 100 == 0 {
                    let skew = sentAt.map { $0 > wallClock ? "\($0 - wallClock) s ahead of" : "\(wallClock - $0) s behind" }
                    log.warning("dropped \(counters.badTimestamp) packet(s) from '\(source)' whose send time is \(skew ?? "missing, not within") \(skew == nil ? "" : "this node's clock, ")more than \(Membership.timestampTolerance) s off: a replayed capture, or clocks out of step (synchronise them, e.g. with NTP)")
                }
            case .accepted(let events, let confirmed):
                counters.accepted += 1
                handle(events, now: now)
                if let confirmed { apply(negotiation.receive(confirmed, now: now), now: now) }
                if let ack = membership.acknowledgement(for: source) { send(ack, now: now) }
                if message.type == "reqnodes" {
                    send(membership.nodeListReply(to: source), now: now)
                } else if let type = message.type, IpfailRule.messageTypes.contains(type) {
                    log.debug("received \(type) from \(source): \(message["num_ping"].map { "num_ping \($0)" } ?? "")")
                    perform(watch.receive(message, now: now, negotiation: negotiation), now: now)
                } else if message.type != "status" {
                    log.debug("received \(message.type ?? "?") from \(source): \(message.fields.filter { !SenderStamp.fieldNames.contains($0.name) }.map(\.description).joined(separator: " "))")
                    apply(negotiation.receive(message, now: now), now: now)
                }
                rememberPeers(force: false)
            }
        }
    }

    /// Writes what is known of the peers to the state directory when a generation changed, or
    /// always with `force` (a peer died, or the daemon stops): a restarted daemon refuses replays
    /// older than that.
    private func rememberPeers(force: Bool) {
        let records = membership.remembered
        guard force || records.mapValues(\.generation) != savedGenerations else { return }
        do {
            try PeerMemory.save(records, stateDirectory: options.stateDirectory)
            savedGenerations = records.mapValues(\.generation)
        } catch {
            log.warning("cannot remember the peers' generations in \(options.stateDirectory): \(error)")
        }
    }

    // MARK: Membership and negotiation

    private func handle(_ events: [MembershipEvent], now: Int64) {
        for event in events {
            switch event {
            case .linkUp, .nodeRestarted: log.info("\(event)")
            case .linkDead: log.info("\(event)")
            case .lateHeartbeat: log.warning("\(event)")
            case .returnedAfterPartition: log.critical("\(event)")
            case .sequenceJump, .packetsLost: log.warning("\(event)")
            case .communicationUp: log.info("\(event)")
            case .nodeStatus(_, let status): status == .dead ? log.warning("\(event)") : log.info("\(event)")
            }
            switch event {
            case .nodeStatus(let node, let status) where node == negotiation.peer:
                if status == .dead {
                    // The takeover first: writing the peers' generations to the state directory
                    // costs milliseconds on a busy disk, which the clients would wait for.
                    apply(negotiation.peerDied(now: now, reason: "no heartbeat for its dead time"), now: now)
                    hooks.notify(TransitionEvent(kind: .peerDead, group: nil, reason: "no heartbeat for its dead time"))
                    rememberPeers(force: true)
                } else {
                    // A heartbeat at once rather than at the next keepalive: at a cold start of
                    // both nodes the peer's first one may have gone out before this node listened,
                    // and it waits to hear this node before it takes its groups.
                    nextHeartbeatAt = now
                    apply(negotiation.peerUp(restarted: false, now: now), now: now)
                    perform(watch.askPeer(now: now), now: now)
                }
            case .nodeRestarted(let node, _) where node == negotiation.peer:
                apply(negotiation.peerUp(restarted: true, now: now), now: now)
            case .returnedAfterPartition(let node) where node == negotiation.peer:
                apply(negotiation.peerReturnedAfterPartition(now: now), now: now)
            case .linkDead:
                // ipfail compares counts again when a link dies (its LinkStatus callback).
                perform(watch.askPeer(now: now), now: now)
            case .communicationUp:
                log.info("Local status now set to: 'active'")
                notify.send("STATUS=active")
                apply(negotiation.communicationUp(now: now), now: now)
            default:
                break
            }
        }
    }

    func apply(_ effects: [ResourceNegotiation.Effect], now: Int64) {
        for effect in effects {
            switch effect {
            case .send(let body):
                send(body, now: now)
            case .log(let severity, let text):
                switch severity {
                case .info: log.info(text)
                case .warning: log.warning(text)
                case .error: log.error(text)
                }
            case .acquire(let keys, let reason):
                startOperation(keys, acquire: true, reason: reason, now: now)
            case .release(let keys, let reason):
                startOperation(keys, acquire: false, reason: reason, now: now)
            case .recover(let key, let index, let reason):
                startRecovery(key, from: index, reason: reason, now: now)
            case .shutdownComplete:
                finished = true
            }
        }
    }

    /// A group operation ended: the hooks hear of each group, then the negotiation decides.
    func finishOperation(_ outcome: ResourceNegotiation.Outcome, now: Int64) {
        if let (acquire, reason) = runningOperation {
            for key in outcome.succeeded {
                hooks.notify(TransitionEvent(kind: acquire ? .acquired : .released, group: key, reason: reason))
            }
            for (key, problem) in outcome.failed.sorted(by: { $0.key < $1.key }) {
                hooks.notify(TransitionEvent(kind: acquire ? .startFailed : .stopFailed, group: key, reason: problem))
            }
        }
        runningOperation = nil
        apply(negotiation.finished(outcome, now: now), now: now)
    }

    private func startOperation(_ keys: [String], acquire: Bool, reason: String, now: Int64) {
        runningOperation = (acquire, reason)
        if keys.isEmpty {
            finishOperation(.init(succeeded: []), now: now)
            return
        }
        log.info("\(acquire ? "acquiring" : "releasing") \(keys.joined(separator: ", ")): \(reason)")
        notify.send("STATUS=\(acquire ? "acquiring" : "releasing") \(keys.joined(separator: ", "))")
        let runner = self.runner
        let log = self.log
        do {
            try operation.start {
                acquire ? runner.acquire(keys, log: log.info) : runner.release(keys, log: log.info)
            }
        } catch {
            log.error("cannot run the group operation: \(error)")
            let failed = Dictionary(uniqueKeysWithValues: keys.map { ($0, "\(error)") })
            finishOperation(.init(succeeded: [], failed: failed), now: now)
        }
    }

    // MARK: Control

    private func answer(_ request: String) -> String {
        let words = request.split(separator: " ").map(String.init)
        let now = MonotonicClock.milliseconds()
        switch words.first {
        case "ping"?:
            return "ok\n"
        case "status"?:
            let snapshot = DaemonStatus(daemon: self, nowUs: MonotonicClock.microseconds())
            return "ok\n" + (words.dropFirst().first == "json" ? snapshot.json + "\n" : snapshot.text)
        case "standby"?, "takeover"?:
            guard let set = Self.holdSet(words.dropFirst().first) else {
                return "error: \(words[0]) takes all, local or foreign, not '\(words.dropFirst().first ?? "")'\n"
            }
            let result = words[0] == "standby" ? negotiation.standby(set, now: now) : negotiation.takeover(set, now: now)
            switch result {
            case .success(let effects):
                log.info("\(words[0]) \(set) requested through the control socket")
                apply(effects, now: now)
                return "ok\n\(words[0]) \(set): under way\n"
            case .failure(let refusal):
                log.warning("\(words[0]) \(set) refused: \(refusal)")
                return "error: \(refusal)\n"
            }
        case "cleanup"?:
            return cleanupRequest(words.dropFirst().first, now: now)
        case "settled"?:
            // `settled standby SET` / `settled takeover SET`: whether the command's end state is reached.
            guard words.count == 3, let set = Self.holdSet(words[2]) else { return "error: usage: settled standby|takeover SET\n" }
            let groups = negotiation.groups(in: set)
            if words[1] == "standby" {
                // Done once the peer said it acquired the set, so that the status printed next shows
                // the new owner; a hand-over that cannot happen says why.
                switch negotiation.standbyProgress {
                case .completed(let done) where done == set && !negotiation.inTransition: return "ok\nyes\n"
                case .failed(let failed, let reason) where failed == set: return "ok\nfailed: \(reason)\n"
                default: return "ok\nno\n"
                }
            }
            let done = !negotiation.inTransition
                && groups.allSatisfy { negotiation.held.contains($0) || negotiation.failed[$0] != nil }
            return "ok\n\(done ? "yes" : "no")\n"
        default:
            return "error: unknown request '\(request)'\n"
        }
    }

    static func holdSet(_ word: String?) -> HoldSet? {
        switch word {
        case nil: .all
        case "all"?: .all
        case "local"?: .local
        case "foreign"?, "failback"?: .foreign
        default: nil
        }
    }

    var uptimeMs: Int64 { MonotonicClock.milliseconds() - startedAt }

    /// What the serial media's framing dropped, summed over the ttys: messages over 256 KiB and
    /// lines skipped while looking for `>>>` (garbage on the line).
    var serialFramingDrops: (overlong: Int, skippedLines: Int) {
        media.compactMap { ($0 as? SerialMedium)?.framingDrops }.reduce((0, 0)) { ($0.0 + $1.overlong, $0.1 + $1.skippedLines) }
    }
}

/// Packets seen, by fate; shown in `status`.
struct PacketCounters: Sendable {
    var sent = 0
    var sendErrors = 0
    var received = 0
    var accepted = 0
    var own = 0
    var malformed = 0
    var oversized = 0
    var forged = 0
    var unknownNode = 0
    var stale = 0
    var duplicate = 0
    var unconfirmed = 0
    var badTimestamp = 0

    var fields: [(String, Int)] {
        [
            ("sent", sent), ("send_errors", sendErrors), ("received", received), ("accepted", accepted),
            ("own", own), ("malformed", malformed), ("oversized", oversized), ("forged", forged),
            ("unknown_node", unknownNode), ("stale_generation", stale), ("duplicate", duplicate),
            ("unconfirmed", unconfirmed), ("bad_timestamp", badTimestamp),
        ]
    }
}

/// Why the daemon cannot start.
public enum DaemonError: Error, CustomStringConvertible {
    /// ha.cf, haresources or authkeys is wrong, or asks for what heartbeat-lite does not do.
    case configuration(ConfigErrors)

    public var description: String {
        switch self {
        case .configuration(let errors): errors.description
        }
    }
}
