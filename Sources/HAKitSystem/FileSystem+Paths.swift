#if canImport(Glibc)
import Glibc
#endif

/// What `stat` tells of a path, following links: its type and which file it is.
public struct FileStatus: Hashable, Sendable {
    /// The mode bits (`st_mode`): type and permissions.
    public var mode: mode_t
    /// The file's identity: the device and inode (`st_dev`, `st_ino`), the same for every name
    /// and link that reaches the file.
    public var identity: FileIdentity
    /// The size in bytes (`st_size`).
    public var size: Int

    /// A status as `stat` would give it (for a table of files standing in for the file system).
    public init(mode: mode_t, identity: FileIdentity, size: Int) {
        self.mode = mode
        self.identity = identity
        self.size = size
    }

    /// Whether it is a regular file (`S_IFREG`).
    public var isRegularFile: Bool { (mode & S_IFMT) == S_IFREG }
    /// Whether it is a directory (`S_IFDIR`).
    public var isDirectory: Bool { (mode & S_IFMT) == S_IFDIR }
    /// `a FIFO`, `a directory`, … (see `FileSystem.typeName(mode:)`).
    public var typeName: String { FileSystem.typeName(mode: mode) }
}

/// A file as the kernel knows it, whatever its name: `st_dev` and `st_ino`.
public struct FileIdentity: Hashable, Sendable {
    /// The device holding the file (`st_dev`).
    public var device: UInt64
    /// The inode number (`st_ino`).
    public var inode: UInt64

    /// An identity from its two numbers.
    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }
}

extension FileSystem {
    /// `stat` of a path (following links); `nil` when it does not exist or cannot be examined.
    public static func status(_ path: String) -> FileStatus? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileStatus(
            mode: info.st_mode, identity: FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)),
            size: Int(info.st_size))
    }

    /// Whether a path is a regular file (following links).
    public static func isRegularFile(_ path: String) -> Bool { status(path)?.isRegularFile == true }

    /// Whether a path is a regular file the calling user may execute.
    public static func isExecutableFile(_ path: String) -> Bool {
        isRegularFile(path) && access(path, X_OK) == 0
    }

    /// Whether the calling user may read a path.
    public static func isReadable(_ path: String) -> Bool { access(path, R_OK) == 0 }

    /// The target of a symbolic link; `nil` when the path is not a readable link.
    public static func readLink(_ path: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = buffer.withUnsafeMutableBufferPointer { raw in
            raw.withMemoryRebound(to: CChar.self) { readlink(path, $0.baseAddress!, $0.count - 1) }
        }
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    /// The absolute path with links and `.`/`..` resolved (`realpath`); `nil` when it does not exist.
    public static func resolvedPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The paths a shell pattern (`*`, `?`, `[…]`) matches, sorted; none when nothing matches.
    public static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { index in
            result.gl_pathv[index].map { String(cString: $0) }
        }
    }

    /// The names in a directory, sorted, without `.` and `..`; empty when it cannot be read.
    public static func directoryEntries(_ path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let item = readdir(directory) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
