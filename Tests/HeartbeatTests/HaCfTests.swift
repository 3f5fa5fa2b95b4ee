import Heartbeat
import Testing

@Suite("ha.cf parsing")
struct HaCfTests {
    /// A small valid ha.cf; tests append or change lines.
    static let minimal = """
        bcast eth1
        node alpha
        node beta
        """

    func parse(_ text: String, localNode: String = "alpha", path: String = "ha.cf") throws(ConfigErrors) -> HaCf {
        try HaCf.parse(text, path: path, localNode: localNode)
    }

    @Test("heartbeat's defaults when only media and nodes are given")
    func defaults() throws {
        let cf = try parse(Self.minimal)
        #expect(cf.keepaliveMs == 1000)
        #expect(cf.deadtimeMs == 30000)
        #expect(cf.warntimeMs == 15000)
        #expect(cf.initdeadMs == 30000)
        #expect(cf.udpPort == 694)
        #expect(cf.media == [.broadcast(interface: "eth1", port: 694)])
        #expect(cf.nodes == ["alpha", "beta"])
        #expect(cf.peers == ["beta"])
        #expect(cf.localNode == "alpha")
        #expect(cf.autoFailback == .legacy)
        #expect(cf.useLogd)
        #expect(cf.logfile == nil && cf.debugfile == nil && cf.logFacility == nil && cf.watchdog == nil)
        #expect(cf.pingNodes.isEmpty)
        #expect(
            cf.warnings.map(\.description) == [
                "ha.cf: auto_failback is not set, so heartbeat's deprecated legacy mode applies; "
                    + "set auto_failback on or off"
            ]
        )
    }

    @Test("the caller's default UDP port (from /etc/services) applies without udpport")
    func defaultPortFromCaller() throws {
        let cf = try HaCf.parse(Self.minimal, localNode: "alpha", defaultUDPPort: 7000)
        #expect(cf.udpPort == 7000)
        #expect(cf.media == [.broadcast(interface: "eth1", port: 7000)])
    }

    @Test(
        "initdead defaults: deadtime if > 10 s, 12 s if < 6 s, else twice deadtime",
        arguments: [
            ("deadtime 12", 12000), ("deadtime 10", 20000), ("deadtime 6", 12000), ("deadtime 8", 16000),
            ("deadtime 5", 12000), ("deadtime 500ms\nkeepalive 100ms", 12000), ("deadtime 60", 60000),
        ]
    )
    func initdeadDefault(lines: String, initdead: Int) throws {
        let cf = try parse(Self.minimal + "\n" + lines)
        #expect(cf.initdeadMs == initdead)
    }

    @Test("ms-granular timers as heartbeat-lite's benchmarks use them")
    func millisecondTimers() throws {
        let cf = try parse("keepalive 100ms\ndeadtime 500ms\n" + Self.minimal)
        #expect(cf.keepaliveMs == 100)
        #expect(cf.deadtimeMs == 500)
        #expect(cf.warntimeMs == 250)
        #expect(cf.initdeadMs == 12000)
        let fast = try parse("keepalive 10ms\ndeadtime 40ms\nwarntime 30ms\ninitdead 10\n" + Self.minimal)
        #expect((fast.keepaliveMs, fast.deadtimeMs, fast.warntimeMs, fast.initdeadMs) == (10, 40, 30, 10000))
    }

    @Test("comments on their own line and after a directive, blank lines, CRLF")
    func commentsAndBlankLines() throws {
        let text =
            "# cluster config\r\n\r\n   \r\nkeepalive 2 # the time between heartbeats\r\n"
            + "  deadtime 30#no space\r\n\tbcast eth1 eth2 # two NICs\r\nnode Alpha,BETA # comma-separated\r\n"
        let cf = try parse(text)
        #expect(cf.keepaliveMs == 2000)
        #expect(cf.deadtimeMs == 30000)
        #expect(cf.media == [.broadcast(interface: "eth1", port: 694), .broadcast(interface: "eth2", port: 694)])
        #expect(cf.nodes == ["alpha", "beta"])
    }

    @Test("node names and the local node are compared lower-cased")
    func nodeCase() throws {
        let cf = try parse("bcast eth0\nnode Node1.Example.COM node2", localNode: "NODE1.example.com")
        #expect(cf.localNode == "node1.example.com")
        #expect(cf.nodes == ["node1.example.com", "node2"])
    }

    @Test("a node listed twice is kept once, with a warning")
    func duplicateNode() throws {
        let cf = try parse(Self.minimal + "\nnode alpha\nauto_failback off")
        #expect(cf.nodes == ["alpha", "beta"])
        #expect(cf.warnings.map(\.description) == ["ha.cf:4: node \"alpha\" is listed twice"])
    }

    @Test("an unknown directive is an error rendered with path and line")
    func unknownDirective() throws {
        var lines = Array(repeating: "# comment", count: 11)
        lines.append("foo bar")
        let text = lines.joined(separator: "\n") + "\n" + Self.minimal
        let errors = try #require(expectConfigErrors { () throws(ConfigErrors) in try parse(text) })
        #expect(errors.codes == [.unknownDirective])
        #expect(errors.errors[0].line == 12)
        #expect(errors.description == "ha.cf:12: unknown directive \"foo\"")
        let withPath = try #require(
            expectConfigErrors { () throws(ConfigErrors) in
                try parse(text, path: "/etc/ha.d/ha.cf")
            }
        )
        #expect(withPath.description == "/etc/ha.d/ha.cf:12: unknown directive \"foo\"")
    }

    @Test("every problem is reported, in file order")
    func collectsAllErrors() throws {
        let text = "keepalive\nfoo\nudpport 0\nnode a\nbar 1"
        let errors = try #require(expectConfigErrors { () throws(ConfigErrors) in try parse(text, localNode: "a") })
        #expect(errors.codes == [.missingValue, .unknownDirective, .invalidValue, .unknownDirective, .noMedia])
        #expect(errors.errors.map(\.line) == [1, 2, 3, 5, nil])
        #expect(
            errors.description.split(separator: "\n").last
                == "ha.cf: no heartbeat media defined: add a bcast, ucast, mcast or serial line"
        )
    }

    @Test("10s is rejected as heartbeat rejects it", arguments: ["keepalive", "deadtime", "warntime", "initdead"])
    func secondsSuffixRejected(directive: String) throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in
                try parse("\(directive) 10s\n" + Self.minimal)
            }
        )
        #expect(errors.codes == [.invalidTime])
        #expect(errors.errors[0].line == 1)
        #expect(errors.description.hasPrefix("ha.cf:1: \(directive) \"10s\" is not a time"))
    }

    @Test("keepalive and warntime must be positive")
    func zeroTimes() throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in
                try parse("keepalive 0\nwarntime 499us\n" + Self.minimal)
            }
        )
        #expect(errors.codes == [.invalidTime, .invalidTime])
        #expect(errors.errors.map(\.line) == [1, 2])
    }

    @Test("a single-valued directive with two values is an error")
    func tooManyValues() throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in
                try parse("keepalive 2 3\n" + Self.minimal)
            }
        )
        #expect(errors.codes == [.tooManyValues])
        #expect(errors.description == "ha.cf:1: keepalive takes one value, got 2")
    }

    @Test("a repeated directive: the last value wins, with a warning")
    func repeatedDirective() throws {
        let cf = try parse("keepalive 1\nkeepalive 2\nauto_failback on\n" + Self.minimal)
        #expect(cf.keepaliveMs == 2000)
        #expect(cf.warnings.map(\.line) == [2])
    }

    @Test("deadtime must exceed twice keepalive")
    func deadtimeTooSmall() throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in
                try parse("keepalive 2\ndeadtime 4\n" + Self.minimal)
            }
        )
        #expect(errors.codes == [.deadtimeTooSmall])
        #expect(errors.description == "ha.cf:2: deadtime 4000ms must be more than twice keepalive 2000ms")
        // Just over twice is enough.
        #expect(try parse("keepalive 2\ndeadtime 4001ms\nwarntime 3\ninitdead 10\n" + Self.minimal).deadtimeMs == 4001)
    }

    @Test("deadtime check blames keepalive's line when deadtime is the default")
    func deadtimeDefaultTooSmall() throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in
                try parse("keepalive 20\nwarntime 10\n" + Self.minimal)
            }
        )
        #expect(errors.codes == [.deadtimeTooSmall])
        #expect(errors.errors[0].line == 1)
    }

    @Test("warntime must be less than deadtime")
    func warntimeTooLarge() throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in
                try parse("deadtime 10\nwarntime 10\n" + Self.minimal)
            }
        )
        #expect(errors.codes == [.warntimeTooLarge])
        #expect(errors.description == "ha.cf:2: warntime 10000ms must be less than deadtime 10000ms")
    }

    @Test("initdead below deadtime is an error; below 10 s a warning")
    func initdeadChecks() throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in
                try parse("deadtime 30\ninitdead 20\n" + Self.minimal)
            }
        )
        #expect(errors.codes == [.initdeadTooSmall])
        #expect(errors.description == "ha.cf:2: initdead 20000ms is smaller than deadtime 30000ms")

        let cf = try parse("keepalive 1\ndeadtime 4\ninitdead 5\nauto_failback off\n" + Self.minimal)
        #expect(cf.initdeadMs == 5000)
        #expect(cf.warnings.count == 1)
        #expect(cf.warnings[0].line == 3)
        #expect(cf.warnings[0].message.hasPrefix("initdead 5000ms may be too small"))
    }

    @Test("timing checks are skipped when a time did not parse, so only the real error is shown")
    func noCascadingTimingErrors() throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in
                try parse("keepalive 40s\n" + Self.minimal)
            }
        )
        #expect(errors.codes == [.invalidTime])
    }

    @Test(
        "crm or pacemaker on/yes/respawn names a CRM cluster: use Pacemaker",
        arguments: ["crm on", "crm yes", "crm respawn", "crm true", "pacemaker on", "pacemaker respawn", "crm RESPAWN"]
    )
    func crmCluster(line: String) throws {
        let text = Self.minimal + "\n" + line
        let errors = try #require(expectConfigErrors { () throws(ConfigErrors) in try parse(text) })
        #expect(errors.codes == [.crmCluster])
        #expect(errors.errors[0].line == 4)
        #expect(errors.description.contains("CRM/Pacemaker cluster"))
        #expect(errors.description.contains("use Pacemaker"))
    }

    @Test("directive names are case-sensitive, as in heartbeat")
    func directiveCase() throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in try parse(Self.minimal + "\nCRM on") }
        )
        #expect(errors.description == "ha.cf:4: unknown directive \"CRM\"")
    }

    @Test("crm off and pacemaker off are accepted", arguments: ["crm off", "crm no", "pacemaker off", "crm false"])
    func crmOff(line: String) throws {
        let cf = try parse(Self.minimal + "\n" + line)
        #expect(cf.nodes == ["alpha", "beta"])
    }

    @Test("crm with a value that is not a boolean or respawn is invalid")
    func crmInvalid() throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in try parse(Self.minimal + "\ncrm maybe") }
        )
        #expect(errors.codes == [.invalidValue])
    }

    @Test("serial DEVICE… and baud: one serial medium per device at the baud given before them")
    func serialMedia() throws {
        let cf = try parse("baud 38400\nserial /dev/ttyS0 /dev/ttyS1\nnode alpha")
        #expect(cf.media == [.serial(device: "/dev/ttyS0", baud: 38400), .serial(device: "/dev/ttyS1", baud: 38400)])
        #expect(cf.media.map(\.kind) == ["serial", "serial"])
        #expect(cf.media.map(\.description) == ["serial /dev/ttyS0", "serial /dev/ttyS1"])
    }

    @Test("serial without baud is 19200; a baud after the serial line warns and changes nothing (as heartbeat)")
    func serialDefaultBaud() throws {
        let cf = try parse("serial /dev/ttyS0\nbaud 115200\nnode alpha")
        #expect(cf.media == [.serial(device: "/dev/ttyS0", baud: 19200)])
        #expect(cf.warnings.map(\.line).first == 2)
        #expect(cf.warnings[0].description.contains("baudrate setting must precede media statements"))
    }

    @Test("every speed heartbeat's StringToBaud accepts is taken", arguments: [9600, 19200, 38400, 57600, 115200, 230400, 460800])
    func baudAccepted(speed: Int) throws {
        let cf = try parse("baud \(speed)\nserial /dev/ttyS0\nnode alpha")
        #expect(cf.media == [.serial(device: "/dev/ttyS0", baud: speed)])
    }

    @Test("a speed heartbeat rejects, a second baud, a relative device: refused with file:line",
          arguments: ["baud 4800", "baud 1200", "baud fast", "baud", "baud 9600 19200"])
    func baudRefused(line: String) throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in try parse("\(line)\nserial /dev/ttyS0\nnode alpha") }
        )
        #expect(errors.errors.map(\.line) == [1])
        #expect(errors.errors[0].description.hasPrefix("ha.cf:1: "))
    }

    @Test("baud given twice and a device that is not a full path are refused")
    func serialRefused() throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in
                try parse("baud 9600\nbaud 19200\nserial ttyS0\nnode alpha")
            }
        )
        #expect(errors.errors.map(\.line) == [2, 3])
        #expect(errors.errors[0].description.contains("multiply specified"))
        #expect(errors.errors[1].description.contains("not full pathname"))
    }

    @Test("a serial device the system refuses is an error at its line, in file order with the others")
    func serialDeviceRefused() throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in
                try HaCf.parse(
                    "frobnicate\nserial /dev/ttyS0 /dev/gone\nnode alpha", localNode: "alpha",
                    serialDeviceProblem: { $0 == "/dev/gone" ? "nonexistent serial port [\($0)]" : nil })
            }
        )
        #expect(errors.codes == [.unknownDirective, .serialMedia])
        #expect(errors.errors.map(\.description) == ["ha.cf:1: unknown directive \"frobnicate\"", "ha.cf:2: nonexistent serial port [/dev/gone]"])
    }

    @Test("stonith is refused: heartbeat-lite cannot fence")
    func stonith() throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in
                try parse(Self.minimal + "\nstonith_host * baytech 10.0.0.3 mylogin mysecretpassword")
            }
        )
        #expect(errors.codes == [.unsupported])
    }

    @Test("ucast6 and mcast6 (heartbeat 3.0.6's IPv6 media) are refused with the reason", arguments: [
        "ucast6 eth0 2001:db8::2", "mcast6 eth0 ff05::694 694 1 0",
    ])
    func ipv6Media(line: String) throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in try parse(Self.minimal + "\n" + line) })
        #expect(errors.codes == [.unsupported])
        #expect(errors.description.contains("IPv6 heartbeat media) is not supported by heartbeat-lite yet"), "\(errors)")
    }

    @Test("the local node must be listed; nodes and media are required")
    func requiredThings() throws {
        let notListed = try #require(
            expectConfigErrors { () throws(ConfigErrors) in
                try parse(Self.minimal, localNode: "gamma")
            }
        )
        #expect(notListed.codes == [.localNodeNotListed])
        #expect(
            notListed.description
                == "ha.cf: local node \"gamma\" is not listed in a node line (nodes are named by uname -n)"
        )

        let nothing = try #require(expectConfigErrors { () throws(ConfigErrors) in try parse("# empty\n") })
        #expect(nothing.codes == [.noMedia, .noNodes])
    }

    @Test("ucast and mcast media")
    func unicastAndMulticast() throws {
        let cf = try parse(
            "udpport 1001\nucast eth1 192.168.1.2\nmcast eth0 225.0.0.1 694 1 0\nucast eth2 peer.example\n"
                + "node alpha beta\nauto_failback off"
        )
        #expect(
            cf.media == [
                .unicast(interface: "eth1", peer: "192.168.1.2", port: 1001),
                .multicast(interface: "eth0", group: "225.0.0.1", port: 694, ttl: 1, loop: false),
                .unicast(interface: "eth2", peer: "peer.example", port: 1001),
            ]
        )
        #expect(
            cf.media.map(\.description) == [
                "ucast eth1 192.168.1.2", "mcast eth0 225.0.0.1 694 1 0", "ucast eth2 peer.example",
            ]
        )
        #expect(cf.media.map(\.interface) == ["eth1", "eth0", "eth2"])
        #expect(cf.media.map(\.port) == [1001, 694, 1001])
        #expect(cf.warnings.isEmpty)
    }

    @Test(
        "malformed ucast and mcast lines",
        arguments: [
            ("ucast eth1", ConfigError.Code.missingValue),
            ("ucast eth1 10.0.0.2 extra", .tooManyValues),
            ("mcast eth0 225.0.0.1 694 1", .missingValue),
            ("mcast eth0 10.0.0.1 694 1 0", .invalidValue),
            ("mcast eth0 225.0.0.1 0 1 0", .invalidValue),
            ("mcast eth0 225.0.0.1 694 256 0", .invalidValue),
            ("mcast eth0 225.0.0.1 694 1 2", .invalidValue),
            ("udpport 65536", .invalidValue),
            ("udpport abc", .invalidValue),
        ]
    )
    func malformedMedia(line: String, code: ConfigError.Code) throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in try parse(Self.minimal + "\n" + line) }
        )
        #expect(errors.codes == [code])
        #expect(errors.errors[0].line == 4)
    }

    @Test(
        "media that can never be opened are refused while parsing, as run would refuse them",
        arguments: [
            ("ucast eth1 300.1.1.1", "ucast peer \"300.1.1.1\" is neither an IPv4 address (four numbers 0-255) nor a host name"),
            ("ucast eth1 010.0.0.1", "ucast peer \"010.0.0.1\" is neither an IPv4 address (four numbers 0-255) nor a host name"),
            ("ucast eth1 -peer.example", "ucast peer \"-peer.example\" is neither an IPv4 address (four numbers 0-255) nor a host name"),
            ("bcast eth0:1", "bcast interface \"eth0:1\" contains \":\" (an alias such as eth0:1 is not an interface)"),
            ("ucast 0123456789abcdef 192.0.2.1", "ucast interface \"0123456789abcdef\" is longer than 15 bytes"),
            ("mcast .. 239.0.0.1 694 1 0", "mcast interface \"..\" is not a name"),
        ]
    )
    func unopenableMedia(line: String, message: String) throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in try parse(Self.minimal + "\n" + line) }
        )
        #expect(errors.description == "ha.cf:4: \(message)")
        // The only medium refused: its own error says what is wrong, no "no media" on top.
        let alone = try #require(expectConfigErrors { () throws(ConfigErrors) in try parse(line + "\nnode alpha") })
        #expect(alone.description == "ha.cf:1: \(message)")
    }

    @Test("ucast peers may be host names; interfaces of 15 bytes are fine")
    func peerNamesAndLongInterfaces() throws {
        let cf = try parse("ucast 0123456789abcde peer-2.example.\nucast eth1 node_b\nnode alpha")
        #expect(cf.media.map(\.description) == ["ucast 0123456789abcde peer-2.example.", "ucast eth1 node_b"])
    }

    @Test("more than two nodes is refused on the third node's line")
    func threeNodes() throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in try parse(Self.minimal + "\nnode gamma, alpha") }
        )
        #expect(errors.codes == [.tooManyNodes])
        #expect(
            errors.description
                == "ha.cf:4: haresources failover runs between two nodes; ha.cf names 3 (alpha, beta, gamma). "
                + "Use Pacemaker for larger clusters.")
    }

    @Test("order matters: media declared before udpport keep the earlier port, as in heartbeat")
    func udpportOrder() throws {
        let cf = try parse(
            "bcast eth0\nudpport 1001\nbcast eth1\nmcast eth2 239.1.1.1 5000 1 1\nnode alpha\nauto_failback on"
        )
        #expect(cf.udpPort == 1001)
        #expect(
            cf.media == [
                .broadcast(interface: "eth0", port: 694), .broadcast(interface: "eth1", port: 1001),
                .multicast(interface: "eth2", group: "239.1.1.1", port: 5000, ttl: 1, loop: true),
            ]
        )
        #expect(cf.warnings.count == 1)
        #expect(cf.warnings[0].line == 2)
        #expect(cf.warnings[0].message.contains("keep port 694"))
    }

    @Test(
        "auto_failback values",
        arguments: [
            ("on", AutoFailback.on), ("off", .off), ("legacy", .legacy), ("yes", .on), ("no", .off), ("TRUE", .on),
            ("y", .on), ("0", .off), ("LEGACY", .legacy),
        ]
    )
    func autoFailback(value: String, expected: AutoFailback) throws {
        let cf = try parse(Self.minimal + "\nauto_failback \(value)")
        #expect(cf.autoFailback == expected)
        #expect(cf.warnings.contains { $0.message.contains("legacy") } == (expected == .legacy))
    }

    @Test("auto_failback with another value is an error")
    func autoFailbackInvalid() throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in try parse(Self.minimal + "\nauto_failback sometimes") }
        )
        #expect(errors.description == "ha.cf:4: auto_failback must be on, off or legacy, not \"sometimes\"")
    }

    @Test("nice_failback maps as heartbeat maps it")
    func niceFailback() throws {
        #expect(try parse(Self.minimal + "\nnice_failback on").autoFailback == .off)
        #expect(try parse(Self.minimal + "\nnice_failback off").autoFailback == .legacy)
    }

    @Test("logging directives, and heartbeat's logd rule")
    func logging() throws {
        let cf = try parse(
            Self.minimal
                + "\nlogfile /var/log/ha-log\ndebugfile /var/log/ha-debug\nlogfacility local0\nauto_failback on"
        )
        #expect(cf.logfile == "/var/log/ha-log")
        #expect(cf.debugfile == "/var/log/ha-debug")
        #expect(cf.logFacility == "local0")
        #expect(cf.useLogd == false)

        #expect(try parse(Self.minimal + "\nuse_logd yes\nlogfile /x").useLogd)
        #expect(try parse(Self.minimal + "\nlogfacility none").useLogd)

        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in try parse(Self.minimal + "\nuse_logd no") }
        )
        #expect(errors.codes == [.noLogDestination])

        let badFacility = try #require(
            expectConfigErrors { () throws(ConfigErrors) in try parse(Self.minimal + "\nlogfacility local9") }
        )
        #expect(badFacility.codes == [.invalidValue])
    }

    @Test("ping nodes and watchdog")
    func pingAndWatchdog() throws {
        let cf = try parse(Self.minimal + "\nping 10.0.0.254 10.0.0.253\nping 10.0.1.254\nwatchdog /dev/watchdog")
        #expect(cf.pingNodes == ["10.0.0.254", "10.0.0.253", "10.0.1.254"])
        #expect(cf.watchdog == "/dev/watchdog")

        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in
                try parse(Self.minimal + "\nwatchdog /dev/watchdog\nwatchdog /dev/watchdog1")
            }
        )
        #expect(errors.codes == [.duplicate])
        #expect(errors.description == "ha.cf:5: watchdog is already set on line 4")
    }

    @Test(
        "directives heartbeat knows are accepted and ignored with a warning",
        arguments: [
            "hopfudge 1", "hbgenmethod file", "msgfmt classic", "msgfmt netstring", "autojoin none",
            "compression bz2", "traditional_compression off", "coredumps true",
            "respawn hacluster /usr/lib/heartbeat/ipfail",
            "respawn root /usr/sbin/mydaemon",
            "apiauth ipfail gid=haclient uid=hacluster", "conn_logd_time 60",
            "debug 1", "compression_threshold 2", "coreroot /var/lib/heartbeat/cores", "uuidfrom file",
            "max_rexmit_delay 250", "env FOO=bar",
        ]
    )
    func ignoredDirectives(line: String) throws {
        let cf = try parse(Self.minimal + "\nauto_failback on\n" + line)
        #expect(cf.warnings.count == 1)
        #expect(cf.warnings[0].line == 5)
        #expect(cf.warnings[0].description.hasPrefix("ha.cf:5: "))
    }

    @Test("autojoin any is refused, as heartbeat refuses it with haresources")
    func autojoinAny() throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in try parse(Self.minimal + "\nautojoin any") }
        )
        #expect(errors.codes == [.unsupported])
    }

    @Test("udp is the old name of bcast")
    func udpAlias() throws {
        let cf = try parse("udp eth0\nnode alpha\nauto_failback on")
        #expect(cf.media == [.broadcast(interface: "eth0", port: 694)])
        #expect(cf.warnings.map(\.line) == [1])
    }
}
