import Heartbeat

extension FailoverDaemon {
    /// Carries out what the ping nodes, ipfail's rule and the link watch decided: messages go to
    /// the peer; a handover is the standby handshake, refused (and said why) while resources are
    /// in transition or no peer is alive.
    func perform(_ actions: [NetworkWatch.Action], now: Int64) {
        for action in actions {
            switch action {
            case .send(let body):
                send(body, now: now)
            case .standby(let set, let reason):
                switch negotiation.standby(set, now: now) {
                case .success(let effects):
                    log.info("handing \(set) to the peer: \(reason)")
                    watch.lastHandover = (now, "handed \(set) to the peer: \(reason)")
                    apply(effects, now: now)
                case .failure(let refusal):
                    log.warning("cannot hand \(set) to the peer (\(reason)): \(refusal)")
                    watch.lastHandover = (now, "could not hand \(set) to the peer (\(reason)): \(refusal)")
                }
            }
        }
    }

    /// Tells the negotiation whether this node is cut off (every medium set down: a takeover
    /// then waits), and the hooks when every medium went down.
    func followMedia(now: Int64) {
        let silenceMs = Int64(configuration.haCf.deadtimeMs)
        apply(negotiation.mediaChanged(isolatedBy: watch.mediaSetDown, now: now, silenceMs: silenceMs), now: now)
        if let down = watch.newlyIsolated() {
            log.warning("every heartbeat medium of this node is down (\(down)): no peer can be reached")
            hooks.notify(TransitionEvent(kind: .isolated, group: nil, reason: "every heartbeat medium is down: \(down)"))
        }
    }
}
