// The authkeys parser (AuthKeys.parse) on arbitrary file contents; a parsed key must sign and
// verify a packet.
import Heartbeat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let keys: AuthKeys
    do { keys = try AuthKeys.parse(text, path: "/etc/ha.d/authkeys") } catch {
        precondition(!error.errors.isEmpty, "a refused authkeys names no problem")
        _ = error.description
        return 0
    }
    precondition(keys.key(index: keys.active.index) == keys.active, "the active key is not an entry")
    _ = keys.warnings.map(\.description)
    for key in keys.entries.values {
        let bytes = HeartbeatMessage(["t": "status", "st": "up"]).netstringEncoded(signingWith: key)
        let packet = try? ReceivedPacket(decoding: bytes)
        precondition(packet?.isAuthentic(with: keys) == true, "a packet signed with key \(key) does not verify")
    }
    return 0
}
