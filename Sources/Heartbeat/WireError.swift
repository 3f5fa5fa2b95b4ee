/// A packet that is not a well-formed heartbeat message.
public struct WireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem this is; match on it rather than on the message text.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The code's name, e.g. `truncated`.
        public var description: String { name }

        /// Larger than heartbeat's 256 KiB limit.
        public static let tooLarge = Code("tooLarge")
        /// Ends before the message does (no end marker, a field cut short).
        public static let truncated = Code("truncated")
        /// Starts with neither `###\n` nor `>>>\n`.
        public static let unknownFormat = Code("unknownFormat")
        /// A field or length that does not follow the format.
        public static let malformed = Code("malformed")
        /// A field type other than string (0) or binary (1), e.g. a nested or compressed message.
        public static let unsupportedFieldType = Code("unsupportedFieldType")
        /// Bytes after the end of the message (other than NUL padding).
        public static let trailingBytes = Code("trailingBytes")
    }

    /// What kind of problem this is.
    public let code: Code
    /// The byte offset in the packet where it was found.
    public let offset: Int
    /// A one-line explanation.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, offset: Int, _ message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    /// `message (at byte N)`.
    public var description: String { "\(message) (at byte \(offset))" }
}
