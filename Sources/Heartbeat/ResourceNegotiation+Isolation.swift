/// A node cut off from the network must not take the groups over: when every heartbeat medium of
/// this node is administratively down (`ip link set down`, `ifdown`, a stopped network service),
/// the silence of the peer says nothing about the peer. Heartbeat cannot tell the difference and
/// takes over, so that both nodes hold the groups, and the agents it then starts bring the
/// interface the administrator took down up again (IPaddr sets its link up). Here the takeover
/// waits: once a medium is up again and the peer stays silent for its dead time, the peer is
/// taken for dead and its groups are taken over; when it is heard, nothing was taken.
///
/// Only an administrative down counts: a lost carrier on every medium is also what a crossover
/// cable to a powered-off peer shows, and then the takeover is exactly what is wanted.
extension ResourceNegotiation {
    /// A takeover waiting for this node's media.
    public struct DeferredTakeover: Hashable, Sendable {
        /// Why the peer was declared dead.
        public var reason: String
        /// When the takeover starts if the peer stays silent (a medium is up again); nil while
        /// every medium is down.
        public var dueAt: Int64?
    }

    /// The daemon's netlink view of this node's heartbeat media: `media` are their interfaces when
    /// every one is administratively down, nil otherwise. `silenceMs` (the dead time) is how long
    /// the peer must stay silent after a medium came back before a held-back takeover starts.
    public mutating func mediaChanged(isolatedBy media: [String]?, now: Int64, silenceMs: Int64) -> [Effect] {
        guard media != isolatedBy else { return [] }
        isolatedBy = media
        guard var deferred = deferredTakeover else { return [] }
        let name = peer ?? "peer"
        if media != nil {
            deferred.dueAt = nil
            deferredTakeover = deferred
            return [.log(.warning, "every heartbeat medium of this node is down again: still not taking over the resources of \(name)")]
        }
        guard deferred.dueAt == nil else { return [] }
        deferred.dueAt = now + silenceMs
        deferredTakeover = deferred
        return [.log(.info, "a heartbeat medium of this node is up again: taking over the resources of \(name) unless it is heard within \(silenceMs) ms")]
    }

    /// peerDied's takeover, held back while `media` are all down.
    mutating func deferTakeover(reason: String, media: [String], now: Int64) -> [Effect] {
        let name = peer ?? "peer"
        deferredTakeover = DeferredTakeover(reason: reason, dueAt: nil)
        note("\(name) silent while this node is cut off; not taking over its groups", now: now)
        return [
            .log(
                .error,
                "mach_down: not taking over the resources of \(name) (\(reason)): every heartbeat medium of this node is administratively down (\(media.joined(separator: ", "))), so this node is cut off rather than \(name) dead; they are taken over once a medium is up again and \(name) stays silent for its dead time"
            )
        ]
    }

    /// The held-back takeover, once its time has come with the peer still silent.
    mutating func deferredTakeoverDue(now: Int64) -> [Effect] {
        guard let deferred = deferredTakeover, let due = deferred.dueAt, now >= due else { return [] }
        deferredTakeover = nil
        guard !peerAlive, phase != .waiting, phase != .shuttingDown, phase != .stopped else { return [] }
        return machDownTakeover(reason: "\(deferred.reason); still silent after this node's media came back", now: now)
    }
}
