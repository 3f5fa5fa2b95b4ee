import HAKitTestSupport
import Netlink

extension TestNamespace {
    /// Creates a `hakit-nl-<tag>-<pid>` namespace for the duration of `body`.
    static func with<T>(_ tag: String, _ body: (TestNamespace) throws -> T) throws -> T {
        try with(prefix: "hakit-nl", tag, body)
    }

    /// A netlink socket opened inside the namespace.
    func socket() throws -> NetlinkSocket {
        try NetlinkSocket(networkNamespace: name)
    }
}
