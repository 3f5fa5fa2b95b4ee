/// Why no interface could be chosen for an address.
public struct InterfaceSelectionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure, for callers that map it to an exit code.
    public struct Code: Hashable, Sendable {
        private enum Base: Hashable, Sendable {
            case noRoute, defaultRouteOnly, netmaskWiderThanRoute, noSuchInterface, linkLocalNeedsInterface
        }

        private let base: Base

        /// No directly connected route reaches the address ("Unable to find nic or netmask").
        public static let noRoute = Code(base: .noRoute)
        /// Only the default route reaches the address, and no netmask was given.
        public static let defaultRouteOnly = Code(base: .defaultRouteOnly)
        /// The given netmask is wider than the prefix of every connected route that reaches the address.
        public static let netmaskWiderThanRoute = Code(base: .netmaskWiderThanRoute)
        /// The given interface, or the one a route names, does not exist.
        public static let noSuchInterface = Code(base: .noSuchInterface)
        /// An IPv6 link-local address (`fe80::/10`) was given without an interface: every link has
        /// that prefix, so no route can choose one.
        public static let linkLocalNeedsInterface = Code(base: .linkLocalNeedsInterface)
    }

    /// The kind of failure.
    public let code: Code
    /// A sentence for the operator, e.g. `Unable to find nic or netmask for 198.51.100.3`.
    public let description: String

    static func noRoute(_ address: some CustomStringConvertible, nic: String?) -> Self {
        Self(
            code: .noRoute,
            description: "Unable to find nic or netmask for \(address)\(nic.map { " on \($0)" } ?? "")"
        )
    }

    static func defaultRouteOnly(_ address: some CustomStringConvertible) -> Self {
        Self(
            code: .defaultRouteOnly,
            description: "Unable to find nic or netmask for \(address): only the default route reaches it, "
                + "so cidr_netmask must be given"
        )
    }

    static func netmaskWider(_ netmask: Int, than route: IPRoute<some IPAddress>, on interface: String) -> Self {
        netmaskWider(netmask, than: "\(route.destination)/\(route.prefixLength)", on: interface)
    }

    private static func netmaskWider(_ netmask: Int, than route: String, on interface: String) -> Self {
        Self(
            code: .netmaskWiderThanRoute,
            description: "cidr_netmask \(netmask) is wider than the route \(route) "
                + "on \(interface)"
        )
    }

    static func linkLocalNeedsInterface(_ address: IPv6Address) -> Self {
        Self(
            code: .linkLocalNeedsInterface,
            description: "'nic' parameter is mandatory for a link local address [\(address)]"
        )
    }

    static func noSuchInterface(_ name: String) -> Self {
        Self(code: .noSuchInterface, description: "interface \(name) does not exist")
    }
}
