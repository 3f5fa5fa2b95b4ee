import CMnl

/// One received netlink message, copied out of the receive buffer: `nlmsghdr`, family header and attributes.
struct NetlinkMessage: Hashable, Sendable {
    /// The whole message, `nlmsghdr` included, without trailing padding.
    let bytes: [UInt8]

    /// Wraps one message's bytes; `nil` unless they hold a complete `nlmsghdr` whose length fits.
    init?(bytes: [UInt8]) {
        guard bytes.count >= MemoryLayout<nlmsghdr>.size else { return nil }
        let length = bytes.withUnsafeBytes { $0.loadUnaligned(as: nlmsghdr.self).nlmsg_len }
        guard length >= MemoryLayout<nlmsghdr>.size, length <= bytes.count else { return nil }
        self.bytes = Array(bytes.prefix(Int(length)))
    }

    /// Splits a datagram into its messages (`mnl_nlmsg_ok` / `mnl_nlmsg_next`); a truncated tail is dropped.
    static func split(_ datagram: UnsafeRawBufferPointer) -> [NetlinkMessage] {
        guard let base = datagram.baseAddress else { return [] }
        var messages: [NetlinkMessage] = []
        var remaining = Int32(clamping: datagram.count)
        var header = base.assumingMemoryBound(to: nlmsghdr.self)
        while mnl_nlmsg_ok(header, remaining) {
            // mnl_nlmsg_ok compares the length as an int: one of 2 GiB or more passes as negative.
            let length = Int(header.pointee.nlmsg_len)
            guard length <= Int(remaining) else { break }
            let bytes = UnsafeRawBufferPointer(start: header, count: length)
            if let message = NetlinkMessage(bytes: Array(bytes)) { messages.append(message) }
            header = UnsafePointer(mnl_nlmsg_next(header, &remaining))
        }
        return messages
    }

    private var header: nlmsghdr { bytes.withUnsafeBytes { $0.loadUnaligned(as: nlmsghdr.self) } }

    /// The message type (`nlmsg_type`).
    var type: UInt16 { header.nlmsg_type }
    /// The `NLM_F_*` flags (`nlmsg_flags`).
    var flags: UInt16 { header.nlmsg_flags }
    /// The sequence number of the request it answers (`nlmsg_seq`).
    var sequence: UInt32 { header.nlmsg_seq }
    /// The port id it was sent to (`nlmsg_pid`).
    var portID: UInt32 { header.nlmsg_pid }

    /// The bytes after `nlmsghdr`.
    var payload: ArraySlice<UInt8> { bytes[Request.aligned(MemoryLayout<nlmsghdr>.size)...] }

    /// The family header (`ifinfomsg`, `ifaddrmsg`, `rtmsg`, `nlmsgerr`), if the payload is long enough.
    func familyHeader<T>(_: T.Type) -> T? {
        guard payload.count >= MemoryLayout<T>.size else { return nil }
        return payload.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
    }

    /// The attributes that start `offset` bytes into the payload, by type (`mnl_attr_for_each`);
    /// a repeated type keeps its last value, and a malformed tail is dropped.
    func attributes(offset: Int) -> [UInt16: [UInt8]] {
        var result: [UInt16: [UInt8]] = [:]
        let start = Request.aligned(MemoryLayout<nlmsghdr>.size) + Request.aligned(offset)
        guard start <= bytes.count else { return result }
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            // The walk ends at the message's last byte, not at mnl_nlmsg_get_payload_tail: that rounds
            // the length up to 4, past the bytes of a message whose length is not a multiple of 4.
            let end = base + raw.count
            var attribute = UnsafePointer((base + start).assumingMemoryBound(to: nlattr.self))
            while mnl_attr_ok(attribute, Int32(end - UnsafeRawPointer(attribute))) {
                let value = UnsafeRawBufferPointer(
                    start: mnl_attr_get_payload(attribute),
                    count: Int(mnl_attr_get_payload_len(attribute))
                )
                result[mnl_attr_get_type(attribute)] = Array(value)
                attribute = UnsafePointer(mnl_attr_next(attribute))
            }
        }
        return result
    }
}
