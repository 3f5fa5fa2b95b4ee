/// The ha.cf directives heartbeat-lite acts on, for its man page (heartbeat-lite(8)). The parser's
/// switch is the authority; `HaCfDirectiveTests` checks that every name here is one it knows.
extension HaCf {
    /// Each supported directive with what it does here.
    public static let directiveSummaries: [(name: String, summary: String)] = [
        ("node", "The cluster's node names (two; a third is refused with a pointer to Pacemaker)."),
        ("keepalive", "Time between heartbeats (seconds, or ms with the ms suffix); default 1."),
        ("deadtime", "Silence after which a node is declared dead; default 30."),
        ("warntime", "Silence after which a late heartbeat is logged; default 15."),
        ("initdead", "deadtime at start-up, before the peer has been heard; default 30."),
        ("udpport", "The UDP port of bcast, ucast and mcast media that follow; default 694."),
        ("bcast", "UDP broadcast heartbeats on each interface named (udp is its old name)."),
        ("ucast", "UDP unicast heartbeats: ucast INTERFACE PEER-ADDRESS."),
        ("mcast", "UDP multicast heartbeats: mcast INTERFACE GROUP PORT TTL LOOP."),
        ("serial", "Heartbeats over each serial device named (a null-modem cable)."),
        ("baud", "The serial media's speed; must precede them; default 19200."),
        ("auto_failback", "on: groups go back to their home node when it returns; off: they stay; legacy."),
        ("nice_failback", "The old spelling: on is auto_failback off."),
        ("logfile", "Where log lines go, in heartbeat's wording."),
        ("debugfile", "Where debug lines go as well."),
        ("logfacility", "The syslog facility; none sends nothing to the journal."),
        ("use_logd", "Accepted: lines go to the journal unless logfacility none."),
        ("ping", "Ping nodes: accepted, exported, not monitored."),
        ("watchdog", "A watchdog device kept fed by the daemon's loop."),
        ("crm", "Must be off (or absent): a cluster with a CRM belongs to Pacemaker."),
        ("pacemaker", "The same as crm."),
        ("autojoin", "none only: every node is listed."),
        ("realtime", "on (the default): the loop runs SCHED_RR with its memory locked."),
        ("rtprio", "The SCHED_RR priority (1-99); default 1."),
        ("msgfmt", "Accepted and ignored: netstring is sent, both formats are read."),
        ("stonith", "Refused: heartbeat-lite cannot fence nodes."),
        ("stonith_host", "Refused: heartbeat-lite cannot fence nodes."),
    ]

    /// Directives heartbeat knows that do nothing here, with the reason, in name order.
    public static var ignoredDirectives: [(name: String, reason: String)] {
        ignoredDirectiveReasons.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
