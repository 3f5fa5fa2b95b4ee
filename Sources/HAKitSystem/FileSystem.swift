#if canImport(Glibc)
import Glibc
#endif

/// Small typed file operations agents need: state files, pid files, directories.
public enum FileSystem {
    /// Whether a path exists (following links).
    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Whether a path is a directory.
    public static func isDirectory(_ path: String) -> Bool { status(path)?.isDirectory == true }

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

    /// The most bytes `read` takes from a file unless told otherwise: 4 MiB, far more than any
    /// configuration or state file HAKit reads.
    public static let defaultReadLimit = 4 << 20

    /// Reads a whole regular file of at most `limit` bytes as text; `nil` when it does not exist.
    ///
    /// Configuration and state files come from outside input, so the path may name anything. It is
    /// opened with `O_NONBLOCK | O_NOCTTY` (a FIFO without a writer or a terminal cannot block the
    /// open or become the controlling terminal), then the opened descriptor is checked with `fstat`,
    /// so no rename between a check and the open can swap the file: a FIFO, a device such as
    /// `/dev/zero`, a directory or a socket is refused, as is a file above `limit`. At most
    /// `limit + 1` bytes are read, so a file that grows, or that the kernel sizes as 0 (in /proc),
    /// costs no more than that.
    ///
    /// - Throws: `FileReadError` naming the path and the file's type, or its size and the limit.
    public static func read(_ path: String, limit: Int = defaultReadLimit) throws(FileReadError) -> String? {
        var fd: Int32
        repeat { fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) } while fd < 0 && errno == EINTR
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .system(path, "opened", errno: errno)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .system(path, "examined", errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .notRegularFile(path, mode: info.st_mode) }
        guard info.st_size <= limit else { throw .tooLarge(path, size: Int(info.st_size), limit: limit) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count <= limit {
            let count = Glibc.read(fd, &chunk, min(chunk.count, limit + 1 - bytes.count))
            if count < 0 && errno == EINTR { continue }
            if count < 0 { throw .system(path, "read", errno: errno) }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        guard bytes.count <= limit else { throw .tooLarge(path, size: nil, limit: limit) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// What kind of file a mode's `S_IFMT` bits name, with its article: `a FIFO`, `a directory`.
    public static func typeName(mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: "a regular file"
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        case S_IFLNK: "a symbolic link"
        default: "a file of unknown type"
        }
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
