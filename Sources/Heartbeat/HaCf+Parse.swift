extension HaCf {
    /// Parses ha.cf text and applies heartbeat 3.0.6's defaults and start-up checks.
    ///
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - path: the file name used in messages, e.g. `/etc/ha.d/ha.cf`.
    ///   - localNode: this node's name (`uname -n`); compared lower-cased with the `node` lines.
    ///   - defaultUDPPort: the port when ha.cf has no `udpport`; heartbeat uses `ha-cluster` from
    ///     /etc/services, else 694.
    ///   - serialDeviceProblem: what is wrong with a `serial` device on this system, if anything
    ///     (the caller looks; by default nothing is checked).
    ///   - watchdogDeviceProblem: the same for the `watchdog` device.
    /// - Throws: every problem found, each with the path and line.
    public static func parse(
        _ text: String,
        path: String = "ha.cf",
        localNode: String,
        defaultUDPPort: UInt16 = 694,
        serialDeviceProblem: @escaping (String) -> String? = { _ in nil },
        watchdogDeviceProblem: @escaping (String) -> String? = { _ in nil }
    ) throws(ConfigErrors) -> HaCf {
        var parser = HaCfParser(path: path, udpPort: defaultUDPPort, reading: .daemon)
        parser.serialDeviceProblem = serialDeviceProblem
        parser.watchdogDeviceProblem = watchdogDeviceProblem
        for line in ConfigText.lines(text) {
            parser.parse(line)
        }
        return try parser.finish(localNode: localNode.lowercased())
    }

    /// Parses ha.cf text to move its cluster elsewhere (`heartbeat-lite export`): every check of
    /// `parse` that is about the file itself, none that is about running heartbeat-lite here.
    ///
    /// Not read as media here: `serial` and `baud`. Accepted here, refused by `parse`: `stonith` and
    /// `stonith_host`, `crm on`, `autojoin`, more than two nodes, no medium, no log destination. There is no local
    /// node: `localNode` is the first node. All directives are kept in `directives`.
    ///
    /// - Throws: every problem found, each with the path and line.
    public static func parseForExport(_ text: String, path: String = "ha.cf", defaultUDPPort: UInt16 = 694)
        throws(ConfigErrors) -> HaCf
    {
        var parser = HaCfParser(path: path, udpPort: defaultUDPPort, reading: .export)
        for line in ConfigText.lines(text) {
            parser.parse(line)
        }
        return try parser.finish(localNode: nil)
    }
}

/// The running state of one ha.cf parse: values so far, with the lines that set them.
private struct HaCfParser {
    /// A value and the line that set it.
    struct Setting<Value> {
        var value: Value
        var line: Int
    }

    /// What the file is read for: the daemon refuses what it cannot run, the export only what
    /// is malformed.
    enum Reading { case daemon, export }

    let path: String
    let reading: Reading
    var errors: [ConfigError] = []
    var directives: [HaCfDirective] = []
    var warnings: [ConfigWarning] = []
    var nodes: [String] = []
    /// The line each of `nodes` was first named on.
    var nodeLines: [Int] = []
    var keepalive: Setting<Int>?
    var deadtime: Setting<Int>?
    var warntime: Setting<Int>?
    var initdead: Setting<Int>?
    var timingFailed = false
    var udpPort: UInt16
    /// The `baud` line, if any; serial media take its speed (heartbeat's default 19200 otherwise).
    var baud: Setting<Int>?
    /// The speed of every serial medium: `baud` as known at the first `serial` line.
    var serialBaud: Int?
    /// What is wrong with a serial device on this system (heartbeat's serial_new checks it).
    var serialDeviceProblem: (String) -> String? = { _ in nil }
    /// What is wrong with the watchdog device on this system.
    var watchdogDeviceProblem: (String) -> String? = { _ in nil }
    var media: [Setting<Medium>] = []
    /// Whether any medium line was given, even one refused.
    var mediumLineSeen = false
    var autoFailback: Setting<AutoFailback>?
    var logfile: String?
    var debugfile: String?
    var logFacility: String?
    var useLogd: Bool?
    var pingNodes: [String] = []
    var pingTargets: [PingTarget] = []
    var deadping: Setting<Int>?
    /// The `respawn … ipfail` line, if any.
    var ipfailLine: Int?
    var watchdog: Setting<String>?
    var realtime = true
    var realtimePriority: Int?
    /// First line of each single-valued directive, to warn when one is repeated.
    var firstLine: [String: Int] = [:]

    init(path: String, udpPort: UInt16, reading: Reading) {
        self.path = path
        self.udpPort = udpPort
        self.reading = reading
    }

    // MARK: Lines

    mutating func parse(_ line: ConfigLine) {
        // heartbeat cuts the line at the first '#', wherever it is: `keepalive 2 # comment`.
        let text = ConfigText.stripComment(line.text)
        let words = ConfigText.tokens(text)
        guard let first = words.first else { return }
        let directive = String(first)
        let rest = text[first.endIndex...]
        let n = line.number
        directives.append(
            HaCfDirective(name: directive, values: ConfigText.listTokens(rest).map(String.init), line: n))
        if ["bcast", "udp", "ucast", "mcast", "serial"].contains(directive) { mediumLineSeen = true }
        // What heartbeat-lite cannot run but an export translates (or comments): kept in `directives`.
        // Serial lines are translated from `directives` (corosync has no serial links).
        if reading == .export && ["serial", "baud", "stonith", "stonith_host"].contains(directive) { return }
        switch directive {
        case "node":
            for name in values(rest, directive, n) { addNode(name.lowercased(), line: n) }
        case "keepalive", "deadtime", "warntime", "initdead":
            parseTime(rest, directive, n)
        case "udpport":
            parseUDPPort(rest, n)
        case "bcast", "udp":
            if directive == "udp" { warn(n, "directive \"udp\" is the old name of \"bcast\"; use bcast") }
            for interface in values(rest, directive, n) where checkInterface(interface, directive, n) {
                media.append(Setting(value: .broadcast(interface: String(interface), port: udpPort), line: n))
            }
        case "ucast":
            parseUnicast(rest, n)
        case "mcast":
            parseMulticast(rest, n)
        case "auto_failback":
            parseAutoFailback(rest, n)
        case "nice_failback":
            parseNiceFailback(rest, n)
        case "logfile", "debugfile", "logfacility", "use_logd":
            parseLogging(directive, rest, n)
        case "ping":
            parsePing(rest, n)
        case "ping_group":
            parsePingGroup(rest, n)
        case "deadping":
            if let value = single(rest, directive, n) {
                if let ms = ConfigTime.milliseconds(value) {
                    deadping = Setting(value: ms, line: n)
                } else {
                    fail(.invalidTime, n, "deadping \"\(value)\" is not a time: give seconds (2, 0.5) or milliseconds with ms (500ms)")
                }
            }
        case "respawn":
            parseRespawn(rest, n)
        case "watchdog":
            parseWatchdog(rest, n)
        case "crm", "pacemaker":
            parseCRM(directive, rest, n)
        case "serial":
            for device in values(rest, directive, n) {
                // heartbeat's serial_new: the device must be a full path, exist and be a character
                // device (the caller's `serialDeviceProblem` looks at the system).
                guard device.hasPrefix("/") else {
                    fail(.invalidValue, n, "serial port not full pathname [\(device)]")
                    continue
                }
                if let problem = serialDeviceProblem(String(device)) {
                    fail(.serialMedia, n, problem)
                    continue
                }
                let speed = serialBaud ?? baud?.value ?? Self.defaultBaud
                serialBaud = speed
                media.append(Setting(value: .serial(device: String(device), baud: speed), line: n))
            }
        case "baud":
            parseBaud(rest, n)
        case "ucast6", "mcast6":
            // heartbeat 3.0.6 has these media (plugins ucast6.so and mcast6.so); heartbeat-lite
            // does not speak them yet (issue 11): refused, so that a link is never silently missing.
            fail(
                .unsupported, n,
                "\(directive) (IPv6 heartbeat media) is not supported by heartbeat-lite yet; use \(directive.dropLast()) or bcast over IPv4")
        case "stonith", "stonith_host":
            fail(.unsupported, n, "\(directive) is not supported: heartbeat-lite cannot fence nodes; remove it")
        case "autojoin":
            parseAutojoin(rest, n)
        case "realtime":
            if let value = single(rest, directive, n) {
                if let enabled = ConfigText.boolean(value) {
                    realtime = enabled
                } else {
                    fail(.invalidValue, n, "realtime must be on or off, not \"\(value)\"")
                }
            }
        case "rtprio":
            parseRealtimePriority(rest, n)
        case "msgfmt":
            if let value = single(rest, directive, n) {
                if value == "classic" || value == "netstring" {
                    warn(
                        n,
                        "msgfmt is ignored: heartbeat-lite sends netstring (as Debian's heartbeat does) and reads both"
                    )
                } else {
                    fail(.invalidValue, n, "msgfmt must be classic or netstring, not \"\(value)\"")
                }
            }
        default:
            if let reason = Self.ignored[directive] {
                warn(n, "\(directive) is accepted and ignored: \(reason)")
            } else {
                fail(.unknownDirective, n, "unknown directive \"\(directive)\"")
            }
        }
    }

    /// Directives heartbeat knows that do nothing here, with the reason given to the operator.
    static let ignored: [String: String] = [
        "hopfudge": "heartbeat-lite forwards no messages, so ttl keeps heartbeat's default hopfudge of 1",
        "hbgenmethod": "the generation is always kept in the state directory",
        "compression": "heartbeat-lite messages are small and never compressed",
        "compression_threshold": "heartbeat-lite messages are small and never compressed",
        "traditional_compression": "heartbeat-lite messages are small and never compressed",
        "coredumps": "core dumps follow the system settings",
        "coreroot": "core dumps follow the system settings",
        "apiauth": "heartbeat-lite has no client API",
        "conn_logd_time": "heartbeat-lite does not connect to logd",
        "debug": "use the daemon's log level instead",
        "log_badpack": "bad packets are always counted and logged at debug level",
        "use_apphbd": "heartbeat-lite does not register with apphbd",
        "uuidfrom": "the node UUID is kept in the state directory",
        "env": "resource scripts get only heartbeat's standard environment",
        "max_rexmit_delay": "heartbeat-lite does not retransmit",
        "record_config_changes": "it applies only to CRM clusters",
        "record_pengine_inputs": "it applies only to CRM clusters",
        "enable_config_writes": "it applies only to CRM clusters",
        "normalpoll": "heartbeat-lite always uses the system's poll",
    ]

    // MARK: Directives

    mutating func addNode(_ name: String, line: Int) {
        if nodes.contains(name) {
            warn(line, "node \"\(name)\" is listed twice")
        } else {
            nodes.append(name)
            nodeLines.append(line)
        }
    }

    mutating func parseTime(_ rest: Substring, _ directive: String, _ line: Int) {
        guard let value = single(rest, directive, line) else {
            timingFailed = true
            return
        }
        guard let ms = ConfigTime.milliseconds(value) else {
            timingFailed = true
            fail(
                .invalidTime,
                line,
                "\(directive) \"\(value)\" is not a time: give seconds (2, 0.5) or milliseconds with ms (500ms); "
                    + "heartbeat does not accept an \"s\" suffix"
            )
            return
        }
        // heartbeat: keepalive and warntime must be positive; deadtime and initdead may be 0.
        if ms == 0 && (directive == "keepalive" || directive == "warntime") {
            timingFailed = true
            fail(.invalidTime, line, "\(directive) \"\(value)\" must be at least 1ms")
            return
        }
        let setting = Setting(value: ms, line: line)
        switch directive {
        case "keepalive": keepalive = setting
        case "deadtime": deadtime = setting
        case "warntime": warntime = setting
        default: initdead = setting
        }
    }

    /// The speeds heartbeat 3.0.6's `StringToBaud` accepts (bits per second).
    static let baudRates = [9600, 19200, 38400, 57600, 115200, 230400, 460800]
    /// heartbeat's `DEFAULTBAUD`.
    static let defaultBaud = 19200

    /// `baud N`: refused, as heartbeat's `set_baudrate` refuses, when given twice, after a medium
    /// line, or at a speed `StringToBaud` does not know.
    mutating func parseBaud(_ rest: Substring, _ line: Int) {
        let words = ConfigText.tokens(rest)
        guard words.count == 1, let value = words.first else {
            fail(words.isEmpty ? .missingValue : .tooManyValues, line, "baud takes one speed: one of \(Self.baudRates.map(String.init).joined(separator: ", "))")
            return
        }
        if let earlier = baud {
            fail(.invalidValue, line, "baud rate multiply specified (first on line \(earlier.line))")
            return
        }
        guard let number = ConfigText.decimal(value), Self.baudRates.contains(number) else {
            fail(.invalidValue, line, "invalid baudrate [\(value)]: heartbeat accepts \(Self.baudRates.map(String.init).joined(separator: ", "))")
            return
        }
        // heartbeat only warns here. Its serial plugin reads `baud` once, when the first serial line
        // loads it: a baud after that line leaves every serial medium at the speed known then.
        if let first = media.first {
            let ignored = serialBaud.map { " (serial media keep \($0) baud, as in heartbeat)" } ?? ""
            warn(line, "baudrate setting must precede media statements (first medium on line \(first.line))\(ignored)")
        }
        baud = Setting(value: number, line: line)
    }

    mutating func parseUDPPort(_ rest: Substring, _ line: Int) {
        guard let value = single(rest, "udpport", line) else { return }
        guard let number = ConfigText.decimal(value), let port = UInt16(exactly: number), port > 0 else {
            fail(.invalidValue, line, "udpport \"\(value)\" is not a port number (1-65535)")
            return
        }
        // heartbeat reads udpport when it creates each medium, so media declared earlier keep the old
        // port. We do the same, and say so.
        let earlier = media.filter {
            switch $0.value {
            case .multicast, .serial: false
            default: true
            }
        }
        if !earlier.isEmpty && port != udpPort {
            let lines = earlier.map { String($0.line) }.joined(separator: ", ")
            warn(
                line,
                "udpport \(port) comes after the media on line(s) \(lines), which keep port \(udpPort) as in "
                    + "heartbeat; put udpport before bcast and ucast"
            )
        }
        udpPort = port
    }

    mutating func parseUnicast(_ rest: Substring, _ line: Int) {
        let words = ConfigText.tokens(rest)
        guard words.count == 2 else {
            fail(
                words.count < 2 ? .missingValue : .tooManyValues,
                line,
                "ucast takes an interface and a peer address: ucast eth1 192.168.1.2"
            )
            return
        }
        guard checkInterface(words[0], "ucast", line) else { return }
        // heartbeat resolves the peer with gethostbyname, so a name is fine; digits and dots that
        // are no address would reach the resolver as a name and fail only when the daemon starts.
        guard IPv4Text.isValid(words[1]) || HostName.isValid(words[1]) else {
            fail(
                .invalidValue,
                line,
                "ucast peer \"\(words[1])\" is neither an IPv4 address (four numbers 0-255) nor a host name"
            )
            return
        }
        let medium = Medium.unicast(interface: String(words[0]), peer: String(words[1]), port: udpPort)
        media.append(Setting(value: medium, line: line))
    }

    mutating func parseMulticast(_ rest: Substring, _ line: Int) {
        let words = ConfigText.tokens(rest)
        guard words.count == 5 else {
            fail(
                words.count < 5 ? .missingValue : .tooManyValues,
                line,
                "mcast takes interface, group, port, ttl and loop: mcast eth0 225.0.0.1 694 1 0"
            )
            return
        }
        guard checkInterface(words[0], "mcast", line) else { return }
        let group = words[1]
        guard IPv4Text.isMulticast(group) else {
            fail(
                .invalidValue,
                line,
                "mcast group \"\(group)\" is not an IPv4 multicast address (224.0.0.0-239.255.255.255)"
            )
            return
        }
        guard let portNumber = ConfigText.decimal(words[2]), let port = UInt16(exactly: portNumber), port > 0 else {
            fail(.invalidValue, line, "mcast port \"\(words[2])\" is not a port number (1-65535)")
            return
        }
        guard let ttlNumber = ConfigText.decimal(words[3]), let ttl = UInt8(exactly: ttlNumber) else {
            fail(.invalidValue, line, "mcast ttl \"\(words[3])\" must be 0-255")
            return
        }
        guard words[4] == "0" || words[4] == "1" else {
            fail(.invalidValue, line, "mcast loop \"\(words[4])\" must be 0 or 1")
            return
        }
        let medium = Medium.multicast(
            interface: String(words[0]),
            group: String(group),
            port: port,
            ttl: ttl,
            loop: words[4] == "1"
        )
        media.append(Setting(value: medium, line: line))
    }

    mutating func parseAutoFailback(_ rest: Substring, _ line: Int) {
        guard let value = single(rest, "auto_failback", line) else { return }
        if let enabled = ConfigText.boolean(value) {
            autoFailback = Setting(value: enabled ? .on : .off, line: line)
        } else if value.lowercased() == "legacy" {
            autoFailback = Setting(value: .legacy, line: line)
        } else {
            fail(.invalidValue, line, "auto_failback must be on, off or legacy, not \"\(value)\"")
        }
    }

    mutating func parseNiceFailback(_ rest: Substring, _ line: Int) {
        guard let value = single(rest, "nice_failback", line) else { return }
        guard let enabled = ConfigText.boolean(value) else {
            fail(.invalidValue, line, "nice_failback must be on or off, not \"\(value)\"")
            return
        }
        // heartbeat's own mapping of the obsolete flag.
        let mode: AutoFailback = enabled ? .off : .legacy
        warn(line, "nice_failback is obsolete; \"nice_failback \(value)\" is read as \"auto_failback \(mode)\"")
        autoFailback = Setting(value: mode, line: line)
    }

    static let facilities = Set(HaCf.syslogFacilityCodes.keys).union(["none"])

    mutating func parseLogging(_ directive: String, _ rest: Substring, _ line: Int) {
        guard let value = single(rest, directive, line) else { return }
        switch directive {
        case "logfile": logfile = String(value)
        case "debugfile": debugfile = String(value)
        case "logfacility":
            guard Self.facilities.contains(String(value)) else {
                fail(
                    .invalidValue,
                    line,
                    "logfacility \"\(value)\" is not a syslog facility (e.g. daemon, local0, none)"
                )
                return
            }
            logFacility = String(value)
        default:
            guard let enabled = ConfigText.boolean(value) else {
                fail(.invalidValue, line, "use_logd must be yes or no, not \"\(value)\"")
                return
            }
            useLogd = enabled
        }
    }

    mutating func parseWatchdog(_ rest: Substring, _ line: Int) {
        if let earlier = watchdog {
            fail(.duplicate, line, "watchdog is already set on line \(earlier.line)")
            return
        }
        firstLine["watchdog"] = line
        guard let value = single(rest, "watchdog", line) else { return }
        guard value.hasPrefix("/") else {
            fail(.invalidValue, line, "watchdog device must be a full path, not \"\(value)\"")
            return
        }
        if let problem = watchdogDeviceProblem(String(value)) {
            fail(.invalidValue, line, problem)
            return
        }
        watchdog = Setting(value: String(value), line: line)
    }

    /// heartbeat's `set_realtime_prio`: the priority must be in SCHED_FIFO's range, 1 to 99 on Linux
    /// (`sched_get_priority_min`/`max`), whether or not `realtime` is on. heartbeat reads it with
    /// `atoi`, so it takes `50x` as 50 and `x` as 0 (refused); here only digits are a number.
    mutating func parseRealtimePriority(_ rest: Substring, _ line: Int) {
        guard let value = single(rest, "rtprio", line) else { return }
        guard let priority = ConfigText.decimal(value), HaCf.realtimePriorities.contains(priority) else {
            fail(
                .invalidValue,
                line,
                "rtprio \"\(value)\" is not a realtime priority (\(HaCf.realtimePriorities.lowerBound)-\(HaCf.realtimePriorities.upperBound))"
            )
            return
        }
        realtimePriority = priority
    }

    mutating func parseCRM(_ directive: String, _ rest: Substring, _ line: Int) {
        guard let value = single(rest, directive, line) else { return }
        if value.lowercased() == "respawn" || ConfigText.boolean(value) == true {
            if reading == .export {
                warn(line, "\(directive) \(value): heartbeat ignores haresources with a CRM; exported anyway")
                return
            }
            fail(
                .crmCluster,
                line,
                "\(directive) \(value): this ha.cf is for a CRM/Pacemaker cluster, which heartbeat-lite does not run; "
                    + "use Pacemaker for it (or set \"\(directive) off\" to run the haresources groups)"
            )
        } else if ConfigText.boolean(value) == nil {
            fail(.invalidValue, line, "\(directive) must be on, off or respawn, not \"\(value)\"")
        }
    }

    mutating func parseAutojoin(_ rest: Substring, _ line: Int) {
        guard let value = single(rest, "autojoin", line) else { return }
        switch value.lowercased() {
        case "none":
            warn(line, "autojoin none is the default and is ignored")
        case "any" where reading == .export, "other" where reading == .export:
            warn(line, "autojoin \(value) has no haresources equivalent; list every node in corosync.conf")
        case "any", "other":
            // heartbeat refuses this too: R1-style resource management conflicts with autojoin.
            fail(.unsupported, line, "autojoin \(value) is not supported: haresources clusters list every node")
        default:
            fail(.invalidValue, line, "autojoin must be none, other or any, not \"\(value)\"")
        }
    }

    /// Whether a medium's interface can name one; reports it when not.
    mutating func checkInterface(_ name: Substring, _ directive: String, _ line: Int) -> Bool {
        guard let problem = InterfaceName.problem(name) else { return true }
        fail(.invalidValue, line, "\(directive) interface \"\(name)\" \(problem)")
        return false
    }

    // MARK: Ping nodes and ipfail

    /// `ping ADDRESS…`: one ping node per address, named by it. heartbeat also resolves host names
    /// (`gethostbyname`); heartbeat-lite pings addresses only, so a name is refused, not looked up
    /// at every start.
    mutating func parsePing(_ rest: Substring, _ line: Int) {
        for word in values(rest, "ping", line) {
            guard let address = pingAddress(word, "ping", line) else { continue }
            addPingTarget(PingTarget(name: address, addresses: [address], kind: .node, line: line))
            pingNodes.append(address)
        }
    }

    /// `ping_group NAME ADDRESS…`: one ping node, up while any of the addresses answers.
    mutating func parsePingGroup(_ rest: Substring, _ line: Int) {
        let words = values(rest, "ping_group", line)
        guard let name = words.first else { return }
        guard words.count > 1 else {
            fail(.missingValue, line, "ping_group \(name) needs at least one address after its name")
            return
        }
        let addresses = words.dropFirst().compactMap { pingAddress($0, "ping_group \(name)", line) }
        guard addresses.count == words.count - 1 else { return }
        addPingTarget(PingTarget(name: name.lowercased(), addresses: addresses, kind: .group, line: line))
    }

    mutating func pingAddress(_ word: Substring, _ what: String, _ line: Int) -> String? {
        guard IPv4Text.isValid(word) else {
            fail(.invalidValue, line, "\(what): \"\(word)\" is not an IPv4 address; heartbeat-lite pings addresses, not host names")
            return nil
        }
        return String(word)
    }

    mutating func addPingTarget(_ target: PingTarget) {
        if let earlier = pingTargets.first(where: { $0.name == target.name }) {
            warn(target.line, "ping node \"\(target.name)\" is already declared on line \(earlier.line); this one is ignored")
            return
        }
        pingTargets.append(target)
    }

    /// `respawn USER PROGRAM [ARGS]`: heartbeat runs PROGRAM as an API client and restarts it when
    /// it exits. heartbeat-lite runs no API clients; ipfail's rule it applies itself.
    mutating func parseRespawn(_ rest: Substring, _ line: Int) {
        let words = ConfigText.tokens(rest)
        guard words.count >= 2 else {
            fail(.missingValue, line, "respawn needs a user and a program: respawn hacluster /usr/lib/heartbeat/ipfail")
            return
        }
        let program = words[1]
        if program.split(separator: "/").last == "ipfail" {
            ipfailLine = line
        } else {
            warn(line, "respawn \(program) is accepted and ignored: heartbeat-lite runs no heartbeat API clients (it applies ipfail's rule itself)")
        }
    }

    /// The checks heartbeat and ipfail make once the whole file is read.
    mutating func checkPing(keepaliveMs: Int, failback: AutoFailback) {
        if let deadping, deadping.value <= 2 * keepaliveMs {
            // heartbeat's config.c: "Ping dead time [...] is too small compared to keeplive".
            fail(.deadtimeTooSmall, deadping.line, "deadping \(deadping.value)ms must be more than twice keepalive \(keepaliveMs)ms")
        }
        for target in pingTargets where nodes.contains(target.name) {
            fail(.invalidValue, target.line, "ping node \"\(target.name)\" has the name of a cluster node")
        }
        if let ipfailLine {
            if failback == .legacy && reading == .daemon {
                // ipfail exits at start with "auto_failback set to incompatible legacy option".
                fail(.unsupported, ipfailLine, "ipfail needs auto_failback on or off: with legacy heartbeat's ipfail exits at start")
            } else if pingTargets.isEmpty {
                warn(ipfailLine, "ipfail without ping or ping_group lines compares nothing; add the ping nodes it should count")
            }
        }
    }

    // MARK: Values

    /// The directive's option list (heartbeat splits it on whitespace and commas); at least one.
    mutating func values(_ rest: Substring, _ directive: String, _ line: Int) -> [Substring] {
        let words = ConfigText.listTokens(rest)
        if words.isEmpty { fail(.missingValue, line, "\(directive) needs a value") }
        return words
    }

    /// The directive's one value; reports a missing or extra value, and warns when repeated.
    mutating func single(_ rest: Substring, _ directive: String, _ line: Int) -> Substring? {
        let words = ConfigText.listTokens(rest)
        guard words.count == 1 else {
            if words.isEmpty {
                fail(.missingValue, line, "\(directive) needs a value")
            } else {
                fail(.tooManyValues, line, "\(directive) takes one value, got \(words.count)")
            }
            return nil
        }
        if let first = firstLine[directive], first != line, directive != "watchdog" {
            warn(line, "\(directive) is given again (first on line \(first)); the last value is used, as in heartbeat")
        } else {
            firstLine[directive] = line
        }
        return words[0]
    }

    mutating func fail(_ code: ConfigError.Code, _ line: Int?, _ message: String) {
        errors.append(ConfigError(code, path: path, line: line, message))
    }

    mutating func warn(_ line: Int?, _ message: String) {
        warnings.append(ConfigWarning(path: path, line: line, message))
    }

    // MARK: Whole-file checks

    /// Applies heartbeat's defaults and the checks it makes once the whole file is read.
    mutating func finish(localNode: String?) throws(ConfigErrors) -> HaCf {
        // A refused medium line has said what is wrong with it already; an export needs no medium.
        if media.isEmpty && !mediumLineSeen && reading == .daemon {
            fail(.noMedia, nil, "no heartbeat media defined: add a bcast, ucast, mcast or serial line")
        }
        if nodes.isEmpty {
            fail(.noNodes, nil, "no nodes defined: add a node line naming each cluster node")
        } else if nodes.count > 2 && reading == .daemon {
            // heartbeat itself takes more nodes; haresources failover here is between two.
            fail(
                .tooManyNodes,
                nodeLines[2],
                "haresources failover runs between two nodes; ha.cf names \(nodes.count) "
                    + "(\(nodes.joined(separator: ", "))). Use Pacemaker for larger clusters."
            )
        }
        if let localNode, !nodes.isEmpty && !nodes.contains(localNode) {
            fail(
                .localNodeNotListed,
                nil,
                "local node \"\(localNode)\" is not listed in a node line (nodes are named by uname -n)"
            )
        }

        let keepaliveMs = keepalive?.value ?? 1000
        let deadtimeMs = deadtime?.value ?? 30000
        let warntimeMs = warntime?.value ?? deadtimeMs / 2
        let initdeadMs: Int
        if let initdead {
            initdeadMs = initdead.value
        } else if deadtimeMs > 10000 {
            initdeadMs = deadtimeMs
        } else if deadtimeMs < 6000 {
            initdeadMs = 12000
        } else {
            initdeadMs = 2 * deadtimeMs
        }
        if !timingFailed {
            checkTiming(
                keepaliveMs: keepaliveMs,
                deadtimeMs: deadtimeMs,
                warntimeMs: warntimeMs,
                initdeadMs: initdeadMs
            )
        }

        // heartbeat: with no logfile, debugfile or syslog facility, logging goes to logd.
        let hasFacility = logFacility != nil && logFacility != "none"
        let noDestination = logfile == nil && debugfile == nil && !hasFacility
        if noDestination && useLogd == false && reading == .daemon {
            fail(
                .noLogDestination,
                nil,
                "no log destination: use_logd is off and no logfile, debugfile or logfacility is set"
            )
        }

        let failback = autoFailback?.value ?? .legacy
        if failback == .legacy {
            warn(
                autoFailback?.line,
                autoFailback == nil
                    ? "auto_failback is not set, so heartbeat's deprecated legacy mode applies; "
                        + "set auto_failback on or off"
                    : "auto_failback legacy is deprecated; use auto_failback on or off"
            )
        }

        checkPing(keepaliveMs: keepaliveMs, failback: failback)

        if !errors.isEmpty { throw ConfigErrors(errors) }
        var cf = HaCf(
            localNode: localNode ?? nodes.first ?? "",
            nodes: nodes,
            keepaliveMs: keepaliveMs,
            deadtimeMs: deadtimeMs,
            warntimeMs: warntimeMs,
            initdeadMs: initdeadMs,
            udpPort: udpPort,
            media: media.map(\.value),
            autoFailback: failback,
            logfile: logfile,
            debugfile: debugfile,
            logFacility: logFacility,
            useLogd: useLogd ?? noDestination,
            pingNodes: pingNodes,
            watchdog: watchdog?.value,
            realtime: realtime,
            realtimePriority: realtimePriority,
            directives: directives,
            warnings: warnings
        )
        cf.pingTargets = pingTargets
        cf.deadpingMs = deadping?.value ?? deadtimeMs
        cf.runsIpfail = ipfailLine != nil
        return cf
    }

    mutating func checkTiming(keepaliveMs: Int, deadtimeMs: Int, warntimeMs: Int, initdeadMs: Int) {
        if deadtimeMs <= 2 * keepaliveMs {
            fail(
                .deadtimeTooSmall,
                deadtime?.line ?? keepalive?.line,
                "deadtime \(deadtimeMs)ms must be more than twice keepalive \(keepaliveMs)ms"
            )
        }
        if warntimeMs >= deadtimeMs {
            fail(
                .warntimeTooLarge,
                warntime?.line ?? deadtime?.line,
                "warntime \(warntimeMs)ms must be less than deadtime \(deadtimeMs)ms"
            )
        }
        if initdeadMs < deadtimeMs {
            fail(
                .initdeadTooSmall,
                initdead?.line ?? deadtime?.line,
                "initdead \(initdeadMs)ms is smaller than deadtime \(deadtimeMs)ms"
            )
        } else if initdeadMs < 10000 {
            warn(
                initdead?.line,
                "initdead \(initdeadMs)ms may be too small: it covers slow network start-up and should be at least 10s"
            )
        }
    }
}

extension HaCf {
    /// The directives accepted and ignored, with the reason (for `ignoredDirectives`).
    static var ignoredDirectiveReasons: [String: String] { HaCfParser.ignored }
}
