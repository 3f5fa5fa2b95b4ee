/// heartbeat v1's `/etc/ha.d/ha.cf`, parsed and checked as heartbeat 3.0.6 checks it.
///
/// Times are integer milliseconds. Defaults follow heartbeat: keepalive 1 s, deadtime 30 s,
/// warntime deadtime/2, initdead from deadtime (see `parse`), udpport from the caller (694).
public struct HaCf: Hashable, Sendable {
    /// This node's name, lower-cased; it is listed in `nodes`.
    public var localNode: String
    /// The cluster nodes from `node` lines, lower-cased, in file order, without duplicates.
    public var nodes: [String]
    /// Interval between heartbeats (`keepalive`), in milliseconds.
    public var keepaliveMs: Int
    /// Silence after which a node is declared dead (`deadtime`), in milliseconds.
    public var deadtimeMs: Int
    /// Silence after which a "late heartbeat" is logged (`warntime`), in milliseconds.
    public var warntimeMs: Int
    /// The deadtime used until every node has been heard from (`initdead`), in milliseconds.
    public var initdeadMs: Int
    /// The last `udpport` given, or the caller's default; `bcast`/`ucast` media carry their own copy.
    public var udpPort: UInt16
    /// The heartbeat media in file order.
    public var media: [Medium]
    /// The `auto_failback` mode (`legacy` when absent, as in heartbeat).
    public var autoFailback: AutoFailback
    /// `logfile`, if given.
    public var logfile: String?
    /// `debugfile`, if given.
    public var debugfile: String?
    /// `logfacility`, if given (`none` disables syslog).
    public var logFacility: String?
    /// The syslog facility number of `logfacility` (`local0` is 16), as journald's
    /// `SYSLOG_FACILITY` takes it; nil when absent or `none`.
    public var logFacilityCode: Int? { logFacility.flatMap { Self.syslogFacilityCodes[$0] } }
    /// syslog's facility names and numbers (RFC 5424 §6.2.1, as <syslog.h> numbers them).
    public static let syslogFacilityCodes: [String: Int] = [
        "kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "syslog": 5, "lpr": 6, "news": 7, "uucp": 8,
        "cron": 9, "authpriv": 10, "ftp": 11, "local0": 16, "local1": 17, "local2": 18, "local3": 19,
        "local4": 20, "local5": 21, "local6": 22, "local7": 23,
    ]
    /// Whether to log through logd: `use_logd`, or implied when no other log destination is set.
    public var useLogd: Bool
    /// `ping` pseudo-node addresses, in file order.
    public var pingNodes: [String]
    /// Every ping node, from `ping` and `ping_group` lines, in file order.
    public var pingTargets: [PingTarget] = []
    /// Silence after which a ping node is declared dead (`deadping`; heartbeat's default: deadtime),
    /// in milliseconds.
    public var deadpingMs: Int = 0
    /// Whether ha.cf respawns heartbeat's ipfail (`respawn USER …/ipfail`): heartbeat-lite then
    /// applies ipfail's rule itself, comparing reachable ping nodes with the peer.
    public var runsIpfail: Bool = false
    /// The `watchdog` device, if given.
    public var watchdog: String?
    /// `realtime`: whether the daemon's loop runs at a realtime priority with its memory locked
    /// (heartbeat's default: on).
    public var realtime: Bool
    /// `rtprio`, if given: the loop's realtime priority, within `realtimePriorities`. Without it
    /// heartbeat asks for the policy's lowest priority (its `hb_realtime_prio` is -1).
    public var realtimePriority: Int?
    /// Every directive line as written, in file order (what `heartbeat-lite export` translates).
    public var directives: [HaCfDirective]
    /// Things accepted but worth telling the operator, in file order.
    public var warnings: [ConfigWarning]

    /// The lines of directive `name`, in file order.
    public func directives(named name: String) -> [HaCfDirective] { directives.filter { $0.name == name } }

    /// The priorities `rtprio` takes: SCHED_FIFO's (and SCHED_RR's) range on Linux, as heartbeat
    /// checks it with `sched_get_priority_min`/`sched_get_priority_max`.
    public static let realtimePriorities = 1...99

    /// The other cluster nodes (all `nodes` except `localNode`).
    public var peers: [String] { nodes.filter { $0 != localNode } }
}

/// One ha.cf directive line: its name, its values (split as heartbeat splits option lists, on
/// whitespace and commas, comment cut) and its 1-based line.
public struct HaCfDirective: Hashable, Sendable {
    /// The directive, e.g. `stonith_host`.
    public var name: String
    /// The words after it.
    public var values: [String]
    /// The 1-based line.
    public var line: Int

    /// Creates a directive line.
    public init(name: String, values: [String], line: Int) {
        self.name = name
        self.values = values
        self.line = line
    }
}

/// The `auto_failback` setting.
public enum AutoFailback: String, Hashable, Sendable, CaseIterable {
    /// Groups go back to their preferred node when it returns (nice-failback protocol).
    case on
    /// Groups stay where they are when their node returns (nice-failback protocol).
    case off
    /// heartbeat's deprecated pre-nice-failback behaviour; accepted with a warning.
    case legacy
}

/// One heartbeat communication path from ha.cf.
public enum Medium: Hashable, Sendable, CustomStringConvertible {
    /// `bcast IF`: UDP broadcast on an interface, to `port`.
    case broadcast(interface: String, port: UInt16)
    /// `ucast IF PEER`: UDP unicast to a peer address (or host name) out of an interface, to `port`.
    case unicast(interface: String, peer: String, port: UInt16)
    /// `mcast IF GROUP PORT TTL LOOP`: UDP multicast; its own port, not `udpport`.
    case multicast(interface: String, group: String, port: UInt16, ttl: UInt8, loop: Bool)
    /// `serial DEVICE`: a tty (null-modem cable) at `baud` bits per second, heartbeat's line framing.
    case serial(device: String, baud: Int)

    /// The interface the medium sends on; for a serial medium, its device path. Links are named by it.
    public var interface: String {
        switch self {
        case .broadcast(let interface, _), .unicast(let interface, _, _), .multicast(let interface, _, _, _, _):
            interface
        case .serial(let device, _): device
        }
    }

    /// The UDP port the medium sends to; 0 for a serial medium.
    public var port: UInt16 {
        switch self {
        case .broadcast(_, let port), .unicast(_, _, let port), .multicast(_, _, let port, _, _): port
        case .serial: 0
        }
    }

    /// The kind shown in `status`: `udp` or `serial`.
    public var kind: String {
        if case .serial = self { "serial" } else { "udp" }
    }

    /// The ha.cf line that declares it, e.g. `ucast eth1 192.168.1.2` (ports are not part of it).
    public var description: String {
        switch self {
        case .broadcast(let interface, _): "bcast \(interface)"
        case .unicast(let interface, let peer, _): "ucast \(interface) \(peer)"
        case .multicast(let interface, let group, let port, let ttl, let loop):
            "mcast \(interface) \(group) \(port) \(ttl) \(loop ? 1 : 0)"
        case .serial(let device, _): "serial \(device)"
        }
    }
}
