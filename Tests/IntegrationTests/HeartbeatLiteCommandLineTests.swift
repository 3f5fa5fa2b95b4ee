import HAKitSystem
import HAKitTestSupport
import Testing

/// heartbeat-lite's command line through the built binary: help rendered from each command's
/// declarations, both spellings of an option, and usage errors that exit 64 on stderr naming the
/// word at fault.
@Suite struct HeartbeatLiteCommandLineTests {
    /// Each command with the label of every argument it declares, as its help must show them.
    static let declared: [String: [String]] = [
        "run": [
            "--config-dir <dir>", "--node <name>", "--state-dir <dir>", "--run-dir <dir>", "--ocf-root <dir>",
            "--resource-dir <dir>", "--init-dir <dir>", "--resource-timeout <seconds>", "--stderr",
        ],
        "check": ["--config-dir <dir>", "--node <name>"],
        "status": ["--run-dir <dir>", "--json"],
        "standby": ["--run-dir <dir>", "--wait <seconds>", "<set>"],
        "takeover": ["--run-dir <dir>", "--wait <seconds>", "<set>"],
        "export": [
            "--crm", "--pcs", "--cib", "--config-dir <dir>", "--ha-cf <file>", "--haresources <file>",
            "--provider <name>",
        ],
    ]

    /// What a duration option expects: no more seconds than Pacemaker's 32-bit milliseconds hold.
    static let seconds = "a whole number of seconds from 0 to 4294967"

    func heartbeatLite(_ arguments: String...) throws -> TestSupport.CommandResult {
        try TestSupport.run([TestSupport.binary("heartbeat-lite")] + arguments)
    }

    /// A usage error: exit 64, nothing on stdout, the message and a pointer to the help on stderr.
    func expectUsageError(
        _ result: TestSupport.CommandResult, _ message: String, help: String = "heartbeat-lite --help",
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(result.status == 64, "\(result.errorOutput)", sourceLocation: sourceLocation)
        #expect(result.output.isEmpty, sourceLocation: sourceLocation)
        #expect(result.errorOutput.hasPrefix("Error: \(message)\n"), "\(result.errorOutput)", sourceLocation: sourceLocation)
        #expect(
            result.errorOutput.hasSuffix("  See '\(help)' for more information.\n"), "\(result.errorOutput)",
            sourceLocation: sourceLocation)
    }

    @Test(arguments: [[], ["--help"], ["-h"], ["help"]])
    func toolHelpListsEverySubcommand(arguments: [String]) throws {
        let result = try TestSupport.run([TestSupport.binary("heartbeat-lite")] + arguments)
        #expect(result.status == 0)
        #expect(result.errorOutput.isEmpty)
        #expect(result.output.hasPrefix("OVERVIEW: Two-node failover from heartbeat's own /etc/ha.d configuration.\n"))
        #expect(result.output.contains("USAGE: heartbeat-lite <subcommand>\n"))
        for command in ["run", "check", "status", "standby", "takeover", "cleanup", "export"] {
            #expect(result.output.contains("\n  \(command) "), "\(command) missing from\n\(result.output)")
        }
    }

    @Test func commandHelpListsEveryDeclaredArgumentWithItsDefault() throws {
        for (command, labels) in Self.declared {
            let result = try heartbeatLite(command, "--help")
            #expect(result.status == 0, "\(command): \(result.errorOutput)")
            #expect(result.errorOutput.isEmpty)
            #expect(result.output.contains("USAGE: heartbeat-lite \(command) "), "\(result.output)")
            for label in labels + ["-h, --help"] {
                // A label too wide for its column has its help on the next line.
                #expect(
                    result.output.contains("\n  \(label) ") || result.output.contains("\n  \(label)\n"),
                    "\(command): \(label) missing from\n\(result.output)")
                if label != "-h, --help" {
                    #expect(result.output.contains("[\(label)]"), "\(command): \(label) missing from the usage")
                }
            }
            #expect(try heartbeatLite(command, "-h").output == result.output)
            #expect(try heartbeatLite("help", command).output == result.output)
            // Help wins over any other word before `--`, as it did with swift-argument-parser.
            #expect(try heartbeatLite(command, "--no-such-option", "--help").output == result.output)
        }
        let run = try heartbeatLite("run", "--help").output
        #expect(run.contains("(default: /etc/ha.d)") && run.contains("(default: /var/lib/heartbeat-lite)"))
        #expect(run.contains("(default: 120)") && run.contains("(default: /usr/lib/ocf)"))
        #expect(run.contains("(errors as FILE:LINE: message)"), "the discussion is shown")
        let standby = try heartbeatLite("standby", "--help").output
        #expect(standby.contains("ARGUMENTS:\n  <set>                   all, local or foreign. (default: all)\n"))
        #expect(standby.contains("(default: /run/heartbeat-lite)"))
    }

    @Test func checkTakesBothSpellingsOfAnOption() throws {
        try HeartbeatCheckTests().withConfiguration { directory in
            let spaced = try heartbeatLite("check", "--config-dir", directory, "--node", "node1.www.sparksupport.com")
            let joined = try heartbeatLite("check", "--config-dir=\(directory)", "--node=node1.www.sparksupport.com")
            #expect(spaced.status == 0, "\(spaced.errorOutput)")
            #expect(spaced.output.contains("is valid for node node1.www.sparksupport.com"))
            #expect(joined.status == spaced.status && joined.output == spaced.output)
            // The last of a repeated option counts.
            let repeated = try heartbeatLite(
                "check", "--config-dir", "/nonexistent", "--config-dir=\(directory)", "--node=node1.www.sparksupport.com")
            #expect(repeated.status == 0 && repeated.output == spaced.output, "\(repeated.errorOutput)")
        }
    }

    @Test func checkOfAnInvalidDirectoryExitsOneNotSixtyFour() throws {
        try HeartbeatCheckTests().withConfiguration { directory in
            try FileSystem.remove("\(directory)/haresources")
            for arguments in [["--config-dir", directory], ["--config-dir=\(directory)"]] {
                let result = try TestSupport.run(
                    [TestSupport.binary("heartbeat-lite"), "check"] + arguments + ["--node", "node1.www.sparksupport.com"])
                #expect(result.status == 1)
                #expect(result.errorOutput.contains("\(directory)/haresources: file not found"), "\(result.errorOutput)")
                #expect(result.errorOutput.hasSuffix("heartbeat-lite: 1 problem(s) in \(directory); nothing would be started\n"))
            }
        }
    }

    @Test func controlCommandsTakeBothSpellingsAndExitThreeWithoutADaemon() throws {
        let directory = try TestSupport.temporaryDirectory("hbl-cli")
        defer { TestSupport.removeTree(directory) }
        for arguments in [
            ["status", "--run-dir", directory], ["status", "--json", "--run-dir=\(directory)"],
            ["standby", "local", "--wait", "0", "--run-dir", directory],
            ["takeover", "--wait=5", "--run-dir=\(directory)", "--", "foreign"],
        ] {
            let result = try TestSupport.run([TestSupport.binary("heartbeat-lite")] + arguments)
            #expect(result.status == 3, "\(arguments): \(result.errorOutput)")
            #expect(result.errorOutput.contains("\(directory)/control.sock"), "\(arguments): \(result.errorOutput)")
        }
    }

    @Test func unknownOptionIsNamed() throws {
        expectUsageError(try heartbeatLite("check", "--frob"), "Unknown option '--frob'", help: "heartbeat-lite check --help")
        expectUsageError(
            try heartbeatLite("run", "--stderr", "--config-dir=/x", "-x"), "Unknown option '-x'",
            help: "heartbeat-lite run --help")
        expectUsageError(try heartbeatLite("status", "--frob=1"), "Unknown option '--frob'", help: "heartbeat-lite status --help")
        expectUsageError(try heartbeatLite("--version"), "Unknown option '--version'")
        let result = try heartbeatLite("check", "--frob")
        #expect(result.errorOutput.contains("Usage: heartbeat-lite check [--config-dir <dir>] [--node <name>]\n"))
    }

    @Test func missingValueIsNamed() throws {
        for arguments in [["--config-dir"], ["--config-dir="], ["--config-dir", "--node", "node1"]] {
            let result = try TestSupport.run([TestSupport.binary("heartbeat-lite"), "check"] + arguments)
            expectUsageError(result, "Missing value for '--config-dir <dir>'", help: "heartbeat-lite check --help")
            #expect(result.errorOutput.contains("Help:  --config-dir <dir>  The directory holding ha.cf"))
        }
        expectUsageError(
            try heartbeatLite("standby", "local", "--run-dir"), "Missing value for '--run-dir <dir>'",
            help: "heartbeat-lite standby --help")
    }

    @Test func badIntegerNamesTheValue() throws {
        expectUsageError(
            try heartbeatLite("run", "--resource-timeout", "abc", "--config-dir", "/nonexistent"),
            "The value 'abc' is invalid for '--resource-timeout <seconds>': expected \(Self.seconds)",
            help: "heartbeat-lite run --help")
        expectUsageError(
            try heartbeatLite("standby", "--wait=1.5"),
            "The value '1.5' is invalid for '--wait <seconds>': expected \(Self.seconds)",
            help: "heartbeat-lite standby --help")
        // Seconds whose milliseconds would overflow are refused, not a trap once counted.
        for value in ["4294968", "9223372036854775807", "-1"] {
            expectUsageError(
                try heartbeatLite("takeover", "--wait=\(value)"),
                "The value '\(value)' is invalid for '--wait <seconds>': expected \(Self.seconds)",
                help: "heartbeat-lite takeover --help")
            expectUsageError(
                try heartbeatLite("run", "--resource-timeout=\(value)", "--config-dir", "/nonexistent"),
                "The value '\(value)' is invalid for '--resource-timeout <seconds>': expected \(Self.seconds)",
                help: "heartbeat-lite run --help")
        }
        expectUsageError(
            try heartbeatLite("takeover", "--wait", "99999999999999999999"),
            "The value '99999999999999999999' is invalid for '--wait <seconds>': expected \(Self.seconds)",
            help: "heartbeat-lite takeover --help")
    }

    @Test func unknownSubcommandIsNamed() throws {
        let message = "Unknown subcommand 'frob' (one of run, check, status, standby, takeover, cleanup, export)"
        expectUsageError(try heartbeatLite("frob"), message)
        expectUsageError(try heartbeatLite("help", "frob"), message)
        #expect(try heartbeatLite("frob").errorOutput.contains("Usage: heartbeat-lite <subcommand>\n"))
    }

    @Test func flagsTakeNoValueAndExtraWordsAreRefused() throws {
        expectUsageError(
            try heartbeatLite("status", "--json=yes"), "The flag '--json' takes no value, but 'yes' was given",
            help: "heartbeat-lite status --help")
        expectUsageError(
            try heartbeatLite("standby", "local", "foreign"), "Unexpected argument 'foreign'",
            help: "heartbeat-lite standby --help")
        expectUsageError(
            try heartbeatLite("check", "extra", "words"), "2 unexpected arguments: 'extra', 'words'",
            help: "heartbeat-lite check --help")
    }
}
