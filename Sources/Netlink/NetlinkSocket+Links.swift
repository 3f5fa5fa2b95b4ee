#if canImport(Glibc)
import Glibc
#endif

extension NetlinkSocket {
    /// Every network interface in the socket's namespace, in the kernel's order (by index).
    public func links() throws -> [Link] {
        try dump(.dumpLinks(), "listing links").compactMap(Link.init)
    }

    /// The interface with this name, or `nil` if there is none.
    public func link(named name: String) throws -> Link? {
        // The kernel takes names of at most IFNAMSIZ - 1 bytes; longer or empty ones name nothing.
        guard !name.isEmpty, name.utf8.count < IFNAMSIZ else { return nil }
        return try lookUpLink(.getLink(index: 0, name: name), "looking up interface \(name)")
    }

    /// The interface with this index, or `nil` if there is none.
    public func link(index: Int32) throws -> Link? {
        guard index > 0 else { return nil }
        return try lookUpLink(.getLink(index: index), "looking up interface \(index)")
    }

    /// Sets an interface administratively up (`IFF_UP`), as `ip link set dev X up`; a no-op if it is up.
    public func setLinkUp(index: Int32) throws {
        _ = try exchange(.setLinkUp(index: index), "setting \(interfaceName(index)) up")
    }

    /// `RTM_GETLINK` for one interface; the kernel answers ENODEV when it does not exist.
    private func lookUpLink(_ request: Request, _ operation: String) throws -> Link? {
        do {
            return try exchange(request, operation).lazy.compactMap(Link.init).first
        } catch let error as NetlinkError where error.errno == ENODEV {
            return nil
        }
    }

    /// The interface's name for error messages, or `interface <index>` if it cannot be looked up.
    func interfaceName(_ index: Int32) -> String {
        if let link = try? link(index: index) { return link.name }
        return "interface \(index)"
    }
}
