#if canImport(Glibc)
import Glibc
#endif

/// HTTP/1.1 GET over a plain TCP socket, for `http://` URLs.
///
/// A monitor is a fresh process, and loading libcurl with its TLS stack costs about 5 ms of the
/// 7 an apache monitor takes; a status page on plain HTTP needs none of it. `HTTPClient` asks this
/// first and goes to libcurl only for https (also when a redirect leads there), so both behave the
/// same: no proxy, redirects followed within the limit, the local address bound, basic
/// authentication, the body capped, one deadline for the whole exchange.
enum PlainHTTP {
    /// The response, or `nil` when the request needs libcurl (an https URL or redirect).
    static func get(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse? {
        do { return try exchange(request) } catch {
            throw HTTPError(error.kind, "\(request.url): \(error.message)")
        }
    }

    private static func exchange(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse? {
        let deadline = MonotonicClock.deadline(afterMilliseconds: max(1, request.timeoutMilliseconds))
        var url = try URL(parsing: request.url)
        var redirects = 0
        while true {
            guard url.scheme == "http" else { return nil }
            let response = try fetch(url, request: request, deadline: deadline)
            guard request.followRedirects, [301, 302, 303, 307, 308].contains(response.status),
                let location = response.location
            else {
                return HTTPResponse(statusCode: response.status, body: response.body)
            }
            redirects += 1
            guard redirects <= request.maximumRedirects else {
                throw HTTPError(.transfer, "more than \(request.maximumRedirects) redirects")
            }
            url = try url.resolving(location)
        }
    }

    /// One exchange: connect, send, read the response.
    private static func fetch(_ url: URL, request: HTTPRequest, deadline: Int64) throws(HTTPError) -> RawResponse {
        let connection = try Connection(to: url, request: request, deadline: deadline)
        defer { close(connection.descriptor) }
        var head = "GET \(url.target) HTTP/1.1\r\nHost: \(url.hostHeader)\r\nUser-Agent: hakit\r\nAccept: */*\r\n"
        if let user = request.user ?? url.user {
            let credentials = "\(user):\(request.password ?? url.password ?? "")"
            head += "Authorization: Basic \(Base64.encode(Array(credentials.utf8)))\r\n"
        }
        head += "Connection: close\r\n\r\n"
        try connection.send(Array(head.utf8), url: url)
        var reader = ResponseReader(connection: connection, url: url)
        return try reader.read(limit: request.maximumBodyBytes)
    }

    /// The parts of an http(s) URL a GET needs.
    struct URL {
        var scheme: String
        var host: String
        var port: UInt16
        var target: String
        var user: String?
        var password: String?
        var explicitPort: Bool
        var isIPv6Literal: Bool

        init(parsing text: String) throws(HTTPError) {
            guard let separator = text.firstRange(of: "://") else {
                throw HTTPError(.invalidRequest, "\(text): not a URL")
            }
            scheme = text[..<separator.lowerBound].lowercased()
            guard scheme == "http" || scheme == "https" else {
                throw HTTPError(.invalidRequest, "\(text): unsupported scheme \(scheme) (http and https only)")
            }
            let rest = text[separator.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            var authority = rest[..<authorityEnd]
            var path = String(rest[authorityEnd...])
            if let hash = path.firstIndex(of: "#") { path = String(path[..<hash]) }
            if path.isEmpty {
                target = "/"
            } else if path.hasPrefix("?") {
                target = "/" + path
            } else {
                target = path
            }
            if let at = authority.lastIndex(of: "@") {
                let credentials = authority[..<at]
                if let colon = credentials.firstIndex(of: ":") {
                    user = String(credentials[..<colon])
                    password = String(credentials[credentials.index(after: colon)...])
                } else {
                    user = String(credentials)
                }
                authority = authority[authority.index(after: at)...]
            }
            var portText: Substring?
            if authority.hasPrefix("[") {
                guard let close = authority.firstIndex(of: "]") else {
                    throw HTTPError(.invalidRequest, "\(text): unclosed [ in the host")
                }
                host = String(authority[authority.index(after: authority.startIndex)..<close])
                isIPv6Literal = true
                let after = authority[authority.index(after: close)...]
                if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                    throw HTTPError(.invalidRequest, "\(text): unexpected \(after) after the host")
                }
            } else {
                isIPv6Literal = false
                if let colon = authority.lastIndex(of: ":") {
                    host = String(authority[..<colon])
                    portText = authority[authority.index(after: colon)...]
                } else {
                    host = String(authority)
                }
            }
            guard !host.isEmpty else { throw HTTPError(.invalidRequest, "\(text): no host") }
            explicitPort = portText != nil
            if let portText {
                guard let number = UInt16(portText), number > 0 else {
                    throw HTTPError(.invalidRequest, "\(text): bad port \(portText)")
                }
                port = number
            } else {
                port = scheme == "https" ? 443 : 80
            }
        }

        /// The Host header: the host as written, with the port when one was given.
        var hostHeader: String {
            let name = isIPv6Literal ? "[\(host)]" : host
            return explicitPort ? "\(name):\(port)" : name
        }

        /// A Location header resolved against this URL.
        func resolving(_ location: String) throws(HTTPError) -> URL {
            if location.contains("://") { return try URL(parsing: location) }
            let authority = "\(scheme)://\(hostHeader)"
            if location.hasPrefix("//") { return try URL(parsing: "\(scheme):\(location)") }
            if location.hasPrefix("/") { return try URL(parsing: authority + Self.removingDotSegments(location)) }
            let directory = target.split(separator: "?", maxSplits: 1).first.map { path -> Substring in
                path.lastIndex(of: "/").map { path[...$0] } ?? "/"
            } ?? "/"
            let joined: String = directory + location
            var path = joined
            var query = ""
            if let mark = joined.firstIndex(of: "?") {
                path = String(joined[..<mark])
                query = String(joined[mark...])
            }
            return try URL(parsing: authority + Self.removingDotSegments(path) + query)
        }

        /// `/a/b/../c/./d` → `/a/c/d` (RFC 3986 §5.2.4), as libcurl resolves relative redirects.
        static func removingDotSegments(_ path: String) -> String {
            var output: [Substring] = []
            let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            for (index, segment) in segments.enumerated() {
                let isLast = index == segments.count - 1
                switch segment {
                case ".": if isLast { output.append("") }
                case "..":
                    if !output.isEmpty { output.removeLast() }
                    if isLast { output.append("") }
                default: output.append(segment)
                }
            }
            return "/" + output.joined(separator: "/")
        }
    }

    /// A connected TCP socket with the exchange's deadline.
    struct Connection {
        let descriptor: Int32
        let deadline: Int64

        /// Wraps a descriptor that is already connected, e.g. one end of a socket pair.
        init(descriptor: Int32, deadline: Int64) {
            self.descriptor = descriptor
            self.deadline = deadline
        }

        init(to url: URL, request: HTTPRequest, deadline: Int64) throws(HTTPError) {
            self.deadline = deadline
            var hints = addrinfo()
            hints.ai_family = request.ipv6Only ? AF_INET6 : AF_UNSPEC
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            hints.ai_flags = AI_NUMERICSERV
            var list: UnsafeMutablePointer<addrinfo>?
            // localhost is the loopback whatever /etc/hosts says (RFC 6761), as libcurl has it.
            let lowered = url.host.lowercased()
            let isLocalhost = lowered == "localhost" || lowered.hasSuffix(".localhost")
            let host = isLocalhost ? (request.ipv6Only ? "::1" : "127.0.0.1") : url.host
            let status = getaddrinfo(host, String(url.port), &hints, &list)
            guard status == 0, let first = list else {
                throw HTTPError(.unresolvedHost, "\(url.host): \(String(cString: gai_strerror(status)))")
            }
            defer { freeaddrinfo(list) }
            var lastProblem = "no address"
            var entry: UnsafeMutablePointer<addrinfo>? = first
            while let current = entry {
                entry = current.pointee.ai_next
                let info = current.pointee
                let fd = socket(info.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
                guard fd >= 0 else { continue }
                if let local = request.localAddress, !Self.bind(fd, family: info.ai_family, to: local) {
                    lastProblem = "cannot send from \(local): \(String(cString: strerror(errno)))"
                    close(fd)
                    continue
                }
                if connect(fd, info.ai_addr, info.ai_addrlen) == 0 || errno == EINPROGRESS {
                    if let problem = Self.waitConnected(fd, deadline: deadline) {
                        lastProblem = problem
                        close(fd)
                        if problem == "timed out" { throw HTTPError(.timedOut, "\(url.hostHeader): connecting timed out") }
                        continue
                    }
                    descriptor = fd
                    return
                }
                lastProblem = String(cString: strerror(errno))
                close(fd)
            }
            throw HTTPError(.connectionFailed, "\(url.hostHeader): \(lastProblem)")
        }

        private static func bind(_ fd: Int32, family: Int32, to local: String) -> Bool {
            if family == AF_INET6 {
                var address = sockaddr_in6()
                address.sin6_family = sa_family_t(AF_INET6)
                guard inet_pton(AF_INET6, local, &address.sin6_addr) == 1 else { return false }
                return withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) == 0 }
                }
            }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            guard inet_pton(AF_INET, local, &address.sin_addr) == 1 else { return false }
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
        }

        /// `nil` once connected, else why not.
        private static func waitConnected(_ fd: Int32, deadline: Int64) -> String? {
            var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            while true {
                let remaining = deadline - MonotonicClock.milliseconds()
                if remaining <= 0 { return "timed out" }
                let ready = poll(&entry, 1, Int32(clamping: remaining))
                if ready < 0 && errno == EINTR { continue }
                if ready == 0 { return "timed out" }
                var error: Int32 = 0
                var length = socklen_t(4)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                return error == 0 ? nil : String(cString: strerror(error))
            }
        }

        /// Waits until readable (or writable) before the deadline.
        func wait(for events: Int16, url: URL) throws(HTTPError) {
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            while true {
                let remaining = deadline - MonotonicClock.milliseconds()
                if remaining <= 0 { throw HTTPError(.timedOut, "\(url.hostHeader): timed out") }
                let ready = poll(&entry, 1, Int32(clamping: remaining))
                if ready > 0 { return }
                if ready < 0 && errno != EINTR { throw HTTPError(.transfer, "\(url.hostHeader): poll: \(String(cString: strerror(errno)))") }
            }
        }

        func send(_ bytes: [UInt8], url: URL) throws(HTTPError) {
            var offset = 0
            while offset < bytes.count {
                try wait(for: Int16(POLLOUT), url: url)
                let count = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if count < 0 {
                    if errno == EAGAIN || errno == EINTR { continue }
                    throw HTTPError(.transfer, "\(url.hostHeader): sending the request: \(String(cString: strerror(errno)))")
                }
                offset += count
            }
        }

        /// Reads what is there (waiting for it); empty at the end of the stream.
        func receive(url: URL) throws(HTTPError) -> [UInt8] {
            var buffer = [UInt8](repeating: 0, count: 16384)
            while true {
                try wait(for: Int16(POLLIN), url: url)
                let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                if count >= 0 { return Array(buffer[..<count]) }
                if errno == EAGAIN || errno == EINTR { continue }
                throw HTTPError(.transfer, "\(url.hostHeader): receiving: \(String(cString: strerror(errno)))")
            }
        }
    }

    struct RawResponse {
        var status: Int
        var location: String?
        var body: [UInt8]
    }

    /// Reads one response: status line, headers, and a body delimited by Content-Length, chunked
    /// transfer coding or the end of the connection; kept up to `limit` bytes.
    struct ResponseReader {
        let connection: Connection
        let url: URL
        var buffer: [UInt8] = []
        var ended = false

        init(connection: Connection, url: URL) {
            self.connection = connection
            self.url = url
        }

        mutating func read(limit: Int) throws(HTTPError) -> RawResponse {
            while true {
                let head = try readHead()
                // Split the bytes, not the String: "\r\n" is a single Character in Swift.
                let lines = head.split(separator: 10).map { String(decoding: $0.last == 13 ? $0.dropLast() : $0, as: UTF8.self)[...] }
                let statusWords = lines.first?.split(separator: " ", maxSplits: 2) ?? []
                guard statusWords.count >= 2, statusWords[0].hasPrefix("HTTP/"), let status = Int(statusWords[1]) else {
                    throw HTTPError(.transfer, "\(url.hostHeader): not an HTTP response: \(lines.first ?? "")")
                }
                if (100..<200).contains(status) { continue }  // 100 Continue and the like: the real answer follows
                var headers: [String: String] = [:]
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingSpaces
                }
                var body: [UInt8]
                if status == 204 || status == 304 {
                    body = []
                } else if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
                    body = try readChunked(limit: limit)
                } else if let text = headers["content-length"] {
                    // The digits that start it, after an optional +, as libcurl reads it (Int alone would
                    // take a negative length); none is an error.
                    let digits = (text.hasPrefix("+") ? text.dropFirst() : text[...]).prefix { $0.isASCII && $0.isNumber }
                    guard !digits.isEmpty else {
                        throw HTTPError(.transfer, "\(url.hostHeader): invalid Content-Length \(text)")
                    }
                    if let length = Int(digits) {
                        body = try readExactly(min(length, limit), allowShort: false)
                    } else {
                        body = try readToEnd(limit: limit)  // too large to count: to the end, as libcurl does
                    }
                } else {
                    body = try readToEnd(limit: limit)
                }
                if body.count > limit { body = Array(body.prefix(limit)) }
                return RawResponse(status: status, location: headers["location"], body: body)
            }
        }

        private mutating func fill() throws(HTTPError) -> Bool {
            guard !ended else { return false }
            let bytes = try connection.receive(url: url)
            if bytes.isEmpty { ended = true; return false }
            buffer += bytes
            return true
        }

        private mutating func readHead() throws(HTTPError) -> [UInt8] {
            while true {
                if let end = Self.headEnd(buffer) {
                    let head = Array(buffer[..<end.head])
                    buffer.removeFirst(end.body)
                    return head
                }
                guard buffer.count < 64 * 1024 else { throw HTTPError(.transfer, "\(url.hostHeader): response headers too long") }
                guard try fill() else {
                    throw HTTPError(.transfer, "\(url.hostHeader): connection closed before a complete response")
                }
            }
        }

        private static func headEnd(_ bytes: [UInt8]) -> (head: Int, body: Int)? {
            var index = 0
            while index < bytes.count {
                if bytes[index] == 10 {
                    if index + 1 < bytes.count && bytes[index + 1] == 10 { return (index, index + 2) }
                    if index + 2 < bytes.count && bytes[index + 1] == 13 && bytes[index + 2] == 10 { return (index, index + 3) }
                }
                index += 1
            }
            return nil
        }

        private mutating func readExactly(_ count: Int, allowShort: Bool) throws(HTTPError) -> [UInt8] {
            while buffer.count < count {
                guard try fill() else {
                    if allowShort { break }
                    throw HTTPError(.transfer, "\(url.hostHeader): connection closed inside the body")
                }
            }
            let taken = Array(buffer.prefix(count))
            buffer.removeFirst(taken.count)
            return taken
        }

        private mutating func readToEnd(limit: Int) throws(HTTPError) -> [UInt8] {
            while buffer.count < limit, try fill() {}
            return Array(buffer.prefix(limit))
        }

        private mutating func readLine() throws(HTTPError) -> String {
            while true {
                if let newline = buffer.firstIndex(of: 10) {
                    let line = buffer[..<newline]
                    buffer.removeFirst(newline + 1)
                    return String(decoding: line.last == 13 ? line.dropLast() : line, as: UTF8.self)
                }
                guard try fill() else { throw HTTPError(.transfer, "\(url.hostHeader): connection closed inside a chunk") }
            }
        }

        private mutating func readChunked(limit: Int) throws(HTTPError) -> [UInt8] {
            var body: [UInt8] = []
            while body.count < limit {
                let sizeLine = try readLine()
                let sizeText = sizeLine.split(separator: ";").first.map { $0.trimmingSpaces } ?? ""
                // Hex digits only, as libcurl reads them: Int(radix:) would also take a sign, and a negative size.
                guard !sizeText.isEmpty, sizeText.allSatisfy(\.isHexDigit), let size = Int(sizeText, radix: 16) else {
                    throw HTTPError(.transfer, "\(url.hostHeader): bad chunk size \(sizeLine)")
                }
                if size == 0 { break }
                body += try readExactly(size, allowShort: false)
                _ = try readLine()
            }
            return body
        }
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
