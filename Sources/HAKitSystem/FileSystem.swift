#if canImport(Glibc)
import Glibc
#endif

/// Small typed file operations agents need: state files, pid files, directories.
public enum FileSystem {
    /// Whether a path exists (following links).
    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Whether a path is a directory.
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether the calling user may execute a file.
    public static func isExecutable(_ path: String) -> Bool { access(path, X_OK) == 0 && !isDirectory(path) }

    /// Whether the calling user may write into a directory.
    public static func isWritable(_ path: String) -> Bool { access(path, W_OK) == 0 }

    /// Writes a whole file, replacing it atomically (write to a temporary name, then rename).
    public static func writeAtomically(_ path: String, contents: String, mode: mode_t = 0o644) throws {
        let temporary = "\(path).tmp.\(getpid())"
        let fd = try syscall("creating \(temporary)") { open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode) }
        var text = contents
        let ok = text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return false }
                offset += written
            }
            return true
        }
        let code = errno
        close(fd)
        guard ok else {
            unlink(temporary)
            throw SystemError(errno: code, "writing \(temporary)")
        }
        do {
            try syscall("renaming \(temporary) to \(path)") { rename(temporary, path) }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Reads a whole (small) file as text; `nil` when it does not exist.
    public static func read(_ path: String) throws -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw SystemError(errno: errno, "opening \(path)")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = Glibc.read(fd, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            if count < 0 { throw SystemError(errno: errno, "reading \(path)") }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Removes a file; a file that is already gone is fine.
    public static func remove(_ path: String) throws {
        if unlink(path) == -1 && errno != ENOENT { throw SystemError(errno: errno, "removing \(path)") }
    }

    /// Runs `body` holding an exclusive `flock` on `path` (created if missing), so that processes
    /// doing the same wait for each other; the lock goes with the descriptor, even on a crash.
    public static func withExclusiveLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
        let fd = try syscall("opening \(path)") { open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644) }
        defer { close(fd) }
        try syscall("locking \(path)") { flock(fd, LOCK_EX) }
        return try body()
    }

    /// Creates a directory and its missing parents.
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws {
        if isDirectory(path) { return }
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, mode) == -1 && errno != EEXIST {
                throw SystemError(errno: errno, "creating directory \(prefix)")
            }
        }
    }
}
