#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem

/// The copy made for this test process, removed when it exits.
nonisolated(unsafe) private var copiedAgentDirectory: String?

extension TestSupport {
    /// hakit-agent at a path every user can execute. ocf-tester and ocf-conformance run meta-data
    /// as `nobody`; a checkout below a private directory (a clone in a `mktemp -d` directory,
    /// mode 0700) makes that answer 126. Then the binary is copied, once per test process, into a
    /// directory of mode 0755, which is removed when the process exits.
    public static let publicAgentBinary: String = {
        let original = binary("hakit-agent")
        if everyoneCanExecute(original) { return original }
        guard let directory = try? temporaryDirectory("agent-binary", mode: 0o755),
            (try? run(["cp", original, "\(directory)/hakit-agent"]))?.status == 0
        else { return original }
        copiedAgentDirectory = directory
        atexit {
            guard let directory = copiedAgentDirectory else { return }
            TestSupport.removeTree(directory)
        }
        return "\(directory)/hakit-agent"
    }()

    /// Links `path` to hakit-agent (as installed agents are), executable by every user.
    public static func linkAgent(at path: String) throws {
        let result = try run(["ln", "-s", publicAgentBinary, path])
        guard result.status == 0 else { throw SystemError(errno: EEXIST, "ln -s \(publicAgentBinary) \(path): \(result.errorOutput)") }
    }

    /// Whether the file is executable by others and every directory above it searchable by others.
    static func everyoneCanExecute(_ path: String) -> Bool {
        var current = path
        var info = stat()
        guard stat(current, &info) == 0, info.st_mode & 0o001 != 0 else { return false }
        while let slash = current.lastIndex(of: "/"), slash != current.startIndex {
            current = String(current[..<slash])
            guard stat(current, &info) == 0, info.st_mode & 0o001 != 0 else { return false }
        }
        return true
    }
}
