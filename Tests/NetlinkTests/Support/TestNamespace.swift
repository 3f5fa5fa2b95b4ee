import HAKitSystem
import Netlink

#if canImport(Glibc)
import Glibc
#endif

/// A network namespace of the test's own, `hakit-nl-<tag>-<pid>`, so that tests never touch the
/// host's interfaces and can run in parallel.
struct TestNamespace {
    /// The namespace name, as `ip netns` knows it.
    let name: String

    /// Creates the namespace, runs `body` with it, and deletes it afterwards, also when `body` throws.
    static func with<T>(_ tag: String, _ body: (TestNamespace) throws -> T) throws -> T {
        let namespace = TestNamespace(name: "hakit-nl-\(tag)-\(getpid())")
        // A namespace left by a crashed run with the same pid would make `netns add` fail.
        _ = try? IPCommand.run(["netns", "delete", namespace.name])
        try IPCommand.run(["netns", "add", namespace.name])
        defer { _ = try? IPCommand.run(["netns", "delete", namespace.name]) }
        return try body(namespace)
    }

    /// Runs `ip -n <namespace> <arguments>` and returns its output.
    @discardableResult
    func ip(_ arguments: String...) throws -> String {
        try IPCommand.run(["-n", name] + arguments)
    }

    /// Adds a veth pair `first`/`second` inside the namespace and sets both ends and `lo` up.
    func addVethPair(_ first: String, _ second: String) throws {
        try ip("link", "add", first, "type", "veth", "peer", "name", second)
        for name in ["lo", first, second] { try ip("link", "set", "dev", name, "up") }
    }

    /// A netlink socket opened inside the namespace.
    func socket() throws -> NetlinkSocket {
        try NetlinkSocket(networkNamespace: name)
    }
}
