import HAKitSystem

/// A heartbeat cluster message: an ordered list of named fields, as cluster-glue's `ha_msg`.
///
/// Order matters: both signatures cover the fields in order, and heartbeat appends its sender
/// fields (`src` … `auth`) after the body.
public struct HeartbeatMessage: Hashable, Sendable {
    /// The fields in order; names may repeat (lookups return the first).
    public var fields: [HeartbeatField]

    /// Creates a message from fields.
    public init(fields: [HeartbeatField] = []) { self.fields = fields }

    /// Creates a message of string fields, e.g. `["t": "status"]` in the given order.
    public init(_ pairs: KeyValuePairs<String, String>) {
        self.fields = pairs.map { HeartbeatField(name: $0.key, string: $0.value) }
    }

    /// The first field with this name.
    public func field(named name: String) -> HeartbeatField? { fields.first { $0.name == name } }

    /// The first string field with this name, decoded as UTF-8 (e.g. `message["t"] == "status"`).
    public subscript(name: String) -> String? {
        guard let field = field(named: name), field.type == .string else { return nil }
        return String(decoding: field.value, as: UTF8.self)
    }

    /// The message type, field `t` (e.g. `status`, `ip-request`, `NS_ackmsg`).
    public var type: String? { self["t"] }

    /// Whether heartbeat gives this message a sequence number and load: every type but `NS_*` control messages.
    public var carriesSequence: Bool { !(type?.hasPrefix("NS_") ?? false) }

    /// Appends a string field.
    public mutating func append(_ name: String, _ value: String) {
        fields.append(HeartbeatField(name: name, string: value))
    }

    /// Appends a binary field (type 1).
    public mutating func append(_ name: String, binary value: [UInt8]) {
        fields.append(HeartbeatField(name: name, type: .binary, value: value))
    }

    /// Removes every field with this name.
    public mutating func removeAll(named name: String) {
        fields.removeAll { $0.name == name }
    }
}

/// One message field: a name, a value and its cluster-glue type.
public struct HeartbeatField: Hashable, Sendable, CustomStringConvertible {
    /// The field name, e.g. `t`, `src`, `srcuuid`.
    public var name: String
    /// The field type; the wire writes it as `(0)`, `(1)`.
    public var type: FieldType
    /// The value's bytes (for strings, their UTF-8).
    public var value: [UInt8]

    /// Creates a field.
    public init(name: String, type: FieldType, value: [UInt8]) {
        self.name = name
        self.type = type
        self.value = value
    }

    /// Creates a string field.
    public init(name: String, string: String) {
        self.init(name: name, type: .string, value: Array(string.utf8))
    }

    /// `name=value`, with binary values as base64 (the classic rendering, without the type prefix).
    public var description: String {
        let text = type == .string ? String(decoding: value, as: UTF8.self) : Base64.encode(value)
        return "\(name)=\(text)"
    }
}

/// A cluster-glue field type (`FT_*`); a struct over the wire digit so unknown types still have a value.
public struct FieldType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The digit written between parentheses on the wire.
    public let rawValue: UInt8

    /// Creates a type from its wire digit.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// A string. The corresponding cluster-glue constant is `FT_STRING` (0).
    public static let string = FieldType(rawValue: 0)
    /// Raw bytes, base64 in the classic format. The corresponding cluster-glue constant is `FT_BINARY` (1).
    public static let binary = FieldType(rawValue: 1)

    /// The wire digit.
    public var description: String { String(rawValue) }
}
