import HAKitTestSupport
import Heartbeat
import Testing

@Suite("ICMP echo codec and ping node tracking")
struct ICMPEchoTests {
    /// An IPv4 header (no options) from `source` to 192.0.2.1 around `icmp`.
    static func datagram(_ icmp: [UInt8], source: [UInt8] = [203, 0, 113, 254], fragment: UInt16 = 0x4000) -> [UInt8] {
        let total = 20 + icmp.count
        var header: [UInt8] = [0x45, 0, UInt8(total >> 8), UInt8(total & 0xff), 0x12, 0x34, UInt8(fragment >> 8), UInt8(fragment & 0xff), 64, 1, 0, 0]
        header += source + [192, 0, 2, 1]
        return header + icmp
    }

    /// The reply a host sends to `request`: type 0, checksum fixed up (as the kernel does).
    static func reply(to request: [UInt8]) -> [UInt8] {
        var bytes = request
        bytes[0] = 0
        bytes[2] = 0
        bytes[3] = 0
        let sum = ICMPEcho.checksum(bytes)
        bytes[2] = UInt8(sum >> 8)
        bytes[3] = UInt8(sum & 0xff)
        return bytes
    }

    @Test("RFC 1071's worked example, and a request that checks to zero")
    func checksum() {
        // RFC 1071 §3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2; the checksum is its complement.
        #expect(ICMPEcho.checksum([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]) == 0x220d)
        // An odd length pads the last byte with zero.
        #expect(ICMPEcho.checksum([0x01]) == ~UInt16(0x0100))
        let request = ICMPEcho.request(identifier: 0x1234, sequence: 7, payload: Array("abc".utf8))
        #expect(Array(request.prefix(8)) == [8, 0, request[2], request[3], 0x12, 0x34, 0x00, 0x07])
        #expect(ICMPEcho.checksum(request) == 0)
    }

    @Test("a reply decodes to its source, identifier, sequence and payload")
    func decodesReply() throws {
        let request = ICMPEcho.request(identifier: 0xbeef, sequence: 0x0102, payload: [1, 2, 3])
        let reply = try #require(ICMPEcho.reply(from: Self.datagram(Self.reply(to: request))))
        #expect(reply == ICMPEcho.Reply(source: 0xcb00_71fe, identifier: 0xbeef, sequence: 0x0102, payload: [1, 2, 3]))
    }

    @Test("requests, bad checksums, fragments, short and lying datagrams are refused")
    func refusesMalformed() {
        let request = ICMPEcho.request(identifier: 1, sequence: 1, payload: [9, 9])
        let good = Self.datagram(Self.reply(to: request))
        #expect(ICMPEcho.reply(from: good) != nil)
        #expect(ICMPEcho.reply(from: Self.datagram(request)) == nil)  // an echo request, not a reply
        var corrupt = good
        corrupt[good.count - 1] ^= 0xff
        #expect(ICMPEcho.reply(from: corrupt) == nil)
        #expect(ICMPEcho.reply(from: Self.datagram(Self.reply(to: request), fragment: 0x2000)) == nil)
        #expect(ICMPEcho.reply(from: Array(good.prefix(27))) == nil)
        var lying = good
        lying[3] = 0xff  // total length beyond the datagram
        #expect(ICMPEcho.reply(from: lying) == nil)
        var shortHeader = good
        shortHeader[0] = 0x44  // IHL 4 words
        #expect(ICMPEcho.reply(from: shortHeader) == nil)
        var version6 = good
        version6[0] = 0x65
        #expect(ICMPEcho.reply(from: version6) == nil)
        #expect(ICMPEcho.reply(from: []) == nil)
    }

    @Test("random datagrams never trap and are almost never replies")
    func randomBytes() {
        var random = SeededGenerator(seed: 0x5049_4E47_4543_484F)
        var tracker = PingTracker(
            targets: [PingTarget(name: "203.0.113.254", addresses: ["203.0.113.254"], kind: .node, line: 1)],
            deadpingMs: 3000, identifier: 7, now: 0)
        _ = tracker.probes(now: 0)
        for round in 0..<5000 {
            let length = Int.random(in: 0...120, using: &random)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            if round % 2 == 0, bytes.count > 20 { bytes[0] = 0x45 }
            _ = ICMPEcho.reply(from: bytes)
            if case .accepted = tracker.receive(bytes, now: 1) { Issue.record("random bytes accepted as a reply") }
        }
    }

    static let router = PingTarget(name: "203.0.113.254", addresses: ["203.0.113.254"], kind: .node, line: 1)
    static let group = PingTarget(name: "routers", addresses: ["198.51.100.252", "198.51.100.253"], kind: .group, line: 2)

    @Test("a ping node is 'ping' from its first reply and dead after deadping without one")
    func upAndDead() throws {
        var tracker = PingTracker(targets: [Self.router], deadpingMs: 3000, identifier: 42, now: 0)
        #expect(tracker.nodes.map(\.status) == [.initial])
        let probe = try #require(tracker.probes(now: 0).first)
        #expect(probe.address == 0xcb00_71fe)
        let verdict = tracker.receive(Self.datagram(Self.reply(to: probe.bytes)), now: 5)
        #expect(verdict == .accepted([PingTracker.Change(node: "203.0.113.254", status: .up, address: "203.0.113.254")]))
        #expect(tracker.reachable == 1)
        // The same reply again: no request outstanding any more.
        #expect(tracker.receive(Self.datagram(Self.reply(to: probe.bytes)), now: 6) == .unexpected)
        #expect(tracker.tick(now: 3005).isEmpty)
        #expect(tracker.tick(now: 3006) == [PingTracker.Change(node: "203.0.113.254", status: .dead)])
        #expect(tracker.reachable == 0)
        #expect(tracker.tick(now: 9000).isEmpty)
    }

    @Test("a never-answering ping node is dead deadping after the start")
    func neverAnswers() {
        var tracker = PingTracker(targets: [Self.router], deadpingMs: 3000, identifier: 42, now: 1000)
        #expect(tracker.tick(now: 4000).isEmpty)
        #expect(tracker.tick(now: 4001).map(\.status) == [.dead])
    }

    @Test("replies from another address, with another identifier or an unknown sequence do not count")
    func validation() throws {
        var tracker = PingTracker(targets: [Self.router], deadpingMs: 3000, identifier: 42, now: 0)
        let probe = try #require(tracker.probes(now: 0).first)
        let reply = Self.reply(to: probe.bytes)
        #expect(tracker.receive(Self.datagram(reply, source: [203, 0, 113, 253]), now: 1) == .unexpected)
        let stranger = Self.reply(to: ICMPEcho.request(identifier: 43, sequence: 0, payload: PingTracker.payload))
        #expect(tracker.receive(Self.datagram(stranger), now: 1) == .notOurs)
        let unknown = Self.reply(to: ICMPEcho.request(identifier: 42, sequence: 999, payload: PingTracker.payload))
        #expect(tracker.receive(Self.datagram(unknown), now: 1) == .unexpected)
        let otherPayload = Self.reply(to: ICMPEcho.request(identifier: 42, sequence: 0, payload: [1]))
        #expect(tracker.receive(Self.datagram(otherPayload), now: 1) == .unexpected)
        #expect(tracker.reachable == 0)
        // A reply later than deadping is forgotten with its request.
        _ = tracker.tick(now: 3500)
        #expect(tracker.receive(Self.datagram(reply), now: 3500) == .unexpected)
    }

    @Test("a ping group is up while any member answers")
    func group() throws {
        var tracker = PingTracker(targets: [Self.group], deadpingMs: 3000, identifier: 42, now: 0)
        let probes = tracker.probes(now: 0)
        #expect(probes.map(\.address) == [0xc633_64fc, 0xc633_64fd])
        let second = try #require(probes.last)
        let verdict = tracker.receive(Self.datagram(Self.reply(to: second.bytes), source: [198, 51, 100, 253]), now: 2)
        #expect(verdict == .accepted([PingTracker.Change(node: "routers", status: .up, address: "198.51.100.253")]))
        #expect(tracker.reachable == 1)
    }
}
