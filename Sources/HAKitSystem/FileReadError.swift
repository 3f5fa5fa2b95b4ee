#if canImport(Glibc)
import Glibc
#endif

/// Why `FileSystem.read` did not read a file: it is not a regular file, it is larger than the
/// limit, or a system call failed. The `reason` names the type or the sizes, the path is kept apart
/// so that callers that already name the file (`ha.cf: …`) need not name it twice.
public struct FileReadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem this is; match on it rather than on the text.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The code's name, e.g. `notRegularFile`.
        public var description: String { name }

        /// The path is a FIFO, a device, a directory or a socket.
        public static let notRegularFile = Code("notRegularFile")
        /// The file holds more bytes than the caller's limit.
        public static let tooLarge = Code("tooLarge")
        /// `open`, `fstat` or `read` failed (see `errno`).
        public static let systemError = Code("systemError")
    }

    /// What kind of problem this is.
    public let code: Code
    /// The path as the caller gave it.
    public let path: String
    /// The problem without the path: `is a FIFO, not a regular file`.
    public let reason: String
    /// The errno of a failed call (`.systemError` only).
    public let errno: Int32?

    init(_ code: Code, path: String, _ reason: String, errno: Int32? = nil) {
        self.code = code
        self.path = path
        self.reason = reason
        self.errno = errno
    }

    /// A path that is no regular file, named with its type (`st_mode & S_IFMT`).
    static func notRegularFile(_ path: String, mode: mode_t) -> FileReadError {
        FileReadError(.notRegularFile, path: path, "is \(FileSystem.typeName(mode: mode)), not a regular file")
    }

    /// A file larger than `limit`; `size` is `nil` when fstat did not know it (e.g. in /proc).
    static func tooLarge(_ path: String, size: Int?, limit: Int) -> FileReadError {
        let what = size.map { "is \($0) bytes" } ?? "holds more than \(limit) bytes"
        return FileReadError(.tooLarge, path: path, "\(what), over the limit of \(limit) bytes")
    }

    /// A failed system call: `cannot be opened: Permission denied`.
    static func system(_ path: String, _ step: String, errno code: Int32) -> FileReadError {
        FileReadError(.systemError, path: path, "cannot be \(step): \(String(cString: strerror(code)))", errno: code)
    }

    /// `PATH REASON`: `/etc/ha.d/ha.cf is a FIFO, not a regular file`.
    public var description: String { "\(path) \(reason)" }
}
