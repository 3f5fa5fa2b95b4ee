/// Reads the netstring format after `###\n`: `len:(t)name=value,` fields, `%%%\n`, optional trailer.
enum NetstringDecoder {
    /// The longest length prefix accepted; 256 KiB needs six digits.
    private static let maximumLengthDigits = 7

    /// The message, the end of the signed bytes (just after `%%%\n`), and the trailer token.
    static func decode(_ reader: inout ByteReader) throws(WireError) -> (HeartbeatMessage, Int, String?) {
        var message = HeartbeatMessage()
        while !reader.consume(WireMarkers.netstringEnd) {
            guard !reader.isAtEnd else {
                throw WireError(.truncated, offset: reader.position, "netstring message ends before %%%\\n")
            }
            let start = reader.position
            let item = try netstring(&reader)
            message.fields.append(try field(item, at: start))
        }
        let signedEnd = reader.position
        guard !reader.isAtEnd, reader.peek != 0 else {
            try reader.expectEnd()
            return (message, signedEnd, nil)
        }
        let trailerStart = reader.position
        let token = try netstring(&reader)
        guard let text = String(validating: token, as: UTF8.self), text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F })
        else {
            throw WireError(.malformed, offset: trailerStart, "netstring trailer is not printable ASCII")
        }
        try reader.expectEnd()
        return (message, signedEnd, text)
    }

    /// Reads one `len:data,` and returns `data`.
    private static func netstring(_ reader: inout ByteReader) throws(WireError) -> ArraySlice<UInt8> {
        let start = reader.position
        var length = 0
        var digits = 0
        while let byte = reader.peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            digits += 1
            guard digits <= maximumLengthDigits else {
                throw WireError(
                    .malformed,
                    offset: start,
                    "netstring length has more than \(maximumLengthDigits) digits"
                )
            }
            length = length * 10 + Int(byte - UInt8(ascii: "0"))
            reader.skip()
        }
        guard digits > 0 else {
            if reader.isAtEnd {
                throw WireError(.truncated, offset: start, "packet ends where a netstring length should be")
            }
            throw WireError(.malformed, offset: start, "expected a netstring length")
        }
        guard let colon = reader.peek else {
            throw WireError(.truncated, offset: reader.position, "packet ends after a netstring length")
        }
        guard colon == UInt8(ascii: ":") else {
            throw WireError(.malformed, offset: reader.position, "netstring length not followed by ':'")
        }
        reader.skip()
        guard let data = reader.read(length) else {
            throw WireError(.truncated, offset: reader.position, "netstring of \(length) bytes is cut short")
        }
        guard let comma = reader.peek else {
            throw WireError(.truncated, offset: reader.position, "packet ends before a netstring's ','")
        }
        guard comma == UInt8(ascii: ",") else {
            throw WireError(.malformed, offset: reader.position, "netstring of \(length) bytes is not followed by ','")
        }
        reader.skip()
        return data
    }

    /// Parses `(t)name=value`.
    private static func field(_ item: ArraySlice<UInt8>, at offset: Int) throws(WireError) -> HeartbeatField {
        let base = item.startIndex
        guard item.count >= 4, item[base] == UInt8(ascii: "("), item[base + 2] == UInt8(ascii: ")") else {
            throw WireError(.malformed, offset: offset, "netstring field does not start with (t)")
        }
        let type = try FieldDecoding.type(item[base + 1], at: offset)
        let body = item[(base + 3)...]
        guard let equals = body.firstIndex(of: UInt8(ascii: "=")) else {
            throw WireError(.malformed, offset: offset, "netstring field has no '='")
        }
        let name = try FieldDecoding.name(body[..<equals], at: offset)
        return HeartbeatField(name: name, type: type, value: Array(body[(equals + 1)...]))
    }
}

/// Checks shared by both decoders.
enum FieldDecoding {
    /// The field type for a `(t)` digit; only string and binary are supported.
    static func type(_ digit: UInt8, at offset: Int) throws(WireError) -> FieldType {
        guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else {
            throw WireError(.malformed, offset: offset, "field type is not a digit")
        }
        let type = FieldType(rawValue: digit - UInt8(ascii: "0"))
        guard type == .string || type == .binary else {
            throw WireError(.unsupportedFieldType, offset: offset, "field type \(type.rawValue) is not supported")
        }
        return type
    }

    /// A field name: non-empty UTF-8 without NUL, CR or LF.
    static func name(_ bytes: ArraySlice<UInt8>, at offset: Int) throws(WireError) -> String {
        guard !bytes.isEmpty else { throw WireError(.malformed, offset: offset, "field has an empty name") }
        guard !bytes.contains(where: { $0 == 0 || $0 == 0x0A || $0 == 0x0D }),
            let name = String(validating: bytes, as: UTF8.self)
        else {
            throw WireError(.malformed, offset: offset, "field name is not valid UTF-8 text")
        }
        return name
    }
}
