import Heartbeat
import Testing

@Suite("link watch")
struct LinkWatchTests {
    static let groups = [
        ResourceGroup(node: "node1", resources: [HaResource(token: "203.0.113.10/24/svc0", script: "IPaddr", arguments: ["203.0.113.10/24/svc0"], kind: .ipAddr(IPAddressSpec(ip: "203.0.113.10", cidrNetmask: 24, nic: "svc0")))], line: 1),
        ResourceGroup(node: "node2", resources: [HaResource(token: "198.51.100.20", script: "IPaddr", arguments: ["198.51.100.20"], kind: .ipAddr(IPAddressSpec(ip: "198.51.100.20")))], line: 2),
    ]
    static let vip: UInt32 = 0xcb00_710a

    /// A watch that saw the group held (either set) on svc0 while it was up, then the link as given.
    static func watch(carrier: Bool, adminUp: Bool = true) -> LinkWatch {
        var watch = LinkWatch(groups: groups)
        watch.link(index: 3, name: "svc0", adminUp: true, carrier: true)
        watch.address(vip, index: 3, present: true)
        _ = watch.evaluate(situation())
        watch.link(index: 3, name: "svc0", adminUp: adminUp, carrier: carrier)
        return watch
    }

    static func situation(peerAlive: Bool = true, worse: Bool = false, stable: Bool = true, held: Set<String> = ["203.0.113.10/24/svc0"]) -> LinkWatch.Situation {
        LinkWatch.Situation(held: held, local: ["203.0.113.10/24/svc0"], peerAlive: peerAlive, peerWorseOff: worse, stable: stable)
    }

    static func handovers(_ effects: [LinkWatch.Effect]) -> [HoldSet] {
        effects.compactMap { if case .handOver(let set, _) = $0 { set } else { nil } }
    }

    @Test("a held group on a link without carrier goes to a live peer; a link that is up keeps it")
    func handsOver() {
        var up = Self.watch(carrier: true)
        #expect(up.evaluate(Self.situation()).isEmpty)
        var down = Self.watch(carrier: false)
        #expect(down.faults(held: ["203.0.113.10/24/svc0"]).map(\.fault) == ["svc0 (carrying 203.0.113.10) is no carrier"])
        #expect(Self.handovers(down.evaluate(Self.situation())) == [.local])
        var admin = Self.watch(carrier: true, adminUp: false)
        #expect(Self.handovers(admin.evaluate(Self.situation())) == [.local])
        #expect(admin.lastHandover?.contains("administratively down") == true)
    }

    @Test("a group held for the peer is handed over as the foreign set")
    func foreign() {
        var watch = Self.watch(carrier: false)
        let situation = LinkWatch.Situation(held: ["203.0.113.10/24/svc0"], local: [], peerAlive: true, peerWorseOff: false, stable: true)
        #expect(Self.handovers(watch.evaluate(situation)) == [.foreign])
    }

    @Test("no peer alive, or a peer worse off: the group stays, said once")
    func keepsServing() {
        var watch = Self.watch(carrier: false)
        let first = watch.evaluate(Self.situation(peerAlive: false))
        #expect(Self.handovers(first).isEmpty && first.count == 1)
        #expect(watch.evaluate(Self.situation(peerAlive: false)).isEmpty)
        let isolated = LinkWatch.Situation(held: ["203.0.113.10/24/svc0"], local: [], peerAlive: true, mediumUp: false, peerWorseOff: false, stable: true)
        let alone = watch.evaluate(isolated)
        #expect(Self.handovers(alone).isEmpty && alone.count == 1, "the failed link was the only way to the peer")
        let worse = watch.evaluate(Self.situation(worse: true))
        #expect(Self.handovers(worse).isEmpty && worse.count == 1)
    }

    @Test("in transition it waits; groups not held, or whose address left the link, are not its business")
    func waits() {
        var watch = Self.watch(carrier: false)
        #expect(watch.evaluate(Self.situation(stable: false)).isEmpty)
        #expect(watch.evaluate(Self.situation(held: [])).isEmpty)
        watch.address(Self.vip, index: 3, present: false)
        #expect(watch.evaluate(Self.situation()).isEmpty)
        watch.address(Self.vip, index: 3, present: true)
        watch.linkRemoved(index: 3)
        #expect(watch.evaluate(Self.situation()).isEmpty)
    }

    @Test("a group acquired while its link is down is not handed back until that link was up again")
    func acquiredFaulty() {
        var watch = LinkWatch(groups: Self.groups)
        watch.link(index: 3, name: "svc0", adminUp: true, carrier: false)
        watch.address(Self.vip, index: 3, present: true)
        #expect(watch.evaluate(Self.situation(held: [])).isEmpty)
        let acquired = watch.evaluate(Self.situation())
        #expect(Self.handovers(acquired).isEmpty && acquired.count == 1, "the peer gave it up with this link down")
        #expect(Self.handovers(watch.evaluate(Self.situation())).isEmpty)
        watch.link(index: 3, name: "svc0", adminUp: true, carrier: true)
        #expect(watch.evaluate(Self.situation()).isEmpty)
        watch.link(index: 3, name: "svc0", adminUp: true, carrier: false)
        #expect(Self.handovers(watch.evaluate(Self.situation())) == [.local], "a new fault of a link that was up counts")
    }
}
