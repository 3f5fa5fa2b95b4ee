import HAKitSystem

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's control socket: a Unix stream socket (mode 0600, so only root talks to it) taking
/// one request line — `status`, `status json`, `standby SET`, `takeover SET` — and answering with
/// text, then closing. The first answer line is `ok` or `error: reason`.
///
/// Nothing a client does may delay a heartbeat: every client socket is non-blocking and served
/// from the daemon's poll loop as its bytes arrive; a client gets `clientDeadlineMs` from its
/// connection to send its line and read the answer, at most `maximumClients` are connected at once
/// (a new one pushes out the one that has waited longest), and a request line is at most
/// `maximumRequestBytes`.
final class ControlServer {
    let descriptor: Int32
    let path: String
    private var clients: [Client] = []

    /// How long a client has, from its connection, to send its request and take the answer.
    static let clientDeadlineMs: Int64 = 2000
    /// Clients served at once.
    static let maximumClients = 16
    /// The longest request line.
    static let maximumRequestBytes = 512

    private struct Client {
        let descriptor: Int32
        let deadline: Int64
        var request: [UInt8] = []
        var answer: [UInt8]?
        var written = 0
    }

    /// Listens on `path`, replacing a stale socket left by a daemon that died.
    init(path: String) throws {
        self.path = path
        if ControlClient.isAnswering(path) {
            throw SystemError(errno: EADDRINUSE, "control socket \(path): another heartbeat-lite is running")
        }
        unlink(path)
        let fd = try syscall("socket(AF_UNIX)") { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        var ok = false
        defer { if !ok { close(fd) } }
        var address = try ControlClient.address(path)
        let previous = umask(0o077)
        defer { umask(previous) }
        _ = try withUnsafePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                try syscall("binding control socket \(path)") { bind(fd, socketAddress, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
        }
        try syscall("listen on \(path)") { listen(fd, 32) }
        descriptor = fd
        ok = true
    }

    deinit {
        for client in clients { close(client.descriptor) }
        close(descriptor)
        unlink(path)
    }

    /// What to poll: the listening socket, then each client (for its request, or for room to
    /// write the rest of its answer).
    var pollDescriptors: [pollfd] {
        [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
            + clients.map { pollfd(fd: $0.descriptor, events: Int16($0.answer == nil ? POLLIN : POLLOUT), revents: 0) }
    }

    /// The earliest client deadline (ms), if any client is connected.
    var nextDeadline: Int64? { clients.map(\.deadline).min() }

    /// Number of connected clients (for tests and status).
    var clientCount: Int { clients.count }

    /// Serves what `polled` (as returned for `pollDescriptors`) says is ready, and drops clients
    /// past their deadline. Never blocks.
    func serve(_ polled: ArraySlice<pollfd>, now: Int64, _ handler: (String) -> String) {
        var ready: Set<Int32> = []
        for entry in polled.dropFirst() where entry.revents != 0 { ready.insert(entry.fd) }
        var kept: [Client] = []
        for var client in clients {
            if ready.contains(client.descriptor) { progress(&client, handler) }
            if client.answer.map({ client.written >= $0.count }) == true || now >= client.deadline || client.descriptor < 0 {
                if client.descriptor >= 0 { close(client.descriptor) }
            } else {
                kept.append(client)
            }
        }
        clients = kept
        if let first = polled.first, first.revents != 0 { acceptWaiting(now: now, handler) }
    }

    private func acceptWaiting(now: Int64, _ handler: (String) -> String) {
        // A bounded number per round, so a flood of connections cannot hold the loop either.
        for _ in 0..<Self.maximumClients {
            let fd = accept(descriptor, nil, nil)
            if fd < 0 { return }
            // Accepted sockets inherit neither flag; set both before anything is read.
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            if clients.count >= Self.maximumClients, let oldest = clients.indices.min(by: { clients[$0].deadline < clients[$1].deadline }) {
                // Full: the client that has waited longest goes (a real one sends its line at once and is
                // answered in the same round, so only idle ones are ever this old).
                _ = ControlClient.writeSome(clients[oldest].descriptor, Array("error: too slow; \(Self.maximumClients) control clients were connected\n".utf8))
                close(clients[oldest].descriptor)
                clients.remove(at: oldest)
            }
            var client = Client(descriptor: fd, deadline: now + Self.clientDeadlineMs)
            progress(&client, handler)  // the request is usually there already
            if client.answer.map({ client.written >= $0.count }) == true || client.descriptor < 0 {
                if client.descriptor >= 0 { close(client.descriptor) }
            } else {
                clients.append(client)
            }
        }
    }

    /// Reads what the client sent and, once its line is complete, writes as much of the answer as
    /// the socket takes. A client that hung up or failed gets descriptor -1 (closed here).
    private func progress(_ client: inout Client, _ handler: (String) -> String) {
        if client.answer == nil {
            var buffer = [UInt8](repeating: 0, count: Self.maximumRequestBytes)
            while client.answer == nil {
                let room = Self.maximumRequestBytes - client.request.count
                let count = buffer.withUnsafeMutableBytes { read(client.descriptor, $0.baseAddress, max(1, room)) }
                if count == 0 && !client.request.isEmpty {
                    // The client ended its side after the line without a newline: answer it.
                    client.answer = Array(handler(String(decoding: client.request, as: UTF8.self)).utf8)
                    break
                }
                if count == 0 || (count < 0 && errno != EAGAIN && errno != EINTR) {
                    close(client.descriptor)
                    client = Client(descriptor: -1, deadline: client.deadline)
                    return
                }
                if count < 0 { break }
                let chunk = buffer[..<count]
                if let newline = chunk.firstIndex(of: UInt8(ascii: "\n")) {
                    client.request += chunk[..<newline]
                    client.answer = Array(handler(String(decoding: client.request, as: UTF8.self)).utf8)
                } else {
                    client.request += chunk
                    if client.request.count >= Self.maximumRequestBytes {
                        client.answer = Array("error: request longer than \(Self.maximumRequestBytes) bytes\n".utf8)
                    }
                }
            }
        }
        guard let answer = client.answer, client.written < answer.count else { return }
        let count = ControlClient.writeSome(client.descriptor, Array(answer[client.written...]))
        if count < 0 {
            close(client.descriptor)
            client = Client(descriptor: -1, deadline: client.deadline)
        } else {
            client.written += count
        }
    }
}

/// The client side: `heartbeat-lite status`, `standby`, `takeover`.
enum ControlClient {
    /// The longest answer a client accepts.
    static let maximumAnswerBytes = 4 << 20

    /// How long a request may take, connection to the end of the answer.
    static let requestTimeoutMs = 5000  // also DaemonControl.send's default

    /// Sends one request and returns the whole answer; throws `ETIMEDOUT` when the daemon does not
    /// accept, read or answer within `timeoutMs`.
    static func request(_ line: String, socketPath: String, timeoutMs: Int = requestTimeoutMs) throws -> String {
        let fd = try syscall("socket(AF_UNIX)") { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        defer { close(fd) }
        // For AF_UNIX, connect waits on a full backlog for the send timeout; reads and writes too.
        var timeout = timeval(tv_sec: timeoutMs / 1000, tv_usec: (timeoutMs % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let deadline = MonotonicClock.deadline(afterMilliseconds: timeoutMs)
        let late = SystemError(errno: ETIMEDOUT, "\(socketPath): heartbeat-lite did not answer within \(timeoutMs) ms")
        var address = try address(socketPath)
        _ = try withUnsafePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                try syscall("connecting to \(socketPath) (is heartbeat-lite running?)") {
                    let result = connect(fd, socketAddress, socklen_t(MemoryLayout<sockaddr_un>.size))
                    if result < 0 && (errno == EAGAIN || errno == EINPROGRESS) { errno = ETIMEDOUT }
                    return result
                }
            }
        }
        let request = Array((line + "\n").utf8)
        var offset = 0
        while offset < request.count {
            let count = writeSome(fd, Array(request[offset...]))
            if count <= 0 || MonotonicClock.milliseconds() > deadline { throw late }
            offset += count
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { throw late }
                throw SystemError(errno: errno, "reading from \(socketPath)")
            }
            answer += buffer[..<count]
            // A status of every group and transition is kilobytes; whatever answers with more is
            // not a heartbeat-lite daemon.
            if answer.count > Self.maximumAnswerBytes {
                throw SystemError(errno: EMSGSIZE, "\(socketPath): answer longer than \(Self.maximumAnswerBytes) bytes")
            }
            if MonotonicClock.milliseconds() > deadline { throw late }
        }
        return String(decoding: answer, as: UTF8.self)
    }

    /// Whether a daemon answers on `path` (within a second).
    static func isAnswering(_ path: String) -> Bool {
        guard FileSystem.exists(path) else { return false }
        return (try? request("ping", socketPath: path, timeoutMs: 1000)) != nil
    }

    static func address(_ path: String) throws -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw SystemError(errno: ENAMETOOLONG, "control socket path \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        return address
    }

    /// One write without SIGPIPE: the byte count, 0 when the socket takes nothing now (EAGAIN), or -1.
    static func writeSome(_ fd: Int32, _ bytes: [UInt8]) -> Int {
        let count = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if count < 0 { return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1 }
        return count
    }
}

/// Talks to a running daemon: one request line, the whole answer (first line `ok` or `error: …`).
public enum DaemonControl {
    /// Sends `line` to the daemon listening on `socket`; gives up after `timeoutMs`.
    public static func send(_ line: String, socket: String, timeoutMs: Int = 5000) throws -> String {
        try ControlClient.request(line, socketPath: socket, timeoutMs: timeoutMs)
    }
}
