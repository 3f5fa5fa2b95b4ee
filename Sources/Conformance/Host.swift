#if canImport(Glibc)
    import Glibc
#endif
import HAKitSystem

/// The few facts about the running host the conformance tool needs that HAKitSystem does not
/// offer yet: its own process id, whether it runs as root, a user's ids, the node name, and
/// private scratch directories.
enum Host {
    /// This process's id, which makes namespace and directory names unique.
    static var processID: Int32 { getpid() }

    /// Whether the tool runs as root (the unprivileged meta-data check and namespaces need it).
    static var isRoot: Bool { geteuid() == 0 }

    /// The user and group ids of an account, from the password database; `nil` when there is no such user.
    static func account(_ name: String) -> (uid: UInt32, gid: UInt32)? {
        guard let entry = getpwnam(name) else { return nil }
        return (entry.pointee.pw_uid, entry.pointee.pw_gid)
    }

    /// The node name, as Pacemaker would pass it in `CRM_meta_on_node` and the migrate meta-attributes.
    static var nodeName: String {
        let text = (try? FileSystem.read("/proc/sys/kernel/hostname")) ?? nil
        let name = (text ?? "").split(separator: "\n").first.map(String.init) ?? ""
        return name.isEmpty ? "localhost" : name
    }

    /// The prefix of every scratch directory this tool makes, and the only tree it ever removes.
    static let scratchPrefix = "/tmp/ocf-conformance-"

    /// Creates a fresh private (0700) directory `/tmp/ocf-conformance-LABEL-XXXXXX`.
    static func makeScratchDirectory(_ label: String) throws -> String {
        var template = Array("\(scratchPrefix)\(label)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SystemError(errno: errno, "creating a scratch directory") }
        return String(cString: made)
    }

    /// Removes a scratch directory made by `makeScratchDirectory`, and nothing else.
    static func removeScratchDirectory(_ path: String) {
        guard path.hasPrefix(scratchPrefix), !path.contains("/../") else { return }
        _ = try? ProcessRun.run(
            path: "/bin/rm", arguments: ["rm", "-rf", "--one-file-system", "--", path],
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"], timeoutMilliseconds: 30_000)
    }
}
