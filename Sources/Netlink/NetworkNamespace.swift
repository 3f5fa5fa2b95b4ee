import CHAKitShims
import CMnl
import HAKitSystem

#if canImport(Glibc)
import Glibc
#endif

/// Creates netlink sockets inside named network namespaces (`/run/netns/<name>`).
enum NetworkNamespace {
    /// Opens an `AF_NETLINK`/`NETLINK_ROUTE` socket inside the named namespace and returns its descriptor.
    static func routeSocket(inNamespaceNamed name: String) throws -> Int32 {
        try Namespaces.socket(
            inNetworkNamespace: name, domain: AF_NETLINK, type: Int32(SOCK_RAW.rawValue), protocol: NETLINK_ROUTE,
            purpose: "a netlink socket")
    }
}
