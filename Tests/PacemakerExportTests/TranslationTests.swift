import HAKitTestSupport
import Heartbeat
import PacemakerExport
import Testing

/// haresources and ha.cf translated into the Pacemaker model: groups, agents, parameters,
/// location, stickiness, properties, notes.
@Suite struct TranslationTests {
    @Test func seed000BecomesOneGroupPreferringNode1() throws {
        let configuration = try exportConfiguration(
            haCf: SeedFiles.sparksupportHaCf, haresources: SeedFiles.sparksupportHaresources)
        #expect(configuration.groups.count == 1)
        let group = try #require(configuration.groups.first)
        #expect(group.id == "group_IPaddr_201_200_100_5")
        #expect(group.source == "/etc/ha.d/haresources:1")
        #expect(group.members.map(\.id) == ["IPaddr_201_200_100_5", "httpd"])
        #expect(group.members.map(\.agent.description) == ["ocf:hakit:IPaddr", "ocf:hakit:apache"])
        #expect(group.members[0].parameters == [Parameter("ip", "201.200.100.5")])
        #expect(group.members[1].parameters.isEmpty)
        // Without configfile the agent takes the first of these that exists, in this order.
        #expect(
            group.members[1].comments.joined(separator: " ").contains(
                "/etc/apache2/httpd.conf, /etc/apache2/apache2.conf and /etc/httpd/conf/httpd.conf"))
        #expect(group.members[0].operations.last == Operation("monitor", interval: "10s", timeout: "20s"))
        #expect(group.members[1].operations.map(\.timeout) == ["40s", "60s", "20s"])
        let location = try #require(configuration.locations.first)
        #expect(configuration.locations.count == 1)
        #expect(location.id == "location_group_IPaddr_201_200_100_5")
        #expect((location.resource, location.node, location.score) == (group.id, "node1.www.sparksupport.com", 100))
        #expect(configuration.properties.map { "\($0.name)=\($0.value)" } == ["stonith-enabled=false", "no-quorum-policy=ignore"])
        #expect(configuration.resourceDefaults.map { "\($0.name)=\($0.value)" } == ["resource-stickiness=0"])
        #expect(configuration.resourceDefaults[0].comments.joined().contains("auto_failback on (/etc/ha.d/ha.cf:10)"))
        #expect(configuration.pingSuggestion == nil)
        let sources = configuration.notes.compactMap(\.source)
        #expect(sources == ["/etc/ha.d/ha.cf:1", "/etc/ha.d/ha.cf:3", "/etc/ha.d/ha.cf:7", "/etc/ha.d/ha.cf:8", "/etc/ha.d/ha.cf:9"])
        let text = configuration.notes.flatMap(\.lines).joined(separator: "\n")
        #expect(text.contains("totem { token: 30000 }"))
        #expect(text.contains("the peer 192.0.2.1 is that node's ringN_addr"))
        #expect(text.contains("authkeys"))
    }

    @Test func seed002LinesKeepTheirOrderAndForms() throws {
        let groups = try SeedFiles.pawulHaresourcesLines.map { line in
            try onlyGroup(line + "\n", haCf: SeedFiles.pawulHaCf)
        }
        for group in groups {
            #expect(Array(group.members.map(\.agent.description).prefix(3)) == ["ocf:hakit:IPaddr", "ocf:hakit:apache", "lsb:smb"])
            #expect(group.id == "group_IPaddr_192_168_85_3")
        }
        #expect(groups[1].members.map(\.id) == ["IPaddr_192_168_85_3", "httpd", "smb", "maid"])
        let maid = groups[1].members[3]
        #expect(maid.agent.description == "lsb:maid")
        #expect(maid.comments.joined().contains("heartbeat passed \"vacuum\""))
        #expect(groups[2].members[0].parameters == [Parameter("ip", "192.168.85.3")])
        #expect(groups[3].members[0].parameters == [Parameter("ip", "192.168.85.3"), Parameter("cidr_netmask", "27")])
        #expect(
            groups[4].members[0].parameters == [
                Parameter("ip", "192.168.85.3"), Parameter("cidr_netmask", "5"), Parameter("broadcast", "192.168.85.16"),
            ])
        let configuration = try exportConfiguration(haCf: SeedFiles.pawulHaCf, haresources: SeedFiles.pawulHaresourcesLines[0])
        let text = configuration.notes.map { ($0.source ?? "") + " " + $0.lines.joined(separator: " ") }
        #expect(text.contains { $0.hasPrefix("/etc/ha.d/ha.cf:1 serial /dev/ttyS0: corosync has no serial links") })
        #expect(text.contains { $0.hasPrefix("/etc/ha.d/ha.cf:5 watchdog /dev/watchdog: Pacemaker uses a watchdog through sbd") })
        #expect(text.contains { $0.hasPrefix("/etc/ha.d/ha.cf:3 udpport 1001") })
        // auto_failback is not set: heartbeat's legacy mode, which fails back too.
        #expect(configuration.resourceDefaults[0].value == "0")
        #expect(configuration.resourceDefaults[0].comments.joined().contains("legacy (not set)"))
        #expect(configuration.warnings.map(\.message).contains { $0.contains("legacy mode applies") })
    }

    @Test func seed004SerialOnlyClusterExports() throws {
        let configuration = try exportConfiguration(haCf: SeedFiles.clearOSHaCf, haresources: SeedFiles.clearOSHaresources)
        let group = try #require(configuration.groups.first)
        #expect(group.members.map(\.id) == ["IPaddr_192_168_5_3", "bypassd", "smbd", "nmbd", "dnsmasq"])
        #expect(group.members.dropFirst().allSatisfy { $0.agent.standard == "lsb" && $0.agent.provider == nil })
        #expect(configuration.locations.map(\.node) == ["firewall1.domain.lan"])
        #expect(configuration.notes.compactMap(\.source).contains("/etc/ha.d/ha.cf:8"))
    }

    @Test(arguments: [
        ("IPaddr::192.0.2.5/24/eth0/192.0.2.255", "ocf:hakit:IPaddr", "IPaddr_192_0_2_5",
         ["ip=192.0.2.5", "cidr_netmask=24", "nic=eth0", "broadcast=192.0.2.255"]),
        ("IPaddr2::192.0.2.5/24/eth0:web", "ocf:hakit:IPaddr2", "IPaddr2_192_0_2_5",
         ["ip=192.0.2.5", "cidr_netmask=24", "nic=eth0", "iflabel=web", "lvs_support=true"]),
        ("192.0.2.5/24/eth0", "ocf:hakit:IPaddr", "IPaddr_192_0_2_5", ["ip=192.0.2.5", "cidr_netmask=24", "nic=eth0"]),
        ("IPaddr2::2001:db8::10/64/eth0", "ocf:hakit:IPaddr2", "IPaddr2_2001_db8__10",
         ["ip=2001:db8::10", "cidr_netmask=64", "nic=eth0"]),
        ("IPv6addr::2001:db8::10/64", "ocf:hakit:IPv6addr", "IPv6addr_2001_db8__10",
         ["ipv6addr=2001:db8::10", "cidr_netmask=64"]),
        ("SendArp::192.0.2.5/eth0", "ocf:hakit:SendArp", "SendArp_192_0_2_5", ["ip=192.0.2.5", "nic=eth0"]),
        ("SendArp::192.0.2.5::eth0", "ocf:hakit:SendArp", "SendArp_192_0_2_5", ["ip=192.0.2.5", "nic=eth0"]),
        ("apache", "ocf:hakit:apache", "apache", []),
        ("apache::/etc/apache2/apache2.conf", "ocf:hakit:apache", "apache", ["configfile=/etc/apache2/apache2.conf"]),
        ("httpd", "ocf:hakit:apache", "httpd", []),
        ("apache2", "ocf:hakit:apache", "apache2", []),
        ("Filesystem::/dev/sdb1::/srv::ext4", "ocf:heartbeat:Filesystem", "Filesystem",
         ["device=/dev/sdb1", "directory=/srv", "fstype=ext4"]),
        ("IPsrcaddr::192.0.2.5", "ocf:heartbeat:IPsrcaddr", "IPsrcaddr", ["ipaddress=192.0.2.5"]),
        ("MailTo::root::failover", "ocf:heartbeat:MailTo", "MailTo", ["email=root", "subject=failover"]),
        ("drbddisk::r0", "lsb:drbddisk", "drbddisk", []),
        ("3ware", "lsb:3ware", "rsc_3ware", []),
    ])
    func shorthandForms(token: String, agent: String, id: String, parameters: [String]) throws {
        let group = try onlyGroup("alpha \(token)\n")
        let member = try #require(group.members.first)
        #expect(member.agent.description == agent)
        #expect(member.id == id)
        #expect(member.parameters.map { "\($0.name)=\($0.value)" } == parameters)
        #expect(member.comments.first == "haresources: \(token)")
        #expect(group.id == "group_\(id)")
    }

    @Test func idsStayUniqueAcrossGroups() throws {
        let configuration = try exportConfiguration(
            haCf: twoNodeHaCf(), haresources: "alpha 192.0.2.5 smb smb\nbeta 192.0.2.6 smb\nbeta group_smb x+y\n")
        let ids = configuration.groups.flatMap { [$0.id] + $0.members.map(\.id) } + configuration.locations.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(configuration.groups[0].members.map(\.id) == ["IPaddr_192_0_2_5", "smb", "smb_2"])
        #expect(configuration.groups[1].members.map(\.id) == ["IPaddr_192_0_2_6", "smb_3"])
        #expect(configuration.groups[2].members.map(\.id) == ["group_smb", "x_y"])
        #expect(configuration.groups[2].id == "group_group_smb")
        #expect(configuration.locations.map(\.node) == ["alpha", "beta", "beta"])
    }

    @Test(arguments: [("on", "0"), ("off", "200"), ("legacy", "0")])
    func stickinessFollowsAutoFailback(mode: String, stickiness: String) throws {
        let configuration = try exportConfiguration(
            haCf: twoNodeHaCf("auto_failback \(mode)\n"), haresources: "alpha 192.0.2.5\n")
        #expect(configuration.resourceDefaults.map(\.name) == ["resource-stickiness"])
        #expect(configuration.resourceDefaults[0].value == stickiness)
        #expect(configuration.resourceDefaults[0].comments.joined().contains("auto_failback \(mode) (/etc/ha.d/ha.cf:2)"))
    }

    @Test func pingNodesAndIpfailBecomeASuggestedPingClone() throws {
        let configuration = try exportConfiguration(
            haCf: twoNodeHaCf("ping 192.0.2.254\nping_group routers 192.0.2.252 192.0.2.253\nrespawn hacluster /usr/lib/heartbeat/ipfail\nrespawn root /usr/sbin/mydaemon\n"),
            haresources: "alpha 192.0.2.5\nbeta 192.0.2.6\n")
        let ping = try #require(configuration.pingSuggestion)
        #expect(ping.hosts == ["192.0.2.254", "192.0.2.252", "192.0.2.253"])
        #expect(ping.groups == ["group_IPaddr_192_0_2_5", "group_IPaddr_192_0_2_6"])
        let notes = configuration.notes.filter { $0.source?.hasPrefix("/etc/ha.d/ha.cf:") == true }.map { $0.lines.joined() }
        #expect(notes.contains { $0.contains("ipfail's job") })
        #expect(notes.contains { $0.contains("respawn root /usr/sbin/mydaemon: Pacemaker respawns no API clients") })
        #expect(notes.filter { $0.contains("ocf:pacemaker:ping clone") }.count == 2)
    }

    @Test func stonithLinesAreNamedWithoutTheirParameters() throws {
        let configuration = try exportConfiguration(
            haCf: twoNodeHaCf("stonith_host * baytech 10.0.0.3 mylogin mysecretpassword\nstonith rps10 /etc/ha.d/rps10.cfg\n"),
            haresources: "alpha 192.0.2.5\n")
        let stonith = try #require(configuration.properties.first { $0.name == "stonith-enabled" })
        #expect(stonith.value == "false")
        let text = stonith.comments.joined(separator: " ")
        #expect(text.contains("/etc/ha.d/ha.cf:2: stonith_host used cluster-glue's baytech plugin"))
        #expect(text.contains("/etc/ha.d/ha.cf:3: stonith used cluster-glue's rps10 plugin"))
        #expect(!text.contains("mysecretpassword") && !text.contains("mylogin"))
    }

    @Test func moreThanTwoNodesKeepTheDefaultQuorumPolicy() throws {
        let configuration = try exportConfiguration(
            haCf: "bcast eth1\nnode a b c\n", haresources: "a 192.0.2.5\n")
        #expect(configuration.properties.map(\.name) == ["stonith-enabled"])
        #expect(configuration.notes.contains { $0.lines.joined().hasPrefix("3 nodes: no-quorum-policy keeps its default") })
    }
}
