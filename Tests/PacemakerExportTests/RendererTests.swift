import HAKitTestSupport
import Heartbeat
import OCF
import PacemakerExport
import Testing

/// The three renderings of one model: crmsh statements, pcs commands, CIB XML.
@Suite struct RendererTests {
    static func seed000() throws -> PacemakerConfiguration {
        try exportConfiguration(haCf: SeedFiles.sparksupportHaCf, haresources: SeedFiles.sparksupportHaresources)
    }

    /// A configuration with every kind of element: ping suggestion, quoting, two groups.
    static func rich() throws -> PacemakerConfiguration {
        try exportConfiguration(
            haCf: twoNodeHaCf("auto_failback off\nping 192.0.2.254\n"),
            haresources: "alpha 192.0.2.5 MailTo::root::it's&down smb\nbeta IPaddr2::192.0.2.6/24/eth0:web\n")
    }

    /// Lines that are not comments.
    static func statements(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
    }

    /// Each header's load command as the user copies it: on one line, and in the CIB's XML
    /// comment with short options (an XML comment turns "--" into "- -").
    @Test func headersGiveLoadCommandsThatCanBeCopied() throws {
        let configuration = try Self.seed000()
        let crm = CrmshRenderer.render(configuration)
        #expect(crm.contains("\n# Load it into the cluster with: crm configure load update FILE\n"), "\(crm)")
        let pcs = PcsRenderer.render(configuration)
        #expect(pcs.contains("\n# Apply it to the running cluster with: sh FILE (the commands change a copy"), "\(pcs)")
        #expect(pcs.contains("\n# To check it first: sh FILE CIB.xml changes only the CIB file CIB.xml"), "\(pcs)")
        let cib = CIBRenderer.render(configuration)
        #expect(cib.contains("\n  Check it with: crm_verify -x FILE\n"), "\(cib)")
        #expect(cib.contains("\n  Load it into a new cluster with: cibadmin -R -o configuration -x FILE\n"), "\(cib)")
        let header = try #require(cib.split(separator: "-->").first)
        #expect(!header.contains("FILE -") && !header.contains("- -xml-file"), "\(header)")
    }

    @Test func crmshForSeed000() throws {
        let text = CrmshRenderer.render(try Self.seed000())
        #expect(text.hasPrefix("# Pacemaker configuration (crmsh) exported by heartbeat-lite from /etc/ha.d/ha.cf and\n"))
        #expect(
            text.contains(
                """
                primitive IPaddr_201_200_100_5 ocf:hakit:IPaddr \\
                \tparams ip=201.200.100.5 \\
                \top start timeout=20s interval=0s \\
                \top stop timeout=20s interval=0s \\
                \top monitor interval=10s timeout=20s

                """))
        #expect(text.contains("\nprimitive httpd ocf:hakit:apache \\\n\top start timeout=40s interval=0s \\\n"))
        #expect(text.contains("\ngroup group_IPaddr_201_200_100_5 IPaddr_201_200_100_5 httpd\n"))
        #expect(
            text.contains(
                "\nlocation location_group_IPaddr_201_200_100_5 group_IPaddr_201_200_100_5 100: node1.www.sparksupport.com\n"))
        #expect(text.contains("\nproperty cib-bootstrap-options: \\\n\tstonith-enabled=false \\\n\tno-quorum-policy=ignore\n"))
        #expect(text.hasSuffix("\nrsc_defaults rsc-options: \\\n\tresource-stickiness=0\n"))
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 120 || !$0.hasPrefix("#") })
    }

    @Test func crmshQuotesAndCommentsOutThePingClone() throws {
        let text = CrmshRenderer.render(try Self.rich())
        #expect(text.contains("\tparams email=root subject=\"it's&down\" \\\n"))
        #expect(text.contains("\n#primitive ping ocf:pacemaker:ping params host_list=192.0.2.254 multiplier=1000"))
        #expect(text.contains("\n#clone ping-clone ping\n"))
        #expect(text.contains("\n#location group_IPaddr_192_0_2_5-on-ping group_IPaddr_192_0_2_5 rule -inf: not_defined pingd or pingd lte 0\n"))
        #expect(text.hasSuffix("\tresource-stickiness=200\n"))
        #expect(!Self.statements(text).contains { $0.contains("ping") })
    }

    @Test func pcsForSeed000() throws {
        let text = PcsRenderer.render(try Self.seed000())
        #expect(text.hasPrefix("#!/bin/sh\n# Pacemaker configuration (pcs) exported by heartbeat-lite"))
        let commands = Self.statements(text).filter { $0.hasPrefix("pcs -f \"$cib\" ") }
        #expect(
            commands == [
                "pcs -f \"$cib\" resource create IPaddr_201_200_100_5 ocf:hakit:IPaddr ip=201.200.100.5 "
                    + "op start interval=0s timeout=20s op stop interval=0s timeout=20s "
                    + "op monitor interval=10s timeout=20s --group group_IPaddr_201_200_100_5 --no-default-ops",
                "pcs -f \"$cib\" resource create httpd ocf:hakit:apache op start interval=0s timeout=40s "
                    + "op stop interval=0s timeout=60s op monitor interval=10s timeout=20s "
                    + "--group group_IPaddr_201_200_100_5 --no-default-ops",
                "pcs -f \"$cib\" constraint location group_IPaddr_201_200_100_5 prefers node1.www.sparksupport.com=100",
                "pcs -f \"$cib\" property set stonith-enabled=false",
                "pcs -f \"$cib\" property set no-quorum-policy=ignore",
                "pcs -f \"$cib\" resource defaults update resource-stickiness=0",
            ])
        #expect(text.contains("\n    pcs cluster cib \"$cib\"\n"))
        #expect(text.hasSuffix("\nif [ $# -eq 0 ]; then\n    pcs cluster cib-push \"$cib\" diff-against=\"$orig\"\nfi\n"))
    }

    @Test func pcsQuotesForTheShell() throws {
        let text = PcsRenderer.render(try Self.rich())
        #expect(text.contains(" email=root 'subject=it'\\''s&down' op start"))
        #expect(text.contains(" iflabel=web lvs_support=true op start"))
        #expect(text.contains("\n#pcs -f \"$cib\" resource create ping ocf:pacemaker:ping host_list=192.0.2.254 "))
        #expect(text.contains("resource defaults update resource-stickiness=200\n"))
    }

    @Test func cibIsWellFormedAndHoldsTheModel() throws {
        let configuration = try Self.rich()
        let text = CIBRenderer.render(configuration)
        let cib = try parseXML(text)
        #expect(cib.name == "cib")
        #expect(cib.attribute("validate-with") == "pacemaker-3.0")
        let setup = try #require(cib.child("configuration"))
        let properties = try #require(setup.child("crm_config")?.child("cluster_property_set"))
        #expect(properties.children("nvpair").map { $0.attribute("name") ?? "" } == ["stonith-enabled", "no-quorum-policy"])
        let groups = try #require(setup.child("resources")).children("group")
        #expect(groups.map { $0.attribute("id") ?? "" } == configuration.groups.map(\.id))
        let mail = try #require(groups.first?.children("primitive").dropFirst().first)
        #expect(mail.attribute("class") == "ocf" && mail.attribute("provider") == "heartbeat" && mail.attribute("type") == "MailTo")
        let subject = mail.child("instance_attributes")?.children("nvpair").last
        #expect(subject?.attribute("value") == "it's&down")
        #expect(subject?.attribute("id") == "MailTo-instance_attributes-subject")
        let smb = try #require(groups.first?.children("primitive").last)
        #expect(smb.attribute("class") == "lsb" && smb.attribute("provider") == nil)
        #expect(smb.child("operations")?.children("op").map { $0.attribute("id") ?? "" } == ["smb-start-0s", "smb-stop-0s", "smb-monitor-30s"])
        let locations = try #require(setup.child("constraints")).children("rsc_location")
        #expect(locations.map { "\($0.attribute("rsc") ?? "") \($0.attribute("node") ?? "") \($0.attribute("score") ?? "")" }
            == ["group_IPaddr_192_0_2_5 alpha 100", "group_IPaddr2_192_0_2_6 beta 100"])
        #expect(setup.child("rsc_defaults")?.child("meta_attributes")?.child("nvpair")?.attribute("value") == "200")
        // The ping clone is a suggestion: inside a comment, not an element.
        #expect(text.contains("<clone id=\"ping-clone\">"))
        #expect(setup.child("resources")?.child("clone") == nil)
        #expect(cib.child("status") != nil)
    }

    @Test func cibCommentsNeverHoldDoubleDashes() throws {
        let configuration = try exportConfiguration(haCf: twoNodeHaCf(), haresources: "alpha my--script\n")
        let text = CIBRenderer.render(configuration)
        _ = try parseXML(text)
        #expect(text.contains("haresources: my- -script"))
    }

    @Test func commentsAreWrapped() throws {
        for text in [CrmshRenderer.render(try Self.seed000()), PcsRenderer.render(try Self.seed000())] {
            for line in text.split(separator: "\n") where line.hasPrefix("#") {
                #expect(line.count <= 100, "\(line)")
            }
        }
    }
}
