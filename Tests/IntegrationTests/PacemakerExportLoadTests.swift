#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import HAKitTestSupport
import OCF
import Testing

/// Each seed's `heartbeat-lite export` loaded by the tools it is written for, offline, into a CIB
/// file: `crm configure load update` (crmsh, CIB_file=…), the pcs script run on a file from
/// `cibadmin --empty`, and `cibadmin --replace --scope configuration` for the CIB. Each result is
/// checked with `crm_verify --xml-file`, and the three must hold the same resources, constraints
/// and options.
///
/// crmsh and pcs read every agent's meta-data, so each run has a private mount namespace in which
/// HAKit's agents (the built hakit-agent) are overlaid on /usr/lib/ocf/resource.d/hakit and a stub
/// init script on /etc/init.d for each lsb: resource; the host's files are not touched. Needs root
/// (the namespaces), crmsh, pcs and pacemaker-cli-utils; without them the tests fail.
@Suite(.serialized) struct PacemakerExportLoadTests {
    /// The seeds loaded: one of each shape (seed 002's argument and broadcast forms, 004's scripts).
    /// Then every other form the export writes: IPaddr2 with a label, SendArp, apache's config file,
    /// resource-agents' agents, two groups, auto_failback off, ping nodes, stonith_host.
    static let cases =
        SeedFiles.exportCases.filter { ["000", "002-2", "002-5", "004"].contains($0.name) }
        + [
            SeedFiles.ExportCase(
                name: "every form",
                haCf: """
                    bcast eth1
                    auto_failback off
                    ping 192.0.2.254
                    respawn hacluster /usr/lib/heartbeat/ipfail
                    stonith_host * baytech 10.0.0.3 login secret
                    node alpha beta

                    """,
                haresources: """
                    alpha IPaddr2::192.0.2.5/24/eth1:web SendArp::192.0.2.5/eth1 apache::/etc/apache2/apache2.conf
                    beta 192.0.2.6 Filesystem::/dev/sdb1::/srv::ext4 MailTo::root::failover smb

                    """),
        ]

    @Test(arguments: cases)
    func crmshPcsAndCibadminLoadTheSameConfiguration(seed: SeedFiles.ExportCase) throws {
        #expect(TestSupport.isRoot, "needs root for the mount namespace")
        for tool in ["/usr/sbin/crm", "/usr/sbin/pcs", "/usr/sbin/cibadmin", "/usr/sbin/crm_verify"] {
            #expect(FileSystem.exists(tool), "\(tool) is missing: make test installs crmsh, pcs and pacemaker-cli-utils")
        }
        let directory = try TestSupport.temporaryDirectory("export-load")
        defer { TestSupport.removeTree(directory) }
        try FileSystem.makeDirectories("\(directory)/ha.d")
        try FileSystem.writeAtomically("\(directory)/ha.d/ha.cf", contents: seed.haCf)
        try FileSystem.writeAtomically("\(directory)/ha.d/haresources", contents: seed.haresources)
        for format in ["crm", "pcs", "cib"] {
            let result = try TestSupport.run(
                [TestSupport.binary("heartbeat-lite"), "export", "--\(format)", "--config-dir", "\(directory)/ha.d"])
            #expect(result.status == 0, "\(result.errorOutput)")
            try FileSystem.writeAtomically("\(directory)/export.\(format)", contents: result.output)
        }
        // The suggested ping clone and rules, uncommented as the comment says (`#` before a command).
        for format in ["crm", "pcs"] {
            let text = try #require(try FileSystem.read("\(directory)/export.\(format)"))
            let uncommented = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.hasPrefix("#") && line.dropFirst().first?.isLetter == true ? line.dropFirst() : line
            }
            try FileSystem.writeAtomically(
                "\(directory)/export-ping.\(format)", contents: uncommented.joined(separator: "\n"))
        }
        let cib = try #require(try FileSystem.read("\(directory)/export.cib"))
        try installAgents(in: directory, lsbScripts: lsbTypes(in: try parseXML(cib)))

        let result = try TestSupport.run(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", Self.loadScript, "load", directory],
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": directory, "LANG": "C.UTF-8"],
            timeoutMilliseconds: 180_000)
        #expect(result.status == 0, "\(seed): \(result.output)\n\(result.errorOutput)")
        for format in ["crm", "pcs", "cib", "crm-ping", "pcs-ping"] {
            #expect(result.output.contains("\(format) loaded\n"), "\(seed): \(result.output)\n\(result.errorOutput)")
            #expect(result.output.contains("\(format) verified\n"), "\(seed): \(result.output)\n\(result.errorOutput)")
        }
        let loaded = try ["crm", "pcs", "cib"].map { format in
            try Summary(parseXML(try #require(try FileSystem.read("\(directory)/\(format).xml"))))
        }
        #expect(!loaded[0].primitives.isEmpty)
        #expect(loaded[0] == loaded[1], "crmsh and pcs loads differ for \(seed)")
        #expect(loaded[0] == loaded[2], "crmsh and cibadmin loads differ for \(seed)")
        // With the ping suggestion taken: the same in crmsh and pcs, one clone and a rule per group.
        let suggested = try ["crm-ping", "pcs-ping"].map { format in
            try #require(try FileSystem.read("\(directory)/\(format).xml"))
        }
        for text in suggested {
            #expect(text.contains("<clone id=\"ping-clone\">") == seed.haCf.contains("\nping "), "\(seed): \(text)")
            #expect(Self.occurrences(of: "attribute=\"pingd\"", in: text) == (seed.haCf.contains("\nping ") ? 2 * loaded[0].groups.count : 0))
        }
    }

    /// In the namespace: the overlays, then each format loaded into its own CIB file and verified.
    static let loadScript = """
        set -u
        d=$1
        mount -t overlay overlay -o lowerdir="$d/ocf":/usr/lib/ocf/resource.d /usr/lib/ocf/resource.d || exit 90
        mount -t overlay overlay -o lowerdir="$d/init.d":/etc/init.d /etc/init.d || exit 91
        # crmsh logs every command here; keep the host's log as it was.
        if [ -d /var/log/crmsh ]; then mount -t tmpfs tmpfs /var/log/crmsh || exit 92; fi
        cd "$d"
        status=0
        cibadmin --empty > crm.xml && CIB_file="$d/crm.xml" crm configure load update export.crm \\
            && echo "crm loaded" || status=1
        cibadmin --empty > pcs.xml && sh export.pcs "$d/pcs.xml" && echo "pcs loaded" || status=1
        # A live cluster's CIB is newer than the export's: replace only its configuration section.
        cibadmin --empty > cib.xml && CIB_file="$d/cib.xml" cibadmin --modify --xml-text '<cib epoch="9"/>' \\
            && CIB_file="$d/cib.xml" cibadmin --replace --scope configuration --xml-file export.cib \\
            && echo "cib loaded" || status=1
        cibadmin --empty > crm-ping.xml && CIB_file="$d/crm-ping.xml" crm configure load update export-ping.crm \\
            && echo "crm-ping loaded" || status=1
        cibadmin --empty > pcs-ping.xml && sh export-ping.pcs "$d/pcs-ping.xml" && echo "pcs-ping loaded" || status=1
        for f in crm pcs cib crm-ping pcs-ping; do
            crm_verify --xml-file "$f.xml" -V && echo "$f verified" || status=1
        done
        exit $status
        """

    /// How many times `needle` occurs in `text`.
    static func occurrences(of needle: String, in text: String) -> Int { text.ranges(of: needle).count }

    /// hakit/<agent> → the built hakit-agent, and an LSB stub for each script the export names.
    func installAgents(in directory: String, lsbScripts: [String]) throws {
        try FileSystem.makeDirectories("\(directory)/ocf/hakit")
        for agent in ["IPaddr", "IPaddr2", "SendArp", "apache"] {
            guard symlink(TestSupport.binary("hakit-agent"), "\(directory)/ocf/hakit/\(agent)") == 0 else {
                throw SystemError(errno: errno, "symlink")
            }
        }
        try FileSystem.makeDirectories("\(directory)/init.d")
        for script in lsbScripts {
            try TestSupport.writeScript(
                "\(directory)/init.d/\(script)",
                """
                #!/bin/sh
                ### BEGIN INIT INFO
                # Provides: \(script)
                # Short-Description: stand-in for the export test
                ### END INIT INFO
                case "$1" in start|stop) exit 0 ;; status) exit 3 ;; *) exit 2 ;; esac

                """)
        }
    }

    func lsbTypes(in cib: XMLElement) -> [String] {
        Summary.primitives(of: cib).filter { $0.attribute("class") == "lsb" }.compactMap { $0.attribute("type") }
    }

    /// What a loaded CIB says, without the ids and the order the tools choose themselves.
    struct Summary: Equatable {
        var primitives: [String]
        var groups: [String]
        var locations: [String]
        var options: [String]

        init(_ cib: XMLElement) {
            let configuration = cib.child("configuration")
            primitives = Self.primitives(of: cib).map { primitive in
                let head = ["class", "provider", "type"].map { primitive.attribute($0) ?? "-" }.joined(separator: ":")
                let parameters = (primitive.child("instance_attributes")?.children("nvpair") ?? []).map {
                    "\($0.attribute("name") ?? "")=\($0.attribute("value") ?? "")"
                }
                let operations = (primitive.child("operations")?.children("op") ?? []).map {
                    "\($0.attribute("name") ?? "")/\($0.attribute("interval") ?? "")/\($0.attribute("timeout") ?? "")"
                }
                // pcs writes parameters and operations in its own order.
                return ([primitive.attribute("id") ?? "", head] + parameters.sorted() + operations.sorted())
                    .joined(separator: " ")
            }
            groups = (configuration?.child("resources")?.children("group") ?? []).map { group in
                ([group.attribute("id") ?? ""] + group.children("primitive").map { $0.attribute("id") ?? "" })
                    .joined(separator: " ")
            }
            locations = (configuration?.child("constraints")?.children("rsc_location") ?? []).map { location in
                ["rsc", "node", "score"].map { location.attribute($0) ?? "" }.joined(separator: " ")
            }
            let sets = (configuration?.child("crm_config")?.children("cluster_property_set") ?? [])
                + (configuration?.child("rsc_defaults")?.children("meta_attributes") ?? [])
            options = sets.flatMap { $0.children("nvpair") }.map {
                "\($0.attribute("name") ?? "")=\($0.attribute("value") ?? "")"
            }.sorted()
        }

        static func primitives(of cib: XMLElement) -> [XMLElement] {
            (cib.child("configuration")?.child("resources")?.children("group") ?? []).flatMap { $0.children("primitive") }
        }
    }
}
