import HAKitSystem
import HAKitTestSupport
import Testing

/// Failures the peer's silence does not show, on a cluster whose service network is a router's
/// bridge (`HeartbeatCluster.with(router:)`): node1's service link unplugged while the heartbeat
/// link stays up (the link watch), and the router unreachable from node1 only (ping nodes with
/// ipfail's rule). The group must end on node2 only, say why on node1, and come back with
/// auto_failback on once node1 reaches the router again.
@Suite(.serialized) struct PingNodeTests {
    static let group = "203.0.113.10/24/svc0"
    static let address = "203.0.113.10"
    static let timing = "keepalive 100ms\ndeadtime 1\nwarntime 700ms\ninitdead 5"

    func require(_ cluster: HeartbeatCluster, on node: String, _ step: String, timeoutMilliseconds: Int = 20_000) throws -> Int64 {
        let took = cluster.waitUntil(timeoutMilliseconds: timeoutMilliseconds) {
            try cluster.placed(Self.group, address: Self.address, on: node)
        }
        return try #require(took, "\(step): \(Self.address) expected on \(node) only\n\(cluster.diagnostics())")
    }

    @Test func serviceLinkLossHandsTheGroupToThePeer() throws {
        try HeartbeatCluster.with("lw", haresources: "node1 \(Self.group)\n", router: true, prefix: "hkp") { cluster in
            let router = try #require(cluster.router)
            try cluster.start()
            _ = try require(cluster, on: "node1", "start-up")

            // node1's cable out of the switch: its svc0 loses carrier; hb0 stays up.
            let cutAt = MonotonicClock.milliseconds()
            let cutWall = SplitBrainTests.wallMilliseconds()
            try router.ip("link", "set", "dev", "sw1", "down")
            _ = try require(cluster, on: "node2", "after node1's service link lost carrier", timeoutMilliseconds: 10_000)
            print("link watch: \(Self.address) on node2 only, both settled, \(MonotonicClock.milliseconds() - cutAt) ms after node1's svc0 lost carrier (keepalive 100 ms)")
            // The handover starts within one keepalive of the kernel's notification.
            let log = cluster.node1.log
            let event = try #require(SplitBrainTests.stamp(of: "link watch: svc0 is no carrier", in: log, after: 0))
            let handover = try #require(SplitBrainTests.stamp(of: "standby local requested", in: log, after: 0))
            #expect(handover - event <= 100, "handover asked \(handover - event) ms after the carrier loss was seen")
            let acquired = try #require(SplitBrainTests.stamp(of: "acquiring \(Self.group)", in: cluster.node2.log, after: 0))
            print("link watch: carrier cut to notification \(event - cutWall) ms, to handover asked \(handover - cutWall) ms, to node2 acquiring \(acquired - cutWall) ms")
            let status = try cluster.node1.status()
            #expect(status.peer("node2")?.status == "active", "the heartbeat link stayed up")
            let why = try #require(status.lastHandover, "node1's status says why\n\(cluster.diagnostics())")
            #expect(why.contains("svc0") && why.contains("no carrier"), "\(why)")
            #expect(try cluster.node1.control("status").output.contains("link watch"), "status text names the link watch")
            #expect(cluster.node1.log.contains("link watch: svc0 is no carrier"))

            // The cable back: with no ping nodes heartbeat's rules apply, and they move nothing.
            try router.ip("link", "set", "dev", "sw1", "up")
            MonotonicClock.sleep(milliseconds: 1500)
            _ = try require(cluster, on: "node2", "after the carrier came back", timeoutMilliseconds: 0)
        }
    }

    @Test func serviceLinkLossWithNoPeerKeepsServing() throws {
        try HeartbeatCluster.with(
            "lwalone", timing: "keepalive 100ms\ndeadtime 1\nwarntime 700ms\ninitdead 2", haresources: "node1 \(Self.group)\n",
            router: true, prefix: "hkp"
        ) { cluster in
            let router = try #require(cluster.router)
            try cluster.node1.start()
            let held = cluster.waitUntil { try cluster.node1.hasAddress(Self.address) && cluster.node1.status().settled }
            try #require(held != nil, "node1 alone takes its group\n\(cluster.diagnostics())")
            try router.ip("link", "set", "dev", "sw1", "down")
            let logged = cluster.waitUntil(timeoutMilliseconds: 5000) {
                cluster.node1.log.contains("but no peer is alive to take it: keeping it here")
            }
            #expect(logged != nil, "node1 says it keeps serving\n\(cluster.diagnostics())")
            MonotonicClock.sleep(milliseconds: 500)
            #expect(try cluster.node1.hasAddress(Self.address), "the address stays")
            #expect(try cluster.node1.status().owner(of: Self.group) == "node1")
        }
    }

    @Test func unreachableRouterMovesTheGroupsAndTheyComeBack() throws {
        let extra = "ping \(HeartbeatCluster.routerAddress)\ndeadping 1\nrespawn hacluster /usr/lib/heartbeat/ipfail"
        try HeartbeatCluster.with("ipf", extra: extra, haresources: "node1 \(Self.group)\n", router: true, prefix: "hkp") { cluster in
            try cluster.start()
            _ = try require(cluster, on: "node1", "start-up")
            let reaching = cluster.waitUntil {
                try cluster.nodes.allSatisfy { node in
                    let status = try node.status()
                    return status.pingNodes?.map(\.status) == ["ping"] && status.ipfail?.reachable == 1
                }
            }
            try #require(reaching != nil, "both nodes reach the router\n\(cluster.diagnostics())")

            // The router unreachable from node1 only; the service link stays up.
            try cluster.node1.namespace.ip("route", "add", "prohibit", "\(HeartbeatCluster.routerAddress)/32")
            let cutAt = MonotonicClock.milliseconds()
            _ = try require(cluster, on: "node2", "after node1 lost the router")
            print("ipfail: \(Self.address) on node2 only \(MonotonicClock.milliseconds() - cutAt) ms after node1 lost its ping node (deadping 1 s)")
            let status = try cluster.node1.status()
            #expect(status.pingNodes?.map(\.status) == ["dead"])
            #expect(status.ipfail?.peerCount == 1)
            // heartbeat's wording, which admins grep for.
            #expect(cluster.node1.log.contains("Link 203.0.113.254:203.0.113.254 dead."))
            #expect(cluster.node1.log.contains("Status update for node 203.0.113.254: status dead"))
            let why = try #require(status.lastHandover, "node1's status says why\n\(cluster.diagnostics())")
            #expect(why.contains("ipfail"), "\(why)")
            #expect(try cluster.node2.status().ipfail?.peerCount == 0)

            // Reachable again, auto_failback on: the group comes back to node1.
            try cluster.node1.namespace.ip("route", "del", "prohibit", "\(HeartbeatCluster.routerAddress)/32")
            _ = try require(cluster, on: "node1", "after node1 reached the router again")
            #expect(cluster.node2.log.contains("ping node count is balanced"))
        }
    }

    /// Echo replies forged from the router's address to node1 (identifier right, sequence never
    /// asked, or a bad checksum, or other data), sent from the router's namespace for `seconds`.
    static func forgeReplies(from router: TestNamespace, identifier: Int32, seconds: Int) throws -> TestSupport.CommandResult {
        let script = """
            import socket, struct, time, random
            def checksum(b):
                if len(b) % 2: b += b"\\0"
                s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
                while s >> 16: s = (s & 0xffff) + (s >> 16)
                return ~s & 0xffff
            ident = \(identifier) & 0xffff
            payload = b"heartbeat-lite ping"
            sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
            end = time.time() + \(seconds)
            sent = 0
            while time.time() < end:
                seq = random.randint(30000, 60000)
                kind = sent % 3
                data = payload if kind != 2 else b"forged"
                header = struct.pack("!BBHHH", 0, 0, 0, ident, seq)
                total = checksum(header + data)
                if kind == 1: total ^= 0x5a5a
                packet = struct.pack("!BBHHH", 0, 0, total, ident, seq) + data
                sock.sendto(packet, ("203.0.113.1", 0))
                sent += 1
                time.sleep(0.005)
            print(sent)
            """
        return try router.exec(["/usr/bin/python3", "-c", script], timeoutMilliseconds: (seconds + 10) * 1000)
    }

    @Test func forgedRepliesDoNotKeepADeadPingNodeAlive() throws {
        let extra = "ping \(HeartbeatCluster.routerAddress)\ndeadping 1\nrespawn hacluster /usr/lib/heartbeat/ipfail"
        try HeartbeatCluster.with("forge", extra: extra, haresources: "node1 \(Self.group)\n", router: true, prefix: "hkp") { cluster in
            let router = try #require(cluster.router)
            try cluster.start()
            _ = try require(cluster, on: "node1", "start-up")
            let pid = try #require(cluster.node1.pid)
            try cluster.node1.namespace.ip("route", "add", "prohibit", "\(HeartbeatCluster.routerAddress)/32")
            let forged = try Self.forgeReplies(from: router, identifier: pid, seconds: 3)
            try #require(forged.status == 0, "forging replies: \(forged.errorOutput)")
            _ = try require(cluster, on: "node2", "node1 lost the router, forged replies or not")
            let status = try cluster.node1.status()
            #expect(status.pingNodes?.map(\.status) == ["dead"])
            let unexpected = status.pingPackets?["unexpected"] ?? 0
            #expect(unexpected > 0, "the forged replies reached node1 and were refused (\(forged.output) sent)\n\(cluster.diagnostics())")
            print("ping: \(forged.output.trimmingCharacters(in: .whitespacesAndNewlines)) forged replies sent, \(unexpected) counted unexpected, ping node dead")
        }
    }

    @Test func routerDownForBothMovesNothing() throws {
        let extra = "ping \(HeartbeatCluster.routerAddress)\ndeadping 1\nrespawn hacluster /usr/lib/heartbeat/ipfail"
        try HeartbeatCluster.with("both", extra: extra, haresources: "node1 \(Self.group)\n", router: true, prefix: "hkp") { cluster in
            let router = try #require(cluster.router)
            try cluster.start()
            _ = try require(cluster, on: "node1", "start-up")
            try router.ip("addr", "del", "\(HeartbeatCluster.routerAddress)/24", "dev", "br0")
            let bothDead = cluster.waitUntil {
                try cluster.nodes.allSatisfy { try $0.status().pingNodes?.map(\.status) == ["dead"] }
            }
            try #require(bothDead != nil, "both nodes lose the router\n\(cluster.diagnostics())")
            let end = MonotonicClock.milliseconds() + 3000
            while MonotonicClock.milliseconds() < end {
                #expect(try cluster.holders(of: Self.address) == ["node1"], "equal counts move nothing\n\(cluster.diagnostics())")
                MonotonicClock.sleep(milliseconds: 100)
            }
            _ = try require(cluster, on: "node1", "3 s after both lost the router", timeoutMilliseconds: 0)
        }
    }

    @Test func withoutIpfailPingNodesAreOnlyShown() throws {
        try HeartbeatCluster.with(
            "show", extra: "ping \(HeartbeatCluster.routerAddress)\ndeadping 1", haresources: "node1 \(Self.group)\n", router: true,
            prefix: "hkp"
        ) { cluster in
            try cluster.start()
            _ = try require(cluster, on: "node1", "start-up")
            #expect(cluster.node1.log.contains("tracked and shown only: ha.cf does not respawn ipfail"))
            try cluster.node1.namespace.ip("route", "add", "prohibit", "\(HeartbeatCluster.routerAddress)/32")
            let dead = cluster.waitUntil { try cluster.node1.status().pingNodes?.map(\.status) == ["dead"] }
            try #require(dead != nil, "node1 sees its ping node dead\n\(cluster.diagnostics())")
            #expect(try cluster.node2.status().pingNodes?.map(\.status) == ["ping"])
            MonotonicClock.sleep(milliseconds: 1000)
            _ = try require(cluster, on: "node1", "a second after, without ipfail", timeoutMilliseconds: 0)
            #expect(try cluster.node1.status().ipfail == nil)
        }
    }

    /// node1 cut off entirely: heartbeat link down and service cable out. Nobody can be asked to
    /// take the group, so node1 says so and keeps it (node2 takes it too after deadtime: without
    /// STONITH that is heartbeat's split brain, healed when the links return).
    @Test func everyMediumAndTheServiceLinkLostKeepsServing() throws {
        try HeartbeatCluster.with("iso", haresources: "node1 \(Self.group)\n", router: true, prefix: "hkp") { cluster in
            let router = try #require(cluster.router)
            try cluster.start()
            _ = try require(cluster, on: "node1", "start-up")
            try cluster.node1.namespace.ip("link", "set", "dev", "hb0", "down")
            try router.ip("link", "set", "dev", "sw1", "down")
            let logged = cluster.waitUntil(timeoutMilliseconds: 5000) {
                cluster.node1.log.contains("every heartbeat medium is down, so the peer cannot be asked to take it: keeping it here")
                    || cluster.node1.log.contains("but no peer is alive to take it: keeping it here")
            }
            #expect(logged != nil, "node1 says why it keeps the group\n\(cluster.diagnostics())")
            MonotonicClock.sleep(milliseconds: 1500)
            #expect(try cluster.node1.hasAddress(Self.address), "node1 keeps serving")
            #expect(try cluster.node1.status().owner(of: Self.group) == "node1")
            #expect(!cluster.node1.log.contains("standby local requested"), "no handover was asked of a peer nobody can reach")
        }
    }

    /// The switch loses both nodes' cables: node1 hands its group over once, and node2, which
    /// took it with its own cable already out, keeps it: no passing to and fro.
    @Test func bothServiceLinksDownMovesTheGroupOnceOnly() throws {
        try HeartbeatCluster.with("lwboth", haresources: "node1 \(Self.group)\n", router: true, prefix: "hkp") { cluster in
            let router = try #require(cluster.router)
            try cluster.start()
            _ = try require(cluster, on: "node1", "start-up")
            try router.ip("link", "set", "dev", "sw2", "down")
            try router.ip("link", "set", "dev", "sw1", "down")
            _ = try require(cluster, on: "node2", "after both cables were pulled")
            MonotonicClock.sleep(milliseconds: 2000)
            _ = try require(cluster, on: "node2", "2 s later", timeoutMilliseconds: 0)
            #expect(cluster.node1.log.components(separatedBy: "standby local requested").count == 2, "one handover\n\(cluster.diagnostics())")
            #expect(!cluster.node2.log.contains("standby foreign requested"), "node2 does not hand it back")
            #expect(cluster.node2.log.contains("was acquired while svc0"), "node2 says why it keeps it")
        }
    }
}
