#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import OCF

/// Helpers the test targets share: the package's paths, the built binaries, running commands,
/// temporary directories. Test-only; no product links it.
public enum TestSupport {
    /// The package root, found from this file's path.
    public static let packageRoot: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path
    }()

    /// Where the built executables are: `HAKIT_BIN` (set by `make test`), else `.build/debug`.
    public static var binDirectory: String {
        if let value = getenv("HAKIT_BIN") { return String(cString: value) }
        return packageRoot + "/.build/debug"
    }

    /// The path of a built executable.
    public static func binary(_ name: String) -> String { "\(binDirectory)/\(name)" }

    /// What a command printed and how it ended.
    public struct CommandResult: Sendable {
        /// The exit status (128 + signal when a signal ended it).
        public var status: Int32
        /// Standard output.
        public var output: String
        /// Standard error.
        public var errorOutput: String
    }

    /// Runs a command (searched in PATH) with an environment and waits, at most `timeoutMilliseconds`.
    @discardableResult
    public static func run(
        _ arguments: [String], environment: [String: String]? = nil, timeoutMilliseconds: Int = 60_000
    ) throws -> CommandResult {
        let result = try ProcessRun.run(
            path: arguments[0], arguments: arguments, environment: environment ?? currentEnvironment(),
            timeoutMilliseconds: timeoutMilliseconds)
        let status: Int32 =
            switch result.termination {
            case .exited(let code)?: code
            case .signaled(let signal)?: 128 + signal
            case nil: 255
            }
        return CommandResult(
            status: status, output: String(decoding: result.output, as: UTF8.self),
            errorOutput: String(decoding: result.errorOutput, as: UTF8.self))
    }

    /// The test process's environment.
    public static func currentEnvironment() -> [String: String] { ProcessEnvironment.current() }

    /// Creates a fresh directory under /tmp (the test removes it with `removeTree`); private
    /// (0700) unless another user, such as ocf-tester's `nobody`, must reach into it.
    public static func temporaryDirectory(_ label: String, mode: mode_t = 0o700) throws -> String {
        var template = Array("/tmp/hakit-test-\(label)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw SystemError(errno: errno, "mkdtemp") }
        let path = String(cString: made)
        chmod(path, mode)
        return path
    }

    /// Removes a directory tree made by `temporaryDirectory`.
    public static func removeTree(_ path: String) {
        precondition(path.hasPrefix("/tmp/hakit-test-"), "refusing to remove \(path)")
        _ = try? run(["rm", "-rf", "--one-file-system", path])
    }

    /// Writes an executable script.
    public static func writeScript(_ path: String, _ text: String) throws {
        try FileSystem.writeAtomically(path, contents: text, mode: 0o755)
    }

    /// Whether the tests run as root (namespaces and installs need it).
    public static var isRoot: Bool { geteuid() == 0 }
}
