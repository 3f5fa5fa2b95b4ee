#if canImport(Glibc)
import Glibc
#endif

/// A daemon's pid file: a decimal process id on its first line.
public enum PidFile {
    /// The process id in a pid file; `nil` when the file is missing, empty or not a positive number.
    public static func read(_ path: String) throws -> pid_t? {
        guard let text = try FileSystem.read(path) else { return nil }
        let digits = text.drop { $0 == " " || $0 == "\t" }.prefix { $0.isASCII && $0.isNumber }
        guard let pid = pid_t(digits), pid > 0 else { return nil }
        return pid
    }

    /// Removes a pid file; a missing one is fine.
    public static func remove(_ path: String) throws { try FileSystem.remove(path) }
}
