import HAKitSystem

/// Fetches pages from the local server the way the reference's `wget`/`curl` calls do: from the
/// loopback address, no proxy, following redirects, and looks for a pattern in the body.
struct WebProbe {
    /// What a probe found.
    enum Outcome: Equatable {
        /// The page answered and matched.
        case passed
        /// Why not: no answer, or an answer that did not match.
        case failed(String)
        /// The URL needs libcurl (https), which is not installed.
        case unavailable(String)
    }

    let client: HTTPClient
    /// The address requests are sent from: `127.0.0.1`, or `::1` for IPv6.
    let localAddress: String
    let ipv6: Bool

    /// Creates a probe; libcurl is loaded only if an https URL needs it.
    init(ipv6: Bool) {
        client = HTTPClient()
        self.ipv6 = ipv6
        localAddress = ipv6 ? "::1" : "127.0.0.1"
    }

    /// Fetches a URL before the deadline (monotonic milliseconds) and matches the body of a
    /// response below 400.
    func check(
        _ url: String, matches regex: ExtendedRegex, user: String? = nil, password: String? = nil, deadline: Int64
    ) -> Outcome {
        do {
            let response = try client.get(request(url, deadline: deadline, user: user, password: password))
            // An error page is no status page, even if its HTML matches (wget, the reference's
            // preferred client, prints no body for it either).
            if response.statusCode >= 400 { return .failed("\(url) answered HTTP \(response.statusCode)") }
            if regex.matches(response.text) { return .passed }
            return .failed("\(url) answered HTTP \(response.statusCode) without a match for \(regex.pattern)")
        } catch {
            return error.kind == .libraryUnavailable ? .unavailable(error.message) : .failed(error.message)
        }
    }

    /// Whether the server answers a URL at all, with any status below 500: the reference's last
    /// resort when nothing says what to monitor (a 404 or 403 still proves a working server).
    func answers(_ url: String, deadline: Int64) -> Bool {
        guard let response = try? client.get(request(url, deadline: deadline)) else { return false }
        return response.statusCode > 0 && response.statusCode < 500
    }

    private func request(_ url: String, deadline: Int64, user: String? = nil, password: String? = nil) -> HTTPRequest {
        HTTPRequest(
            url: url, timeoutMilliseconds: Int(max(1, deadline - MonotonicClock.milliseconds())),
            localAddress: localAddress, ipv6Only: ipv6, user: user, password: password)
    }
}
