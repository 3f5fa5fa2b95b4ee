import HAKitSystem
import HAKitTestSupport
import PacemakerExport
import Testing

/// The CIB export of every seed through Pacemaker's own checker, `crm_verify --xml-file`: the
/// consumer decides. A missing crm_verify (pacemaker-cli-utils) fails, it does not skip.
@Suite struct CIBValidationTests {
    static let crmVerify = "/usr/sbin/crm_verify"

    @Test(arguments: SeedFiles.exportCases)
    func crmVerifyAcceptsTheExport(seed: SeedFiles.ExportCase) throws {
        #expect(FileSystem.exists(Self.crmVerify), "crm_verify is missing: install pacemaker-cli-utils")
        let directory = try TestSupport.temporaryDirectory("export-cib")
        defer { TestSupport.removeTree(directory) }
        let configuration = try exportConfiguration(haCf: seed.haCf, haresources: seed.haresources)
        let file = "\(directory)/cib.xml"
        try FileSystem.writeAtomically(file, contents: CIBRenderer.render(configuration))
        let result = try TestSupport.run([Self.crmVerify, "--xml-file", file, "-V"])
        #expect(result.status == 0, "crm_verify rejected the export of \(seed):\n\(result.output)\(result.errorOutput)")
        // Warnings are problems too: nothing but the note about unfenced unseen nodes is expected.
        #expect(!result.errorOutput.contains("error"), "\(result.errorOutput)")
    }

    @Test func crmVerifyAcceptsAnIPv6Address() throws {
        let directory = try TestSupport.temporaryDirectory("export-cib6")
        defer { TestSupport.removeTree(directory) }
        let configuration = try exportConfiguration(
            haCf: twoNodeHaCf(), haresources: "alpha IPaddr2::2001:db8::10/64/eth0 httpd\n")
        let file = "\(directory)/cib.xml"
        let cib = CIBRenderer.render(configuration)
        #expect(cib.contains("id=\"IPaddr2_2001_db8__10\""), "\(cib)")
        try FileSystem.writeAtomically(file, contents: cib)
        let result = try TestSupport.run([Self.crmVerify, "--xml-file", file, "-V"])
        #expect(result.status == 0, "crm_verify rejected the IPv6 export:\n\(result.output)\(result.errorOutput)")
    }
}
