/// The byte markers of heartbeat's two wire formats (cluster-glue `MSG_START`/`MSG_END`).
enum WireMarkers {
    /// `>>>\n`, the start of a classic message.
    static let classicStart = Array(">>>\n".utf8)
    /// `<<<\n`, the end of a classic message.
    static let classicEnd = Array("<<<\n".utf8)
    /// `###\n`, the start of a netstring message.
    static let netstringStart = Array("###\n".utf8)
    /// `%%%\n`, the end of a netstring message's fields, before the trailer.
    static let netstringEnd = Array("%%%\n".utf8)
}

/// The two encodings heartbeat receivers accept.
public enum WireFormat: String, Hashable, Sendable {
    /// `>>>\n` + `name=value\n` lines + `<<<\n`; checked with the `auth` field.
    case classic
    /// `###\n` + `len:(t)name=value,` fields + `%%%\n` + `len:N hex,` trailer; checked with the trailer.
    case netstring
}
