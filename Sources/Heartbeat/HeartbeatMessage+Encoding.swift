import HAKitSystem

extension HeartbeatMessage {
    /// The largest packet heartbeat sends or accepts (`MAXMSG`, 256 KiB).
    public static let maximumPacketSize = 256 * 1024

    /// The classic rendering of every field except `auth`, without markers: the bytes the `auth`
    /// field signs (cluster-glue's `msg2string_buf(…, NOHEAD)`).
    public var signingText: [UInt8] {
        var out: [UInt8] = []
        for field in fields where field.name != "auth" { Self.appendClassic(field, to: &out) }
        return out
    }

    /// This message with its `auth` field set to `key`'s token over `signingText`, placed last.
    public func signed(with key: AuthKey) -> HeartbeatMessage {
        var copy = self
        copy.removeAll(named: "auth")
        copy.append("auth", key.token(of: copy.signingText))
        return copy
    }

    /// The classic encoding: `>>>\n`, one `[(t)]name=value\n` line per field (binary as base64), `<<<\n`.
    ///
    /// A string value containing a newline cannot be read back from this format; heartbeat has the
    /// same limit.
    public var classicEncoded: [UInt8] {
        var out = WireMarkers.classicStart
        for field in fields { Self.appendClassic(field, to: &out) }
        out += WireMarkers.classicEnd
        return out
    }

    /// The netstring fields between `###\n` and `%%%\n` inclusive: the bytes the trailer signs.
    public var netstringPayload: [UInt8] {
        var out = WireMarkers.netstringStart
        for field in fields {
            var item = Array("(\(field.type.rawValue))".utf8)
            item += field.name.utf8
            item.append(UInt8(ascii: "="))
            item += field.value
            out += String(item.count).utf8
            out.append(UInt8(ascii: ":"))
            out += item
            out.append(UInt8(ascii: ","))
        }
        out += WireMarkers.netstringEnd
        return out
    }

    /// The netstring encoding as heartbeat sends it: `netstringPayload` and the trailer
    /// `<len>:<N> <hex>,` signed with `key` (the active authkeys entry).
    public func netstringEncoded(signingWith key: AuthKey) -> [UInt8] {
        var out = netstringPayload
        let token = Array(key.token(of: out).utf8)
        out += String(token.count).utf8
        out.append(UInt8(ascii: ":"))
        out += token
        out.append(UInt8(ascii: ","))
        return out
    }

    /// Appends one classic line: `(t)` for non-string types, `name=`, the value (base64 when binary), `\n`.
    private static func appendClassic(_ field: HeartbeatField, to out: inout [UInt8]) {
        if field.type != .string { out += "(\(field.type.rawValue))".utf8 }
        out += field.name.utf8
        out.append(UInt8(ascii: "="))
        out += field.type == .binary ? Base64.encodeBytes(field.value) : field.value
        out.append(UInt8(ascii: "\n"))
    }
}
