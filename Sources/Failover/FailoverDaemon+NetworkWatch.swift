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
}
