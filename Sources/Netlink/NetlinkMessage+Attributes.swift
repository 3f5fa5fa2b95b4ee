/// Typed reads of attribute payloads; each returns `nil` when the payload has the wrong size.
extension [UInt16: [UInt8]] {
    /// A 32-bit attribute in host byte order (`mnl_attr_get_u32`).
    func u32(_ type: Int) -> UInt32? {
        guard let payload = self[UInt16(type)], payload.count == 4 else { return nil }
        return payload.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
    }

    /// An 8-bit attribute (`mnl_attr_get_u8`).
    func u8(_ type: Int) -> UInt8? {
        guard let payload = self[UInt16(type)], payload.count == 1 else { return nil }
        return payload[0]
    }

    /// An address attribute, in network byte order; `nil` unless it has the family's length.
    func address<Address: IPAddress>(_ type: Int, as _: Address.Type = Address.self) -> Address? {
        self[UInt16(type)].flatMap { Address(bytes: $0) }
    }

    /// A string attribute, up to its first NUL (`mnl_attr_get_str`).
    func string(_ type: Int) -> String? {
        guard let payload = self[UInt16(type)] else { return nil }
        return String(decoding: payload.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// A C struct attribute, if the payload is at least that long.
    func value<T>(_ type: Int, as _: T.Type) -> T? {
        guard let payload = self[UInt16(type)], payload.count >= MemoryLayout<T>.size else { return nil }
        return payload.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
    }
}
