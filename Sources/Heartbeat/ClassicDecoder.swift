import HAKitSystem

/// Reads the classic format after `>>>\n`: `[(t)]name=value` lines up to `<<<\n`.
enum ClassicDecoder {
    /// The message; the reader ends after `<<<\n`.
    static func decode(_ reader: inout ByteReader) throws(WireError) -> HeartbeatMessage {
        var message = HeartbeatMessage()
        while true {
            let start = reader.position
            guard var line = reader.read(upTo: UInt8(ascii: "\n")) else {
                throw WireError(.truncated, offset: start, "classic message ends before <<<")
            }
            // heartbeat ends a line at CR or LF and skips blank lines.
            if line.last == 0x0D { line = line.dropLast() }
            if line.isEmpty { continue }
            if line.elementsEqual("<<<".utf8) { break }
            message.fields.append(try field(line, at: start))
        }
        try reader.expectEnd()
        return message
    }

    /// Parses `[(t)]name=value`, decoding base64 for binary fields.
    private static func field(_ line: ArraySlice<UInt8>, at offset: Int) throws(WireError) -> HeartbeatField {
        var rest = line
        var type = FieldType.string
        if rest.first == UInt8(ascii: "(") {
            let base = rest.startIndex
            guard rest.count >= 3, rest[base + 2] == UInt8(ascii: ")") else {
                throw WireError(.malformed, offset: offset, "classic field type is not (t)")
            }
            type = try FieldDecoding.type(rest[base + 1], at: offset)
            rest = rest[(base + 3)...]
        }
        guard let equals = rest.firstIndex(of: UInt8(ascii: "=")) else {
            throw WireError(.malformed, offset: offset, "classic line has no '='")
        }
        let name = try FieldDecoding.name(rest[..<equals], at: offset)
        let text = rest[(equals + 1)...]
        if type == .binary {
            guard let value = Base64.decode(text) else {
                throw WireError(.malformed, offset: offset, "binary field \(name) is not canonical base64")
            }
            return HeartbeatField(name: name, type: .binary, value: value)
        }
        return HeartbeatField(name: name, type: .string, value: Array(text))
    }
}
