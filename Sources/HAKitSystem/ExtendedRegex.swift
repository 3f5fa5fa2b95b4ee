#if canImport(Glibc)
import Glibc
#endif

/// A POSIX extended regular expression (`regcomp` with `REG_EXTENDED`), matched the way
/// `grep -E` matches: line by line, so `^` and `$` anchor at line ends.
public final class ExtendedRegex {
    private var compiled = regex_t()

    /// The pattern as given.
    public let pattern: String

    /// Compiles a pattern.
    ///
    /// - Throws: `RegexError` with the C library's message when the pattern is invalid.
    public init(_ pattern: String, caseInsensitive: Bool = false) throws(RegexError) {
        self.pattern = pattern
        var flags = REG_EXTENDED | REG_NOSUB | REG_NEWLINE
        if caseInsensitive { flags |= REG_ICASE }
        let status = regcomp(&compiled, pattern, flags)
        guard status == 0 else {
            var message = [CChar](repeating: 0, count: 256)
            regerror(status, &compiled, &message, message.count)
            regfree(&compiled)
            throw RegexError(pattern: pattern, message: String(nulTerminated: message))
        }
    }

    deinit { regfree(&compiled) }

    /// Whether any line of the text matches. NUL bytes, which would end the C string early,
    /// count as line breaks.
    public func matches(_ text: String) -> Bool {
        let bytes = text.utf8.map { $0 == 0 ? UInt8(ascii: "\n") : $0 } + [0]
        return bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { regexec(&compiled, $0.baseAddress!, 0, nil, 0) == 0 }
        }
    }
}

/// A pattern `regcomp` rejected.
public struct RegexError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The pattern.
    public let pattern: String
    /// The C library's message, e.g. `Unmatched ( or \(`.
    public let message: String

    /// `pattern: message`.
    public var description: String { "\(pattern): \(message)" }
}
