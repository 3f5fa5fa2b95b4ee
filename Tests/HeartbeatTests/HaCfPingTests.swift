import Heartbeat
import Testing

@Suite("ha.cf ping nodes, deadping and ipfail")
struct HaCfPingTests {
    static let base = "bcast eth1\nkeepalive 1\ndeadtime 10\nnode alpha\nnode beta\nauto_failback on\n"

    func parse(_ extra: String) throws(ConfigErrors) -> HaCf {
        try HaCf.parse(Self.base + extra, path: "ha.cf", localNode: "alpha")
    }

    func errors(_ extra: String) -> ConfigErrors? {
        do {
            _ = try parse(extra)
            return nil
        } catch {
            return error
        }
    }

    @Test("ping words are ping nodes each; a ping_group is one; deadping defaults to deadtime")
    func targets() throws {
        let cf = try parse("ping 192.0.2.254 192.0.2.253\nping_group Routers 198.51.100.252 198.51.100.253\n")
        #expect(cf.pingTargets.map(\.description) == [
            "ping 192.0.2.254", "ping 192.0.2.253", "ping_group routers 198.51.100.252 198.51.100.253",
        ])
        #expect(cf.pingNodes == ["192.0.2.254", "192.0.2.253"])
        #expect(cf.deadpingMs == 10_000)
        #expect(!cf.runsIpfail)
        #expect(cf.warnings.isEmpty)
        #expect(try parse("deadping 5\n").deadpingMs == 5000)
    }

    @Test("deadping must be more than twice keepalive, as heartbeat checks it")
    func deadpingTooSmall() {
        #expect(errors("deadping 2\n")?.description == "ha.cf:7: deadping 2000ms must be more than twice keepalive 1000ms")
        #expect(errors("deadping soon\n")?.codes == [.invalidTime])
    }

    @Test("respawn of ipfail turns its rule on; other respawn lines are ignored with the reason")
    func respawn() throws {
        #expect(try parse("ping 192.0.2.254\nrespawn hacluster /usr/lib/heartbeat/ipfail\n").runsIpfail)
        #expect(try parse("ping 192.0.2.254\nrespawn hacluster /usr/libexec/heartbeat/ipfail\n").runsIpfail)
        let other = try parse("respawn root /usr/sbin/mydaemon\n")
        #expect(!other.runsIpfail)
        #expect(other.warnings.map(\.description) == [
            "ha.cf:7: respawn /usr/sbin/mydaemon is accepted and ignored: heartbeat-lite runs no heartbeat API clients (it applies ipfail's rule itself)",
        ])
        #expect(errors("respawn hacluster\n")?.codes == [.missingValue])
        let lonely = try parse("respawn hacluster /usr/lib/heartbeat/ipfail\n")
        #expect(lonely.warnings.map(\.description).contains { $0.contains("ipfail without ping or ping_group lines") })
    }

    @Test("ipfail with auto_failback legacy is refused: heartbeat's ipfail exits at start")
    func ipfailLegacy() {
        let text = "bcast eth1\nnode alpha\nnode beta\nping 192.0.2.254\nrespawn hacluster /usr/lib/heartbeat/ipfail\n"
        #expect(throws: ConfigErrors.self) { try HaCf.parse(text, localNode: "alpha") }
    }

    @Test("host names, bad addresses, a group without addresses and a node's name are refused")
    func refused() {
        #expect(errors("ping router.example.com\n")?.codes == [.invalidValue])
        #expect(errors("ping 192.0.2.300\n")?.codes == [.invalidValue])
        #expect(errors("ping_group routers\n")?.codes == [.missingValue])
        #expect(errors("ping_group beta 192.0.2.254\n")?.codes == [.invalidValue])
    }
}
