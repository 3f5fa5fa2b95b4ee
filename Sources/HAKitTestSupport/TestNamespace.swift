#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import Synchronization

/// Makes namespace names unique within a test process: parameterised cases run in parallel.
private let namespaceCounter = Atomic<Int>(0)

/// `ip` failed: its arguments, exit and standard error.
public struct IPCommandError: Error, CustomStringConvertible {
    /// The arguments after `ip`.
    public let arguments: [String]
    /// How it ended.
    public let termination: Termination?
    /// What it printed on standard error.
    public let errorOutput: String

    public var description: String {
        "ip \(arguments.joined(separator: " ")): \(termination?.description ?? "not reaped"): \(errorOutput)"
    }
}

/// Runs iproute2's `ip` for test set-up and cross-checks; the products never do.
public enum IPCommand {
    /// Runs `ip` with these arguments and returns its standard output; throws unless it exits 0.
    @discardableResult
    public static func run(_ arguments: [String]) throws -> String {
        let result = try ProcessRun.run(
            path: "ip", arguments: ["ip"] + arguments, environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"],
            timeoutMilliseconds: 10_000)
        guard result.termination == .exited(0) else {
            throw IPCommandError(
                arguments: arguments, termination: result.termination,
                errorOutput: String(decoding: result.errorOutput, as: UTF8.self))
        }
        return String(decoding: result.output, as: UTF8.self)
    }
}

/// A network namespace of the test's own, `<prefix>-<tag>-<pid>`, so that tests never touch the
/// host's interfaces and can run in parallel. Deleted when the body returns or throws.
public struct TestNamespace: Sendable {
    /// The namespace name, as `ip netns` knows it.
    public let name: String

    /// Creates the namespace `<prefix>-<tag>-<pid>-<n>` (with `lo` up), runs `body` with it, and
    /// deletes it afterwards.
    public static func with<T>(prefix: String = "hakit-test", _ tag: String, _ body: (TestNamespace) throws -> T) throws -> T {
        let number = namespaceCounter.add(1, ordering: .relaxed).newValue
        let namespace = TestNamespace(name: "\(prefix)-\(tag)-\(getpid())-\(number)")
        precondition(namespace.name.count <= 60, "namespace name \(namespace.name) is too long")
        // A namespace left by a crashed run with the same pid would make `netns add` fail.
        _ = try? IPCommand.run(["netns", "delete", namespace.name])
        try IPCommand.run(["netns", "add", namespace.name])
        defer { _ = try? IPCommand.run(["netns", "delete", namespace.name]) }
        try namespace.ip("link", "set", "dev", "lo", "up")
        return try body(namespace)
    }

    /// Runs `ip -n <namespace> <arguments>` and returns its output.
    @discardableResult
    public func ip(_ arguments: String...) throws -> String {
        try IPCommand.run(["-n", name] + arguments)
    }

    /// A silent cut of this namespace's unicast IPv4 traffic to `address` on `device`: a permanent
    /// neighbour entry with a MAC address no host has (00:00:5e:00:53:01, RFC 7042's documentation
    /// range), so the frames leave and nobody takes them, as when the switch between two nodes
    /// fails. The link stays up with its carrier (setting it down is what a node cut off by its
    /// administrator sees, which a daemon may tell apart). `lost: false` removes the entry.
    public func loseTraffic(to address: String, on device: String, lost: Bool = true) throws {
        if lost {
            try ip("neigh", "replace", address, "lladdr", "00:00:5e:00:53:01", "nud", "permanent", "dev", device)
        } else {
            try ip("neigh", "del", address, "dev", device)
        }
    }

    /// Adds a veth pair `first`/`second` inside the namespace and sets both ends up.
    public func addVethPair(_ first: String, _ second: String) throws {
        try ip("link", "add", first, "type", "veth", "peer", "name", second)
        for name in [first, second] { try ip("link", "set", "dev", name, "up") }
    }

    /// Runs a command inside the namespace (`ip netns exec`) with an environment.
    @discardableResult
    public func exec(
        _ arguments: [String], environment: [String: String] = [:], timeoutMilliseconds: Int = 60_000
    ) throws -> TestSupport.CommandResult {
        var full = ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]
        full.merge(environment) { $1 }
        return try TestSupport.run(["ip", "netns", "exec", name] + arguments, environment: full, timeoutMilliseconds: timeoutMilliseconds)
    }

    /// The IPv4 addresses inside the namespace, one `ip -o -4 addr` line each.
    public func addressLines() throws -> [String] {
        try ip("-o", "-4", "addr", "show").split(separator: "\n").map(String.init)
    }

    /// Whether the IPv4 address is configured on any interface inside the namespace.
    public func hasAddress(_ address: String) throws -> Bool {
        try addressLines().contains { $0.contains(" inet \(address)/") }
    }

    /// The host pids of the processes in the namespace (`ip netns pids`): all of them the
    /// test's own, since the test made the namespace.
    public func processIDs() throws -> [pid_t] {
        try IPCommand.run(["netns", "pids", name]).split(separator: "\n").compactMap { pid_t($0) }
    }

    /// The executables of the processes in the namespace.
    public func programs() throws -> [String] {
        try processIDs().compactMap(ProcessTable.executable)
    }

    /// SIGKILL to every process in the namespace, as a power cut would end them.
    public func killEverything() {
        for pid in (try? processIDs()) ?? [] { kill(pid, SIGKILL) }
    }
}
