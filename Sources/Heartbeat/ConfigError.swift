/// A problem in ha.cf, haresources or authkeys, with the file and line it was found on.
///
/// Renders as heartbeat's users expect to read it: `ha.cf:12: unknown directive "foo"`, or
/// `ha.cf: no heartbeat media defined` when no single line is to blame.
public struct ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem this is; match on it rather than on the message text.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The code's name, e.g. `unknownDirective`.
        public var description: String { name }

        /// A directive heartbeat-lite does not know.
        public static let unknownDirective = Code("unknownDirective")
        /// A directive or entry lacks a value it needs.
        public static let missingValue = Code("missingValue")
        /// A directive or entry has more values than it takes.
        public static let tooManyValues = Code("tooManyValues")
        /// A value is not of the form the directive takes.
        public static let invalidValue = Code("invalidValue")
        /// A time is not seconds (decimals allowed) or a number with a `ms`/`us` suffix.
        public static let invalidTime = Code("invalidTime")
        /// The file configures a CRM/Pacemaker cluster (`crm on|respawn`, `pacemaker on|respawn`).
        public static let crmCluster = Code("crmCluster")
        /// A `serial` device does not exist or is not a character device (heartbeat's `serial_new`).
        public static let serialMedia = Code("serialMedia")
        /// A directive heartbeat knows that heartbeat-lite refuses (e.g. `stonith`, `autojoin any`).
        public static let unsupported = Code("unsupported")
        /// A directive that may appear once appears again.
        public static let duplicate = Code("duplicate")
        /// No `bcast`, `ucast` or `mcast` line.
        public static let noMedia = Code("noMedia")
        /// No `node` line.
        public static let noNodes = Code("noNodes")
        /// More than two `node` lines: heartbeat-lite fails over between two nodes.
        public static let tooManyNodes = Code("tooManyNodes")
        /// The local node is not named in a `node` line.
        public static let localNodeNotListed = Code("localNodeNotListed")
        /// deadtime is not more than twice keepalive.
        public static let deadtimeTooSmall = Code("deadtimeTooSmall")
        /// warntime is not less than deadtime.
        public static let warntimeTooLarge = Code("warntimeTooLarge")
        /// initdead is less than deadtime.
        public static let initdeadTooSmall = Code("initdeadTooSmall")
        /// No logfile, debugfile or logfacility and `use_logd` is off.
        public static let noLogDestination = Code("noLogDestination")
        /// An haresources line names a node but no resources.
        public static let missingResources = Code("missingResources")
        /// Two haresources groups share a key (first resource).
        public static let duplicateGroup = Code("duplicateGroup")
        /// An haresources line names a node that is not in ha.cf.
        public static let unknownNode = Code("unknownNode")
        /// An IP address resource (ip, netmask bits, broadcast) is malformed.
        public static let invalidAddress = Code("invalidAddress")
        /// A resource token is malformed (empty or unusable script name, wrong argument count).
        public static let invalidResource = Code("invalidResource")
        /// An authkeys line is neither `auth N` nor `N method [key]`.
        public static let invalidLine = Code("invalidLine")
        /// An authkeys index is outside 0–15.
        public static let invalidKeyIndex = Code("invalidKeyIndex")
        /// An authkeys method other than crc, md5 or sha1.
        public static let unknownMethod = Code("unknownMethod")
        /// `crc` given a key.
        public static let keyNotAllowed = Code("keyNotAllowed")
        /// `md5` or `sha1` without a key.
        public static let keyRequired = Code("keyRequired")
        /// No `auth N` line in authkeys.
        public static let missingAuth = Code("missingAuth")
        /// `auth N` names an entry that does not exist.
        public static let missingKeyEntry = Code("missingKeyEntry")
        /// One of the three files is missing, unreadable, no regular file or too large.
        public static let missingFile = Code("missingFile")
        /// authkeys may be read by others or is not owned by root.
        public static let badPermissions = Code("badPermissions")
        /// A state file (generation, UUID) is not what heartbeat-lite wrote.
        public static let corruptState = Code("corruptState")
    }

    /// What kind of problem this is.
    public let code: Code
    /// The file as the caller named it, e.g. `/etc/ha.d/ha.cf`.
    public let path: String
    /// The 1-based line, or `nil` when the problem is with the file as a whole.
    public let line: Int?
    /// A one-line explanation for a person, naming the bad value.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, path: String, line: Int?, _ message: String) {
        self.code = code
        self.path = path
        self.line = line
        self.message = message
    }

    /// `path:line: message`, or `path: message` without a line.
    public var description: String {
        if let line { "\(path):\(line): \(message)" } else { "\(path): \(message)" }
    }
}

/// Every problem found in one configuration file, in file order; never empty.
///
/// The parsers report all problems at once, as heartbeat does, so that `heartbeat-lite check` can
/// list them together.
public struct ConfigErrors: Error, Hashable, Sendable, CustomStringConvertible {
    /// The problems, in the order they were found.
    public let errors: [ConfigError]

    /// Creates the list; `errors` must not be empty.
    public init(_ errors: [ConfigError]) {
        precondition(!errors.isEmpty, "ConfigErrors needs at least one error")
        self.errors = errors
    }

    /// The codes of all errors, in order.
    public var codes: [ConfigError.Code] { errors.map(\.code) }

    /// One error per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Something accepted but worth telling the operator (an ignored directive, a risky value).
public struct ConfigWarning: Hashable, Sendable, CustomStringConvertible {
    /// The file as the caller named it.
    public let path: String
    /// The 1-based line, or `nil` for the file as a whole.
    public let line: Int?
    /// A one-line explanation.
    public let message: String

    /// Creates a warning.
    public init(path: String, line: Int?, _ message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    /// `path:line: message`, or `path: message` without a line.
    public var description: String {
        if let line { "\(path):\(line): \(message)" } else { "\(path): \(message)" }
    }
}
