/// The server's own address as the reference agent builds it: `http://` plus the first `Listen`
/// (a bare port becomes `localhost:PORT`), or `http://localhost:PORT` when there is no `Listen`.
struct LocalURL: Equatable, Sendable {
    /// The base, e.g. `http://192.0.2.10:80`, without a trailing slash.
    let base: String

    /// Builds the base from the first `Listen` argument and the port to use without one.
    init(listen: String?, port: Int) {
        if let listen, !listen.isEmpty {
            base = "http://" + (listen.contains(":") ? listen : "localhost:\(listen)")
        } else {
            base = "http://localhost:\(port)"
        }
    }

    /// The default status URL: the base plus the server-status location (the base alone without one).
    func status(location: String?) -> String { base + (location ?? "") }

    /// A test URL: used as it is when it starts with `http`, else taken as relative to the base.
    func resolve(_ url: String) -> String { url.hasPrefix("http") ? url : base + url }

    /// Whether a URL's host is an IPv6 literal (`http://[::1]:80/`), which needs the IPv6 loopback.
    static func hasIPv6Host(_ url: String) -> Bool {
        guard let scheme = url.firstRange(of: "://") else { return false }
        return url[scheme.upperBound...].hasPrefix("[")
    }
}
