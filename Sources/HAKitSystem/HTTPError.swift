/// Why an HTTP request through `HTTPClient` failed.
public struct HTTPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure, so callers can map it without parsing text.
    public struct Kind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// A short name for the kind.
        public let rawValue: String

        /// Creates a kind from its name.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// libcurl (`libcurl.so.4`) could not be loaded or lacks a function.
        public static let libraryUnavailable = Kind(rawValue: "libcurl unavailable")
        /// The request itself is malformed: bad URL, unsupported scheme or option.
        public static let invalidRequest = Kind(rawValue: "invalid request")
        /// The host name did not resolve.
        public static let unresolvedHost = Kind(rawValue: "host not resolved")
        /// No connection could be made (refused, unreachable, local address unusable).
        public static let connectionFailed = Kind(rawValue: "connection failed")
        /// The timeout expired.
        public static let timedOut = Kind(rawValue: "timed out")
        /// TLS failed: handshake, certificate or peer verification.
        public static let tls = Kind(rawValue: "TLS failure")
        /// Any other failure during the transfer.
        public static let transfer = Kind(rawValue: "transfer failed")

        /// The name.
        public var description: String { rawValue }
    }

    /// The kind of failure.
    public let kind: Kind
    /// libcurl's `CURLcode`, when libcurl reported the failure.
    public let curlCode: Int32?
    /// What went wrong, for a person (libcurl's detailed message when it gave one).
    public let message: String

    /// Creates an error.
    public init(_ kind: Kind, curlCode: Int32? = nil, _ message: String) {
        self.kind = kind
        self.curlCode = curlCode
        self.message = message
    }

    /// `kind: message`.
    public var description: String { "\(kind): \(message)" }
}
