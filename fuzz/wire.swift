// The heartbeat wire decoder (ReceivedPacket: NetstringDecoder and ClassicDecoder) on raw UDP
// payloads, then verification and a netstring round trip of whatever decodes.
import Heartbeat

let key = AuthKey(index: 1, method: .sha1, secret: "CHANGEME")
let keys = AuthKeys(active: key, entries: [1: key, 2: AuthKey(index: 2, method: .crc), 3: AuthKey(index: 3, method: .md5, secret: "s3cret")])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let packet = try? ReceivedPacket(decoding: bytes) else { return 0 }
    _ = packet.isAuthentic(with: keys)
    _ = packet.message.signingText
    _ = packet.message.type
    _ = packet.message.fields.map(\.description)
    // What decodes must survive re-encoding, and our own signature over it must verify.
    let encoded = packet.message.netstringEncoded(signingWith: key)
    guard encoded.count <= HeartbeatMessage.maximumPacketSize else { return 0 }
    guard let again = try? ReceivedPacket(decoding: encoded) else { fatalError("re-encoded packet does not decode") }
    precondition(again.message == packet.message, "netstring round trip changed the message")
    precondition(again.isAuthentic(with: keys), "re-signed packet does not verify")
    return 0
}
