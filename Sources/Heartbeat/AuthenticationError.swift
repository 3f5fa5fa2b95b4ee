/// A message whose signature is missing, unreadable, made with an unknown key, or wrong.
public struct AuthenticationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The code's name, e.g. `mismatch`.
        public var description: String { name }

        /// No `auth` field (classic) or no trailer (netstring).
        public static let missingSignature = Code("missingSignature")
        /// The token is not `N hex`.
        public static let malformedSignature = Code("malformedSignature")
        /// The token names a key index that authkeys does not define.
        public static let unknownKey = Code("unknownKey")
        /// The signature does not match the message: forged, corrupted, or a different secret.
        public static let mismatch = Code("mismatch")
    }

    /// What kind of problem this is.
    public let code: Code
    /// A one-line explanation.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The explanation.
    public var description: String { message }
}
