import HAKitSystem
import HAKitTestSupport
import Testing

/// `heartbeat-lite export` through the built binary: one format required, the files found by
/// --config-dir or named one by one, errors as FILE:LINE on stderr with exit 1.
@Suite struct HeartbeatLiteExportTests {
    func withSeed000(_ body: (String) throws -> Void) throws {
        let directory = try TestSupport.temporaryDirectory("export-cli")
        defer { TestSupport.removeTree(directory) }
        try FileSystem.writeAtomically("\(directory)/ha.cf", contents: SeedFiles.sparksupportHaCf)
        try FileSystem.writeAtomically("\(directory)/haresources", contents: SeedFiles.sparksupportHaresources)
        try body(directory)
    }

    func heartbeatLite(_ arguments: [String]) throws -> TestSupport.CommandResult {
        try TestSupport.run([TestSupport.binary("heartbeat-lite")] + arguments)
    }

    @Test(arguments: [[], ["--crm", "--pcs"], ["--crm", "--pcs", "--cib"]])
    func exactlyOneFormat(flags: [String]) throws {
        try withSeed000 { directory in
            let result = try heartbeatLite(["export", "--config-dir", directory] + flags)
            #expect(result.status == 64)
            #expect(result.output.isEmpty)
            #expect(result.errorOutput.hasPrefix("Error: Give exactly one of --crm, --pcs and --cib\n"), "\(result.errorOutput)")
            #expect(result.errorOutput.contains("heartbeat-lite export --help"))
        }
    }

    @Test(arguments: [
        ("--crm", "\ngroup group_IPaddr_201_200_100_5 IPaddr_201_200_100_5 httpd\n"),
        ("--pcs", "\npcs -f \"$cib\" property set stonith-enabled=false\n"),
        ("--cib", "\n      <rsc_location id=\"location_group_IPaddr_201_200_100_5\" rsc=\"group_IPaddr_201_200_100_5\" node=\"node1.www.sparksupport.com\" score=\"100\"/>\n"),
    ])
    func eachFormatFromTheConfigDirectory(flag: String, expected: String) throws {
        try withSeed000 { directory in
            let result = try heartbeatLite(["export", flag, "--config-dir", directory])
            #expect(result.status == 0, "\(result.errorOutput)")
            #expect(result.errorOutput.isEmpty)
            #expect(result.output.contains(expected), "\(result.output)")
            // The same files named one by one give the same output.
            let named = try heartbeatLite([
                "export", flag, "--config-dir", "/nonexistent", "--ha-cf", "\(directory)/ha.cf",
                "--haresources=\(directory)/haresources",
            ])
            #expect(named.status == 0, "\(named.errorOutput)")
            #expect(named.output == result.output)
        }
    }

    @Test(arguments: [
        ("node3 192.0.2.6\n", "haresources:2: node \"node3\" is not listed in ha.cf"),
        ("node2.www.sparksupport.com SendArp::x\n", "haresources:2: SendArp::x: SendArp takes IP/interface, e.g. SendArp::192.0.2.5/eth0"),
        ("node2.www.sparksupport.com Filesystem::/dev/sdb1\n", "haresources:2: Filesystem::/dev/sdb1: Filesystem takes 2 to 4 arguments (Filesystem::device::directory::fstype::options)"),
    ])
    func errorsNameFileAndLineAndExportNothing(line: String, message: String) throws {
        try withSeed000 { directory in
            try FileSystem.writeAtomically(
                "\(directory)/haresources", contents: SeedFiles.sparksupportHaresources + line)
            let result = try heartbeatLite(["export", "--pcs", "--config-dir", directory])
            #expect(result.status == 1)
            #expect(result.output.isEmpty)
            #expect(result.errorOutput == "\(directory)/\(message)\nheartbeat-lite: 1 problem(s); nothing exported\n")
        }
    }

    @Test func warningsGoToStandardError() throws {
        try withSeed000 { directory in
            try FileSystem.writeAtomically(
                "\(directory)/ha.cf", contents: SeedFiles.sparksupportHaCf.replacing("auto_failback on", with: "nice_failback on"))
            let result = try heartbeatLite(["export", "--crm", "--config-dir", directory])
            #expect(result.status == 0)
            #expect(result.errorOutput.hasPrefix("warning: \(directory)/ha.cf:10: nice_failback is obsolete"), "\(result.errorOutput)")
            #expect(result.output.contains("resource-stickiness=200"))
        }
    }

    @Test func helpExplainsEachFormatWithAnExample() throws {
        let result = try heartbeatLite(["export", "--help"])
        #expect(result.status == 0)
        let text = result.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for wanted in [
            "crm configure load update FILE", "sh FILE CIB.xml", "crm_verify --xml-file FILE",
            "cibadmin --replace --scope configuration --xml-file FILE", "Example: heartbeat-lite export --crm",
        ] {
            #expect(text.contains(wanted), "\(wanted) missing from\n\(result.output)")
        }
    }
}
