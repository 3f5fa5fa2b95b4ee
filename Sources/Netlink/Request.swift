import CMnl

/// A netlink request as plain data: message type, flags, the family header (`ifinfomsg`,
/// `ifaddrmsg` or `rtmsg`) and attributes. Encoding is pure, so tests can compare bytes.
struct Request: Hashable, Sendable {
    /// One attribute: its type and payload, before padding.
    struct Attribute: Hashable, Sendable {
        var type: UInt16
        var payload: [UInt8]
    }

    /// The message type, e.g. `RTM_NEWADDR`.
    var type: UInt16
    /// `NLM_F_*` flags; `NLM_F_REQUEST` is added when encoding.
    var flags: UInt16
    /// The family header that follows `nlmsghdr`.
    var header: [UInt8]
    /// The attributes, in order.
    var attributes: [Attribute]

    /// Whether the request asks for a dump, answered by several messages and `NLMSG_DONE`.
    var isDump: Bool { flags & UInt16(NLM_F_DUMP) == UInt16(NLM_F_DUMP) }

    /// The wire bytes, with this sequence number and port id 0 (the kernel fills in the sender).
    func encoded(sequence: UInt32) -> [UInt8] {
        let capacity =
            Self.aligned(MemoryLayout<nlmsghdr>.size) + Self.aligned(header.count)
            + attributes.reduce(0) { $0 + Self.aligned(MemoryLayout<nlattr>.size) + Self.aligned($1.payload.count) }
        var buffer = [UInt8](repeating: 0, count: capacity)
        let length = buffer.withUnsafeMutableBytes { raw -> Int in
            let message = mnl_nlmsg_put_header(raw.baseAddress)!
            message.pointee.nlmsg_type = type
            message.pointee.nlmsg_flags = flags | UInt16(NLM_F_REQUEST)
            message.pointee.nlmsg_seq = sequence
            let family = mnl_nlmsg_put_extra_header(message, header.count)!
            header.withUnsafeBytes { family.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            for attribute in attributes {
                attribute.payload.withUnsafeBytes { payload in
                    mnl_attr_put(message, attribute.type, payload.count, payload.baseAddress)
                }
            }
            return Int(message.pointee.nlmsg_len)
        }
        precondition(length == capacity, "netlink request size \(length) differs from the computed \(capacity)")
        return buffer
    }

    /// Rounds up to the 4-byte netlink alignment. The corresponding C macro is `MNL_ALIGN`.
    static func aligned(_ length: Int) -> Int { (length + Int(MNL_ALIGNTO) - 1) & ~(Int(MNL_ALIGNTO) - 1) }
}

extension Request.Attribute {
    /// A 32-bit attribute in host byte order (`mnl_attr_put_u32`).
    static func u32(_ type: Int, _ value: UInt32) -> Self {
        Self(type: UInt16(type), payload: withUnsafeBytes(of: value) { Array($0) })
    }

    /// An address attribute (IPv4 or IPv6), its bytes in network order.
    static func bytes(_ type: Int, _ value: [UInt8]) -> Self {
        Self(type: UInt16(type), payload: value)
    }

    /// A NUL-terminated string attribute (`mnl_attr_put_strz`).
    static func string(_ type: Int, _ value: String) -> Self {
        Self(type: UInt16(type), payload: Array(value.utf8) + [0])
    }

    /// A C struct attribute, byte for byte.
    static func value<T>(_ type: Int, _ value: T) -> Self {
        Self(type: UInt16(type), payload: withUnsafeBytes(of: value) { Array($0) })
    }
}

/// The bytes of a C header struct, to use as a request's family header.
func headerBytes<T>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }
