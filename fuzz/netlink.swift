// Netlink replies as the kernel sends them: a received datagram split into messages
// (NetlinkMessage.split, libmnl's walk), each classified (Reply: ack, done, error with its
// extended ack) and decoded as a link, an address and a route, as the dumps read them.
@testable import Netlink

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // The receive buffer holds the datagram as recvfrom leaves it: aligned, as libmnl expects.
    let datagram = UnsafeRawBufferPointer(start: data, count: size)
    let messages = NetlinkMessage.split(datagram)
    for message in messages {
        precondition(message.bytes.count >= 16 && message.bytes.count <= size, "a message longer than the datagram")
        _ = (message.type, message.flags, message.sequence, message.portID)
        switch Reply(message) {
        case .data, .done, .ignored: break
        case .failure(let errno, let extendedAck):
            precondition(errno != 0, "a failure without an errno")
            _ = extendedAck
        }
        if let link = Link(message) { _ = "\(link) \(link.isUp) \(link.canBroadcast) \(link.isLoopback)" }
        if let address = AddressEntry(message) { _ = "\(address)" }
        if let route = Route(message) { _ = "\(route)" }
        for offset in [0, 4, 16, 20, Int(message.bytes.count)] { _ = message.attributes(offset: offset) }
    }
    // One message given on its own, as the tests build them.
    if let message = NetlinkMessage(bytes: Array(datagram)) { _ = Reply(message) }
    return 0
}
