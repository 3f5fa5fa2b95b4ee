import HAKitSystem
import HAKitTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A pthread that can be joined (Foundation's Thread cannot).
final class JoinableThread: @unchecked Sendable {
    private var thread = pthread_t()
    private let body: @Sendable () -> Void

    init(_ body: @escaping @Sendable () -> Void) { self.body = body }

    func start() {
        let context = Unmanaged.passRetained(self).toOpaque()
        pthread_create(&thread, nil, { argument in
            let me = Unmanaged<JoinableThread>.fromOpaque(argument!).takeRetainedValue()
            me.body()
            return nil
        }, context)
    }

    func join() { pthread_join(thread, nil) }
}

/// The native HTTP/1.1 client against a small scripted server, and next to libcurl on the same
/// answers. Server and client run on threads that entered a network namespace of the test's own
/// (setns applies per thread), on that namespace's loopback.
@Suite struct PlainHTTPTests {
    /// Canned answers by request path; `/auth` checks basic authentication.
    static func answer(to request: String) -> String {
        let path = request.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
        switch path {
        case "/plain":
            return "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello"
        case "/chunked":
            return "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n6\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\n\r\n"
        case "/redirect":
            return "HTTP/1.1 302 Found\r\nLocation: /plain\r\nContent-Length: 0\r\n\r\n"
        case "/relative/redirect":
            return "HTTP/1.1 301 Moved\r\nLocation: ../plain\r\nContent-Length: 0\r\n\r\n"
        case "/loop":
            return "HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n"
        case "/untilclose":
            return "HTTP/1.0 200 OK\r\n\r\nno length, ends with the connection"
        case "/auth":
            // "user:secret" in base64.
            let good = request.contains("Authorization: Basic dXNlcjpzZWNyZXQ=")
            return good
                ? "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nwelcome"
                : "HTTP/1.1 401 Unauthorized\r\nContent-Length: 6\r\n\r\ndenied"
        case "/big":
            return "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + String(repeating: "x", count: 100_000)
        case "/continue":
            return "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        case "/negative-length":
            return "HTTP/1.1 200 OK\r\nContent-Length: -10\r\n\r\nhello"
        case "/rubbish-length":
            return "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\nhello"
        case "/plus-length":
            return "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello"
        case "/trailing-length":
            return "HTTP/1.1 200 OK\r\nContent-Length: 5 bytes\r\n\r\nhello"
        case "/huge-length":
            return "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\nhello"
        case "/negative-chunk":
            return "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n"
        case "/plus-chunk":
            return "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n+5\r\nhello\r\n0\r\n\r\n"
        case "/silent":
            return ""
        default:
            return "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found"
        }
    }

    /// Runs `body` on a thread inside a fresh namespace with the scripted server on 127.0.0.1:8080.
    func withServer(_ body: @escaping @Sendable () throws -> Void) throws {
        try TestNamespace.with("plainhttp") { namespace in
            let name = namespace.name
            let failure = Mutex<String?>(nil)
            let ready = Atomic<Bool>(false)
            let done = Atomic<Bool>(false)
            let server = JoinableThread {
                do {
                    try Namespaces.enterNetworkNamespace(named: name)
                    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                    var one: Int32 = 1
                    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, 4)
                    var address = sockaddr_in()
                    address.sin_family = sa_family_t(AF_INET)
                    address.sin_port = UInt16(8080).bigEndian
                    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
                    let bound = withUnsafePointer(to: &address) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                    }
                    guard bound == 0, listen(fd, 16) == 0 else { throw SystemError(errno: errno, "server bind") }
                    defer { close(fd) }
                    ready.store(true, ordering: .releasing)
                    while !done.load(ordering: .acquiring) {
                        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                        guard poll(&entry, 1, 50) > 0 else { continue }
                        let client = accept(fd, nil, nil)
                        guard client >= 0 else { continue }
                        var request: [UInt8] = []
                        var buffer = [UInt8](repeating: 0, count: 4096)
                        while !String(decoding: request, as: UTF8.self).contains("\r\n\r\n") {
                            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
                            if count <= 0 { break }
                            request += buffer[..<count]
                        }
                        let text = String(decoding: request, as: UTF8.self)
                        let reply = Array(Self.answer(to: text).utf8)
                        if reply.isEmpty {
                            usleep(300_000)
                        } else {
                            _ = reply.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                        }
                        close(client)
                    }
                } catch {
                    failure.withLock { $0 = "\(error)" }
                    ready.store(true, ordering: .releasing)
                }
            }
            server.start()
            defer {
                done.store(true, ordering: .releasing)
                server.join()
            }
            while !ready.load(ordering: .acquiring) { usleep(1000) }
            if let problem = failure.withLock({ $0 }) { Issue.record("server: \(problem)"); return }
            let client = JoinableThread {
                do {
                    try Namespaces.enterNetworkNamespace(named: name)
                    try body()
                } catch {
                    failure.withLock { $0 = "\(error)" }
                }
            }
            client.start()
            client.join()
            if let problem = failure.withLock({ $0 }) { Issue.record("\(problem)") }
        }
    }

    static func get(_ path: String, viaLibcurl: Bool = false, limit: Int = 1 << 20, user: String? = nil, password: String? = nil, timeout: Int = 2000) throws -> HTTPResponse {
        var request = HTTPRequest(
            url: "http://127.0.0.1:8080\(path)", timeoutMilliseconds: timeout, maximumRedirects: 3, user: user, password: password,
            maximumBodyBytes: limit)
        request.viaLibcurl = viaLibcurl
        return try HTTPClient().get(request)
    }

    @Test func nativeAnswersAgreeWithLibcurl() throws {
        try withServer {
            for path in ["/plain", "/chunked", "/redirect", "/relative/redirect", "/untilclose", "/nothing", "/continue"] {
                let native = try Self.get(path)
                let curl = try Self.get(path, viaLibcurl: true)
                #expect(native.statusCode == curl.statusCode, "\(path)")
                #expect(native.text == curl.text, "\(path)")
            }
            #expect(try Self.get("/chunked").text == "Wikipedia in \r\n\r\nchunks.")
            #expect(try Self.get("/redirect").text == "hello")
            #expect(try Self.get("/nothing").statusCode == 404)
        }
    }

    /// Found by fuzz/http: a negative Content-Length trapped (a prefix of negative length).
    @Test func malformedContentLengthIsRefusedAsByLibcurl() throws {
        try withServer {
            for path in ["/negative-length", "/rubbish-length"] {
                #expect(throws: HTTPError.self, "\(path)") { try Self.get(path) }
                #expect(throws: HTTPError.self, "\(path) via libcurl") { try Self.get(path, viaLibcurl: true) }
            }
            for path in ["/plus-length", "/trailing-length", "/huge-length"] {
                let native = try Self.get(path)
                let curl = try Self.get(path, viaLibcurl: true)
                #expect(native.text == "hello" && curl.text == "hello", "\(path)")
            }
        }
    }

    /// Found by fuzz/http: a chunk size of -1a trapped (a prefix of negative length).
    @Test func signedChunkSizeIsRefusedAsByLibcurl() throws {
        try withServer {
            for path in ["/negative-chunk", "/plus-chunk"] {
                #expect(throws: HTTPError.self, "\(path)") { try Self.get(path) }
                #expect(throws: HTTPError.self, "\(path) via libcurl") { try Self.get(path, viaLibcurl: true) }
            }
        }
    }

    @Test func authenticationLimitsAndFailures() throws {
        try withServer {
            #expect(try Self.get("/auth").statusCode == 401)
            let welcomed = try Self.get("/auth", user: "user", password: "secret")
            #expect(welcomed.statusCode == 200 && welcomed.text == "welcome")
            #expect(try Self.get("/big", limit: 1000).body.count == 1000)
            #expect(try Self.get("/big").body.count == 100_000)
            #expect { try Self.get("/loop") } throws: { ($0 as? HTTPError)?.message.contains("more than 3 redirects") == true }
            #expect { try Self.get("/silent", timeout: 200) } throws: { ($0 as? HTTPError)?.kind == .timedOut }
            let refused = HTTPRequest(url: "http://127.0.0.1:8081/", timeoutMilliseconds: 500)
            #expect { try HTTPClient().get(refused) } throws: {
                let error = $0 as? HTTPError
                return error?.kind == .connectionFailed && error?.message.hasPrefix("http://127.0.0.1:8081/: ") == true
            }
        }
    }
}
