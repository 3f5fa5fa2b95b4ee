import Heartbeat

/// The Pacemaker configuration a heartbeat v1 cluster (ha.cf + haresources) becomes: what
/// `heartbeat-lite export` renders as crmsh, pcs or CIB XML. Built by `PacemakerExport`; the
/// renderers only write it out, so the three formats say the same thing.
public struct PacemakerConfiguration: Hashable, Sendable {
    /// Where the configuration came from, e.g. `/etc/ha.d/ha.cf and /etc/ha.d/haresources`.
    public var origin: String
    /// One group per haresources line, in file order.
    public var groups: [PacemakerGroup]
    /// The home-node preference of each group.
    public var locations: [LocationPreference]
    /// Cluster options (`crm_config`), each with the reason it is set.
    public var properties: [Setting]
    /// Resource defaults (`rsc_defaults`), each with the reason it is set.
    public var resourceDefaults: [Setting]
    /// What has no Pacemaker equivalent, or belongs in corosync.conf: written as comments.
    public var notes: [ExportNote]
    /// A ping clone replacing heartbeat's ping nodes (and ipfail), rendered commented out.
    public var pingSuggestion: PingSuggestion?
    /// ha.cf's warnings (deprecated or ignored directives), for the operator rather than the output.
    public var warnings: [ConfigWarning]
}

/// A Pacemaker resource group: one haresources line, members started in the order written.
public struct PacemakerGroup: Hashable, Sendable {
    /// The group's id, e.g. `group_IPaddr_192_0_2_5`.
    public var id: String
    /// The members in start order.
    public var members: [PacemakerPrimitive]
    /// The haresources line it comes from: `path:line`.
    public var source: String
}

/// A primitive resource.
public struct PacemakerPrimitive: Hashable, Sendable {
    /// The resource id.
    public var id: String
    /// The agent.
    public var agent: AgentName
    /// Instance parameters in a fixed order.
    public var parameters: [Parameter]
    /// Operations, start/stop first.
    public var operations: [Operation]
    /// What the translation chose and why (comments above the resource).
    public var comments: [String]
}

/// `class:provider:type` (`ocf:hakit:IPaddr2`) or `class:type` (`lsb:smb`).
public struct AgentName: Hashable, Sendable, CustomStringConvertible {
    /// The standard: `ocf` or `lsb`.
    public var standard: String
    /// The OCF provider; nil for other standards.
    public var provider: String?
    /// The agent or script name.
    public var type: String

    /// Creates a name from its parts.
    public init(standard: String, provider: String? = nil, type: String) {
        self.standard = standard
        self.provider = provider
        self.type = type
    }

    /// `ocf:hakit:IPaddr2`, `lsb:smb`.
    public var description: String { [standard, provider, type].compactMap { $0 }.joined(separator: ":") }
}

/// An instance parameter (`nvpair`).
public struct Parameter: Hashable, Sendable {
    /// The OCF parameter name, e.g. `cidr_netmask`.
    public var name: String
    /// Its value.
    public var value: String

    /// Creates a parameter.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A resource operation (`op`).
public struct Operation: Hashable, Sendable {
    /// `start`, `stop` or `monitor`.
    public var name: String
    /// `0s` for start and stop, the period for a recurring monitor.
    public var interval: String
    /// The timeout, e.g. `20s`.
    public var timeout: String

    /// Creates an operation.
    public init(_ name: String, interval: String = "0s", timeout: String) {
        self.name = name
        self.interval = interval
        self.timeout = timeout
    }

    /// The CIB id of this operation on resource `resource`, as crmsh names them: `web-monitor-10s`.
    public func id(on resource: String) -> String { "\(resource)-\(name)-\(interval)" }
}

/// A location constraint preferring one node for a resource.
public struct LocationPreference: Hashable, Sendable {
    /// The constraint id.
    public var id: String
    /// The group it applies to.
    public var resource: String
    /// The preferred node (the first word of the haresources line).
    public var node: String
    /// The score; positive.
    public var score: Int
    /// Why (comments above the constraint).
    public var comments: [String]
}

/// A name=value in `crm_config` or `rsc_defaults`, with the reason it is set.
public struct Setting: Hashable, Sendable {
    /// The option name, e.g. `stonith-enabled`.
    public var name: String
    /// Its value.
    public var value: String
    /// Why (comments above it).
    public var comments: [String]
}

/// Something of ha.cf or haresources with no Pacemaker equivalent, and what to do instead.
public struct ExportNote: Hashable, Sendable {
    /// The line it is about, `path:line`; nil for the file as a whole.
    public var source: String?
    /// The explanation, one or more lines.
    public var lines: [String]
}

/// An `ocf:pacemaker:ping` clone and a location rule per group: heartbeat's ping nodes, and
/// what ipfail did with them, in Pacemaker terms.
public struct PingSuggestion: Hashable, Sendable {
    /// The hosts to ping (ha.cf `ping` and `ping_group` addresses).
    public var hosts: [String]
    /// The groups the rule keeps off nodes that cannot reach them.
    public var groups: [String]
    /// The primitive's id (`ping`); the clone is `ping-clone`.
    public var id: String { "ping" }
}
