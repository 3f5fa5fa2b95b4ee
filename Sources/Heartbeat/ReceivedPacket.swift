/// A decoded packet: the message, the format it came in, and what its netstring trailer signs.
public struct ReceivedPacket: Hashable, Sendable {
    /// The message's fields.
    public let message: HeartbeatMessage
    /// The encoding it arrived in.
    public let format: WireFormat
    /// For netstring, the bytes from `###\n` to `%%%\n` inclusive, which the trailer signs; empty for classic.
    public let signedBytes: [UInt8]
    /// For netstring, the trailer's token (`N hex`); `nil` when absent or for classic.
    public let trailer: String?

    /// Decodes a packet in either format.
    ///
    /// Never reads past `bytes` and never traps: anything malformed, truncated, of an unsupported
    /// field type or over 256 KiB is a `WireError`.
    public init(decoding bytes: [UInt8]) throws(WireError) {
        guard bytes.count <= HeartbeatMessage.maximumPacketSize else {
            throw WireError(
                .tooLarge,
                offset: HeartbeatMessage.maximumPacketSize,
                "packet of \(bytes.count) bytes exceeds the \(HeartbeatMessage.maximumPacketSize)-byte limit"
            )
        }
        var reader = ByteReader(bytes)
        if reader.consume(WireMarkers.netstringStart) {
            let (message, signedEnd, trailer) = try NetstringDecoder.decode(&reader)
            self.init(message: message, format: .netstring, signedBytes: Array(bytes[..<signedEnd]), trailer: trailer)
        } else if reader.consume(WireMarkers.classicStart) {
            self.init(message: try ClassicDecoder.decode(&reader), format: .classic, signedBytes: [], trailer: nil)
        } else if bytes.count < 4
            && (WireMarkers.netstringStart.starts(with: bytes) || WireMarkers.classicStart.starts(with: bytes))
        {
            throw WireError(.truncated, offset: bytes.count, "packet ends inside its start marker")
        } else {
            throw WireError(
                .unknownFormat,
                offset: 0,
                "packet starts with neither ###\\n (netstring) nor >>>\\n (classic)"
            )
        }
    }

    private init(message: HeartbeatMessage, format: WireFormat, signedBytes: [UInt8], trailer: String?) {
        self.message = message
        self.format = format
        self.signedBytes = signedBytes
        self.trailer = trailer
    }
}

/// A bounds-checked cursor over packet bytes.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Whether every byte has been read.
    var isAtEnd: Bool { position >= bytes.count }

    /// The byte at the cursor, if any.
    var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    /// Whether the unread bytes start with `marker`.
    func starts(with marker: [UInt8]) -> Bool {
        bytes.count - position >= marker.count && bytes[position..<position + marker.count].elementsEqual(marker)
    }

    /// Skips `marker` if the unread bytes start with it.
    mutating func consume(_ marker: [UInt8]) -> Bool {
        guard starts(with: marker) else { return false }
        position += marker.count
        return true
    }

    /// Reads `count` bytes, or `nil` (moving nothing) if fewer remain.
    mutating func read(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, bytes.count - position >= count else { return nil }
        defer { position += count }
        return bytes[position..<position + count]
    }

    /// Reads up to (not including) `byte`, and skips it; `nil` (moving nothing) if `byte` does not occur.
    mutating func read(upTo byte: UInt8) -> ArraySlice<UInt8>? {
        guard let end = bytes[position...].firstIndex(of: byte) else { return nil }
        defer { position = end + 1 }
        return bytes[position..<end]
    }

    /// Skips a byte known to be present.
    mutating func skip() { position = min(position + 1, bytes.count) }

    /// Throws unless the rest is empty or NUL padding.
    func expectEnd() throws(WireError) {
        if let extra = bytes[position...].firstIndex(where: { $0 != 0 }) {
            throw WireError(.trailingBytes, offset: extra, "\(bytes.count - extra) unexpected bytes after the message")
        }
    }
}
