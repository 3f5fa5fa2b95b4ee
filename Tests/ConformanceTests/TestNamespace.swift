#if canImport(Glibc)
    import Glibc
#endif
import HAKitTestSupport
import Testing

/// A network namespace a test makes and deletes itself: `hakit-conf-<pid>-<label>`, holding a
/// veth pair eth0/eth0-p, both up, with one base address. Nothing on the host is touched.
struct TestNamespace {
    let name: String

    /// Creates the namespace; deletes it again when any step fails.
    init(_ label: String, baseAddress: String) throws {
        name = "hakit-conf-\(getpid())-\(label)"
        try Self.ip(["netns", "add", name])
        do {
            try Self.ip(["-n", name, "link", "set", "lo", "up"])
            try Self.ip(["-n", name, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0-p"])
            try Self.ip(["-n", name, "link", "set", "eth0", "up"])
            try Self.ip(["-n", name, "link", "set", "eth0-p", "up"])
            try Self.ip(["-n", name, "addr", "add", baseAddress, "dev", "eth0"])
        } catch {
            delete()
            throw error
        }
    }

    /// A command line that runs `arguments` inside the namespace.
    func exec(_ arguments: [String]) -> [String] { ["ip", "netns", "exec", name] + arguments }

    /// Deletes the namespace.
    func delete() { _ = try? TestSupport.run(["ip", "netns", "delete", name]) }

    /// Runs `ip`; a failure is an error naming the command.
    static func ip(_ arguments: [String]) throws {
        let result = try TestSupport.run(["ip"] + arguments)
        guard result.status == 0 else {
            throw NamespaceError(command: (["ip"] + arguments).joined(separator: " "), output: result.errorOutput)
        }
    }

    /// The namespaces whose name starts with a prefix (to prove none is left behind).
    static func existing(prefix: String) throws -> [String] {
        let listing = try TestSupport.run(["ip", "netns", "list"]).output
        return listing.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { $0.hasPrefix(prefix) }
    }
}

/// An `ip` command a test needed failed.
struct NamespaceError: Error, CustomStringConvertible {
    var command: String
    var output: String
    var description: String { "\(command): \(output)" }
}
