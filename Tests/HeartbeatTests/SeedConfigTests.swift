import Heartbeat
import HAKitTestSupport
import Testing

/// The ha.cf, haresources and authkeys files from the tutorials in shared/seeds, as their readers
/// would have typed them (only addresses and interface names adapted where noted).
@Suite("seed tutorial configurations")
struct SeedConfigTests {
    /// Seed 000 (sparksupport), with its trailing comments.
    static let sparksupportHaCf = SeedFiles.sparksupportHaCf

    @Test("seed 000 ha.cf parses with its trailing comments")
    func sparksupport() throws {
        let cf = try HaCf.parse(Self.sparksupportHaCf, path: "/etc/ha.d/ha.cf", localNode: "node1.www.sparksupport.com")
        #expect(cf.logfile == "/var/log/ha-log")
        #expect(cf.logFacility == "local0")
        #expect(cf.keepaliveMs == 2000)
        #expect(cf.deadtimeMs == 30000)
        #expect(cf.warntimeMs == 10000)
        #expect(cf.initdeadMs == 120_000)
        #expect(cf.udpPort == 694)
        #expect(
            cf.media == [
                .broadcast(interface: "eth1", port: 694),
                .unicast(interface: "eth1", peer: "192.0.2.1", port: 694),
            ]
        )
        #expect(cf.autoFailback == .on)
        #expect(cf.nodes == ["node1.www.sparksupport.com", "node2.www.sparksupport.com"])
        #expect(cf.peers == ["node2.www.sparksupport.com"])
        #expect(cf.useLogd == false)
        #expect(cf.warnings.isEmpty)
        // node2 uses the same file with its own ucast peer.
        let node2 = try HaCf.parse(
            Self.sparksupportHaCf.replacing("192.0.2.1", with: "192.0.2.2"),
            localNode: "node2.www.sparksupport.com"
        )
        #expect(node2.media[1] == .unicast(interface: "eth1", peer: "192.0.2.2", port: 694))
    }

    @Test("seed 000 haresources and authkeys")
    func sparksupportResourcesAndKeys() throws {
        let resources = try HaResources.parse(
            SeedFiles.sparksupportHaresources,
            nodes: ["node1.www.sparksupport.com", "node2.www.sparksupport.com"]
        )
        #expect(resources.groups.map(\.key) == ["201.200.100.5"])
        let keys = try AuthKeys.parse("auth 1\n1 crc\n")
        #expect(keys.active == AuthKey(index: 1, method: .crc))
        #expect(keys.warnings.count == 1)
        #expect(keys.warnings[0].message.contains("authenticates nothing"))
    }

    /// Seed 001 (Linode), one directive per line as the file holds them (the page flattened them).
    static let linodeHaCf = """
        logfile /var/log/heartbeat.log
        logfacility local0
        keepalive 2
        deadtime 15
        warntime 5
        initdead 120
        udpport 694
        ucast eth0 192.0.2.2
        auto_failback on
        node ha1
        node ha2
        use_logd no
        crm respawn
        """

    @Test("seed 001 ha.cf is a Pacemaker cluster: refused with a clear error at the crm line")
    func linode() throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in
                try HaCf.parse(Self.linodeHaCf, path: "/etc/ha.d/ha.cf", localNode: "ha1")
            }
        )
        #expect(errors.codes == [.crmCluster])
        #expect(
            errors.description.hasPrefix("/etc/ha.d/ha.cf:13: crm respawn: this ha.cf is for a CRM/Pacemaker cluster")
        )
    }

    @Test("seed 001 ha.cf without its crm line parses; its authkeys too")
    func linodeWithoutCRM() throws {
        let text = Self.linodeHaCf.replacing("\ncrm respawn", with: "")
        let cf = try HaCf.parse(text, localNode: "ha1")
        #expect((cf.keepaliveMs, cf.deadtimeMs, cf.warntimeMs, cf.initdeadMs) == (2000, 15000, 5000, 120_000))
        #expect(cf.media == [.unicast(interface: "eth0", peer: "192.0.2.2", port: 694)])
        #expect(cf.nodes == ["ha1", "ha2"])
        #expect(cf.useLogd == false)

        let keys = try AuthKeys.parse("auth 1\n1 sha1 CHANGEME\n")
        #expect(keys.active == AuthKey(index: 1, method: .sha1, secret: "CHANGEME"))
        #expect(keys.warnings.isEmpty)
    }

    /// Seed 004 (ClearOS).
    static let clearOSHaCf = SeedFiles.clearOSHaCf

    @Test("seed 004 ha.cf uses a serial cable at 19200 baud: parses (baud after serial only warns)")
    func clearOS() throws {
        let cf = try HaCf.parse(Self.clearOSHaCf, localNode: "firewall1.domain.lan")
        #expect(cf.media == [.serial(device: "/dev/ttyS0", baud: 19200)])
        #expect(cf.warnings.map(\.line).contains(9))
    }

    @Test("seed 004 ha.cf with an Ethernet link instead of the serial cable parses")
    func clearOSOverEthernet() throws {
        let text = Self.clearOSHaCf.replacing("serial /dev/ttyS0\nbaud 19200", with: "bcast eth1")
        let cf = try HaCf.parse(text, localNode: "firewall2.domain.lan")
        #expect((cf.keepaliveMs, cf.deadtimeMs, cf.warntimeMs, cf.initdeadMs) == (2000, 10000, 5000, 15000))
        #expect(cf.media == [.broadcast(interface: "eth1", port: 694)])
        #expect(cf.useLogd)
        #expect(cf.warnings.isEmpty)
    }

    @Test("seed 004 authkeys, typed and generated")
    func clearOSKeys() throws {
        let typed = try AuthKeys.parse("auth 1\n1 sha1 0123456789abcdef0123456789abcdef\n")
        #expect(typed.active == AuthKey(index: 1, method: .sha1, secret: "0123456789abcdef0123456789abcdef"))
        let generated = try AuthKeys.parse(
            "# Automatically generated authkeys file\nauth 1\n1 sha1 9a0364b9e99bb480dd25e1f0284c8555\n"
        )
        #expect(generated.active.secret == Array("9a0364b9e99bb480dd25e1f0284c8555".utf8))
    }
}
