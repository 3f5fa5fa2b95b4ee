import Agents
import Netlink
import Testing

/// The pure parts of IPv6 floating addresses: the DAD decision table and the neighbour
/// advertisement's bytes (RFC 4861 §4.4).
@Suite struct IPv6AnnouncementTests {
    static let address = IPv6Address("2001:db8::10")!

    static func entry(_ flags: AddressFlags) -> IPv6AddressEntry {
        IPv6AddressEntry(interfaceIndex: 2, address: address, prefixLength: 64, flags: flags)
    }

    @Test func dadDecisions() {
        let detection = DuplicateAddressDetection(address: Self.address, interfaceName: "eth0", limitMilliseconds: 10_000)
        #expect(detection.decide(Self.entry([.permanent, .tentative]), waitedMilliseconds: 0) == .wait)
        #expect(detection.decide(Self.entry([.permanent, .tentative]), waitedMilliseconds: 9_999) == .wait)
        #expect(detection.decide(Self.entry([.permanent]), waitedMilliseconds: 1_200) == .usable)
        #expect(detection.decide(Self.entry([.permanent, .noDAD]), waitedMilliseconds: 0) == .usable)
        // The kernel leaves a dadfailed address tentative too: the failure decides.
        #expect(
            detection.decide(Self.entry([.permanent, .tentative, .dadFailed]), waitedMilliseconds: 1_000)
                == .collision("IPv6 address collision 2001:db8::10 on eth0 [DAD]: another node on the link uses it"))
        #expect(
            detection.decide(nil, waitedMilliseconds: 500)
                == .vanished("2001:db8::10 vanished from eth0 during duplicate address detection"))
        guard case .timedOut(let reason) = detection.decide(Self.entry([.tentative]), waitedMilliseconds: 10_000) else {
            Issue.record("a wait that ran out is a failure")
            return
        }
        #expect(reason.contains("still tentative after 10 s"))
    }

    @Test func advertisementBytes() {
        let mac: [UInt8] = [0x02, 0x11, 0x22, 0x33, 0x44, 0x55]
        let message = NeighborAdvertisement(target: Self.address, hardware: mac).bytes
        #expect(
            message
                == [136, 0, 0, 0, 0x20, 0, 0, 0] + Self.address.bytes + [2, 1] + mac,
            "type 136, code 0, checksum left to the kernel, override only, target, target link-layer option")
        #expect(NeighborAdvertisement(icmp: message) == NeighborAdvertisement(target: Self.address, hardware: mac))
        // No hardware address (a tunnel): no option.
        #expect(NeighborAdvertisement(target: Self.address, hardware: []).bytes.count == 24)
    }

    @Test(arguments: [
        [], [136], [135] + [UInt8](repeating: 0, count: 31), [136] + [UInt8](repeating: 0, count: 22),
        [136, 0, 0, 0, 0x20, 0, 0, 0] + [UInt8](repeating: 1, count: 16) + [2, 0, 1, 2],
        [136, 0, 0, 0, 0x20, 0, 0, 0] + [UInt8](repeating: 1, count: 16) + [2, 9, 1, 2, 3, 4, 5, 6],
    ] as [[UInt8]])
    func hostileMessagesDoNotTrap(bytes: [UInt8]) {
        if let parsed = NeighborAdvertisement(icmp: bytes) {
            #expect(parsed.hardware.isEmpty, "a malformed option yields no hardware address")
        }
    }
}
