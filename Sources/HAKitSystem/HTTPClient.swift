import CCurlShim

/// One GET request for `HTTPClient`.
public struct HTTPRequest: Sendable {
    /// The URL (`http://` or `https://`).
    public var url: String
    /// The whole request's time limit, connecting included.
    public var timeoutMilliseconds: Int
    /// Follow redirects (up to `maximumRedirects`).
    public var followRedirects: Bool
    /// The most redirects followed.
    public var maximumRedirects: Int
    /// A local address to send from, e.g. `127.0.0.1`; the kernel's choice when `nil`.
    public var localAddress: String?
    /// Resolve host names to IPv6 addresses only.
    public var ipv6Only: Bool
    /// Basic authentication user name.
    public var user: String?
    /// Basic authentication password.
    public var password: String?
    /// A PEM file of certificates to trust for https instead of the system's.
    public var trustedCertificatesFile: String?
    /// The most body bytes kept; the transfer stops once they are in.
    public var maximumBodyBytes: Int
    /// Send even a plain-HTTP request through libcurl (tests compare the two paths with it).
    public var viaLibcurl: Bool = false

    /// Describes a GET request. Proxies are never used: environment variables such as
    /// `http_proxy` are ignored.
    public init(
        url: String, timeoutMilliseconds: Int, followRedirects: Bool = true, maximumRedirects: Int = 10,
        localAddress: String? = nil, ipv6Only: Bool = false, user: String? = nil, password: String? = nil,
        trustedCertificatesFile: String? = nil, maximumBodyBytes: Int = 1 << 20
    ) {
        self.url = url
        self.timeoutMilliseconds = timeoutMilliseconds
        self.followRedirects = followRedirects
        self.maximumRedirects = maximumRedirects
        self.localAddress = localAddress
        self.ipv6Only = ipv6Only
        self.user = user
        self.password = password
        self.trustedCertificatesFile = trustedCertificatesFile
        self.maximumBodyBytes = maximumBodyBytes
    }
}

/// What a server answered.
public struct HTTPResponse: Sendable {
    /// The status code of the last response (after redirects).
    public var statusCode: Int
    /// The body, at most `HTTPRequest.maximumBodyBytes` of it.
    public var body: [UInt8]

    /// The body as text (invalid UTF-8 repaired, NUL bytes kept).
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// HTTP GET: plain `http://` natively (`PlainHTTP`), `https://` through libcurl, loaded with
/// `dlopen` on the first https request (see `CCurlShim`): a monitor of a plain-HTTP status page
/// does not pay the ~5 ms of loading libcurl and its TLS stack.
public struct HTTPClient: Sendable {
    /// Creates a client; nothing is loaded yet.
    public init() {}

    /// Sends a GET request and returns the final response, whatever its status code.
    ///
    /// - Throws: `HTTPError` when no HTTP response arrived (or the request was malformed); of kind
    ///   `.libraryUnavailable` when an https request finds no `libcurl.so.4`.
    public func get(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        if !request.viaLibcurl, let response = try PlainHTTP.get(request) { return response }
        var reason = [CChar](repeating: 0, count: 512)
        guard CCurlShim_load(&reason, reason.count) == 0 else {
            throw HTTPError(.libraryUnavailable, "\(request.url) needs libcurl: \(String(nulTerminated: reason))")
        }
        guard let handle = CCurlShim_easy_init() else {
            throw HTTPError(.transfer, "curl_easy_init failed")
        }
        defer { CCurlShim_easy_cleanup(handle) }
        let sink = BodySink(limit: request.maximumBodyBytes)
        var details = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        let code: CURLcode = details.withUnsafeMutableBufferPointer { buffer in
            let setup = configure(handle, request, sink: sink, errorBuffer: buffer.baseAddress!)
            guard setup == CURLE_OK else { return setup }
            return CCurlShim_easy_perform(handle)
        }
        // Stopping the transfer at the body limit reports a write error; the response is complete enough.
        if code != CURLE_OK && !(code == CURLE_WRITE_ERROR && sink.truncated) {
            let detail = String(nulTerminated: details)
            let text = detail.isEmpty ? String(cString: CCurlShim_easy_strerror(code)) : detail
            throw HTTPError(Self.kind(of: code), curlCode: Int32(code.rawValue), "\(request.url): \(text)")
        }
        var status = 0
        _ = CCurlShim_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(statusCode: status, body: sink.bytes)
    }

    private func configure(
        _ handle: UnsafeMutableRawPointer, _ request: HTTPRequest, sink: BodySink,
        errorBuffer: UnsafeMutablePointer<CChar>
    ) -> CURLcode {
        var options: [(CURLoption, Int)] = [
            (CURLOPT_NOSIGNAL, 1),  // no SIGALRM for timeouts: safe in any process
            (CURLOPT_TIMEOUT_MS, max(1, request.timeoutMilliseconds)),
            (CURLOPT_FOLLOWLOCATION, request.followRedirects ? 1 : 0),
            (CURLOPT_MAXREDIRS, request.maximumRedirects),
            (CURLOPT_NOPROGRESS, 1),
        ]
        if request.ipv6Only { options.append((CURLOPT_IPRESOLVE, Int(CURL_IPRESOLVE_V6))) }
        for (option, value) in options {
            let code = CCurlShim_easy_setopt_long(handle, option, value)
            guard code == CURLE_OK else { return code }
        }
        var strings: [(CURLoption, String)] = [
            (CURLOPT_URL, request.url), (CURLOPT_NOPROXY, "*"), (CURLOPT_PROXY, ""),
            // Neither the URL nor a redirect may lead to file://, ftp:// or any other scheme.
            (CURLOPT_PROTOCOLS_STR, "http,https"), (CURLOPT_REDIR_PROTOCOLS_STR, "http,https"),
        ]
        // "host!" makes libcurl bind to the address itself rather than look for an interface of that name.
        if let address = request.localAddress { strings.append((CURLOPT_INTERFACE, "host!\(address)")) }
        if let user = request.user { strings.append((CURLOPT_USERNAME, user)) }
        if let password = request.password { strings.append((CURLOPT_PASSWORD, password)) }
        if let file = request.trustedCertificatesFile { strings.append((CURLOPT_CAINFO, file)) }
        for (option, value) in strings {
            let code = CCurlShim_easy_setopt_string(handle, option, value)
            guard code == CURLE_OK else { return code }
        }
        let pointers: [(CURLoption, UnsafeMutableRawPointer)] = [
            (CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer)),
            (CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque()),
        ]
        for (option, value) in pointers {
            let code = CCurlShim_easy_setopt_pointer(handle, option, value)
            guard code == CURLE_OK else { return code }
        }
        return CCurlShim_easy_setopt_write_function(handle) { data, size, count, context in
            guard let data, let context else { return 0 }
            return Unmanaged<BodySink>.fromOpaque(context).takeUnretainedValue().append(data, size * count)
        }
    }

    private static func kind(of code: CURLcode) -> HTTPError.Kind {
        switch code {
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_NOT_BUILT_IN, CURLE_UNKNOWN_OPTION,
            CURLE_BAD_FUNCTION_ARGUMENT:
            return .invalidRequest
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .unresolvedHost
        case CURLE_COULDNT_CONNECT, CURLE_INTERFACE_FAILED:
            return .connectionFailed
        case CURLE_OPERATION_TIMEDOUT:
            return .timedOut
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_CRL_BADFILE, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS,
            CURLE_SSL_CLIENTCERT:
            return .tls
        default:
            return .transfer
        }
    }
}

/// Collects the body for the write callback, up to a limit.
private final class BodySink {
    let limit: Int
    var bytes: [UInt8] = []
    var truncated = false

    init(limit: Int) { self.limit = limit }

    /// Appends a chunk; returns the bytes taken (fewer than offered stops the transfer).
    func append(_ data: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        let room = limit - bytes.count
        let taken = min(room, count)
        data.withMemoryRebound(to: UInt8.self, capacity: count) { start in
            bytes.append(contentsOf: UnsafeBufferPointer(start: start, count: taken))
        }
        if taken < count { truncated = true }
        return taken
    }
}
