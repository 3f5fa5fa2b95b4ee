#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: the errno and what was being attempted.
public struct SystemError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The errno value.
    public let errno: Int32
    /// What was attempted, e.g. `spawning /usr/sbin/apache2`.
    public let operation: String

    /// Creates an error from an errno and the operation that failed.
    public init(errno: Int32, _ operation: String) {
        self.errno = errno
        self.operation = operation
    }

    /// The C library's text for the errno, e.g. `No such file or directory`.
    public var message: String { String(cString: strerror(errno)) }

    /// `operation: message`.
    public var description: String { "\(operation): \(message)" }
}

/// The one path from a C return value to a thrown error: retries EINTR, traps on errors that
/// mean a programming mistake (EFAULT, EBADF), throws `SystemError` for the rest.
@discardableResult
public func syscall<T: FixedWidthInteger>(_ operation: @autoclosure () -> String, _ body: () -> T) throws -> T {
    while true {
        let result = body()
        if result != -1 { return result }
        let code = errno
        if code == EINTR { continue }
        precondition(code != EFAULT && code != EBADF, "\(operation()): \(String(cString: strerror(code)))")
        throw SystemError(errno: code, operation())
    }
}
