/// Little-endian byte helpers for writing expected netlink messages by hand (x86_64 and arm64).
enum Bytes {
    static func u16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xff), UInt8(value >> 8)] }
    static func u32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    static func i32(_ value: Int32) -> [UInt8] { u32(UInt32(bitPattern: value)) }

    /// An `nlmsghdr`: length, type, flags, sequence, port id.
    static func header(length: Int, type: UInt16, flags: UInt16, sequence: UInt32, portID: UInt32 = 0) -> [UInt8] {
        u32(UInt32(length)) + u16(type) + u16(flags) + u32(sequence) + u32(portID)
    }

    /// An `nlattr` with its payload, padded to 4 bytes.
    static func attribute(_ type: UInt16, _ payload: [UInt8]) -> [UInt8] {
        let padding = (4 - payload.count % 4) % 4
        return u16(UInt16(4 + payload.count)) + u16(type) + payload + [UInt8](repeating: 0, count: padding)
    }

    /// A whole message: header with the right length, then the body.
    static func message(type: UInt16, flags: UInt16, sequence: UInt32, portID: UInt32 = 0, _ body: [UInt8]) -> [UInt8] {
        header(length: 16 + body.count, type: type, flags: flags, sequence: sequence, portID: portID) + body
    }
}
