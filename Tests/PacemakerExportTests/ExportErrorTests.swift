import HAKitSystem
import HAKitTestSupport
import Heartbeat
import PacemakerExport
import Testing

/// What the export refuses: every problem, each as FILE:LINE: message, from the same parsers
/// `heartbeat-lite check` uses.
@Suite struct ExportErrorTests {
    @Test func malformedKnownScriptsNameTheirLine() throws {
        let errors = try #require(
            expectExportErrors { () throws(ConfigErrors) in
                let cf = try HaCf.parseForExport(twoNodeHaCf(), path: "/etc/ha.d/ha.cf")
                let resources = try HaResources.parse(
                    "alpha SendArp::nonsense\nbeta 192.0.2.6\nbeta Filesystem::/dev/sdb1 smb\n",
                    path: "/etc/ha.d/haresources", nodes: cf.nodes)
                _ = try PacemakerExport.translate(haCf: cf, resources: resources, haResourcesPath: "/etc/ha.d/haresources")
            })
        #expect(errors.codes == [.invalidResource, .invalidResource])
        #expect(
            errors.description == """
                /etc/ha.d/haresources:1: SendArp::nonsense: SendArp takes IP/interface, e.g. SendArp::192.0.2.5/eth0
                /etc/ha.d/haresources:3: Filesystem::/dev/sdb1: Filesystem takes 2 to 4 arguments \
                (Filesystem::device::directory::fstype::options)
                """)
    }

    @Test func bothFilesAreCheckedAndEveryProblemReported() throws {
        let directory = try TestSupport.temporaryDirectory("export-errors")
        defer { TestSupport.removeTree(directory) }
        try FileSystem.writeAtomically("\(directory)/ha.cf", contents: "bcast eth1\ndeadtime 10s\nnode alpha beta\n")
        try FileSystem.writeAtomically(
            "\(directory)/haresources", contents: "alpha 192.0.2.5\ngamma 192.0.2.6\nbeta 300.1.1.1\n")
        let errors = try #require(
            expectExportErrors { () throws(ConfigErrors) in
                _ = try PacemakerExport.load(
                    haCfPath: "\(directory)/ha.cf", haResourcesPath: "\(directory)/haresources")
            })
        // haresources is checked too (without the nodes ha.cf would have given).
        #expect(errors.codes == [.invalidTime, .invalidAddress])
        #expect(errors.errors.map(\.path) == ["\(directory)/ha.cf", "\(directory)/haresources"])
        #expect(errors.errors.map(\.line) == [2, 3])
        // Once ha.cf is fixed, haresources is checked against its nodes.
        try FileSystem.writeAtomically("\(directory)/ha.cf", contents: "bcast eth1\nnode alpha beta\n")
        let resourceErrors = try #require(
            expectExportErrors { () throws(ConfigErrors) in
                _ = try PacemakerExport.load(
                    haCfPath: "\(directory)/ha.cf", haResourcesPath: "\(directory)/haresources")
            })
        #expect(resourceErrors.codes == [.unknownNode, .invalidAddress])
        #expect(resourceErrors.errors.map(\.description).allSatisfy { $0.hasPrefix("\(directory)/haresources:") })
        #expect(resourceErrors.errors.map(\.line) == [2, 3])
    }

    @Test func missingFilesAreNamed() throws {
        let directory = try TestSupport.temporaryDirectory("export-missing")
        defer { TestSupport.removeTree(directory) }
        let errors = try #require(
            expectExportErrors { () throws(ConfigErrors) in
                _ = try PacemakerExport.load(
                    haCfPath: "\(directory)/ha.cf", haResourcesPath: "\(directory)/haresources")
            })
        #expect(errors.description == "\(directory)/ha.cf: file not found\n\(directory)/haresources: file not found")
    }

    @Test func whatTheDaemonRefusesTheExportTakes() throws {
        // Serial media, stonith, more than two nodes, no local node: refused by `check`, fine to export.
        let text = "serial /dev/ttyS0\nbaud 19200\nstonith_host * baytech 10.0.0.3 login pw\nnode a b c\nuse_logd no\n"
        #expect(throws: ConfigErrors.self) { try HaCf.parse(text, localNode: "a") }
        let cf = try HaCf.parseForExport(text)
        #expect(cf.nodes == ["a", "b", "c"])
        #expect(cf.media.isEmpty)
        #expect(cf.directives(named: "stonith_host").map(\.values) == [["*", "baytech", "10.0.0.3", "login", "pw"]])
        #expect(cf.directives.map(\.line) == [1, 2, 3, 4, 5])
        // What is malformed stays refused.
        let errors = try #require(
            expectExportErrors { () throws(ConfigErrors) in _ = try HaCf.parseForExport("node a b\nkeepalive x\nfoo\n") })
        #expect(errors.codes == [.invalidTime, .unknownDirective])
    }
}
