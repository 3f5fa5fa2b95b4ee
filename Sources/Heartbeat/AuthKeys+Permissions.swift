/// authkeys is readable or writable by someone other than root.
public struct AuthKeysPermissionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file as the caller named it.
    public let path: String
    /// Its permission bits (`st_mode & 0o7777`).
    public let mode: UInt32
    /// Its owner's uid.
    public let ownerUID: UInt32

    /// Creates the error.
    public init(path: String, mode: UInt32, ownerUID: UInt32) {
        self.path = path
        self.mode = mode & 0o7777
        self.ownerUID = ownerUID
    }

    /// The mode as four octal digits, e.g. `0644`.
    public var octalMode: String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// e.g. `authkeys /etc/ha.d/authkeys has mode 0644; it must be 0600 and owned by root`.
    public var description: String {
        let problem = mode & 0o077 != 0 ? "has mode \(octalMode)" : "is owned by uid \(ownerUID)"
        return "authkeys \(path) \(problem); it must be 0600 and owned by root"
    }
}

extension AuthKeys {
    /// Refuses an authkeys file that group or others may access, or that root does not own.
    ///
    /// heartbeat refuses group/other *read*; we refuse any group/other bit and a non-root owner,
    /// because whoever can write the file can forge or take over the cluster.
    /// - Parameters:
    ///   - path: the file name for the message.
    ///   - mode: `st_mode` (file-type bits are ignored).
    ///   - ownerUID: `st_uid`.
    public static func checkPermissions(path: String, mode: UInt32, ownerUID: UInt32) throws(AuthKeysPermissionError) {
        if mode & 0o077 != 0 || ownerUID != 0 {
            throw AuthKeysPermissionError(path: path, mode: mode, ownerUID: ownerUID)
        }
    }
}
