import HAKitSystem

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's control socket: a Unix stream socket (mode 0600, so only root talks to it) taking
/// one request line — `status`, `status json`, `standby SET`, `takeover SET` — and answering with
/// text, then closing. The first answer line is `ok` or `error: reason`.
final class ControlServer {
    let descriptor: Int32
    let path: String

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
        try syscall("listen on \(path)") { listen(fd, 8) }
        descriptor = fd
        ok = true
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    /// Accepts every waiting client and answers each with `handler(request line)`.
    func serve(_ handler: (String) -> String) {
        while true {
            let client = accept(descriptor, nil, nil)
            if client < 0 { return }
            var timeout = timeval(tv_sec: 1, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let request = ControlClient.readLine(client)
            ControlClient.writeAll(client, handler(request))
            close(client)
        }
    }
}

/// The client side: `heartbeat-lite status`, `standby`, `takeover`.
enum ControlClient {
    /// Sends one request and returns the whole answer.
    static func request(_ line: String, socketPath: String) throws -> String {
        let fd = try syscall("socket(AF_UNIX)") { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        defer { close(fd) }
        var address = try address(socketPath)
        _ = try withUnsafePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                try syscall("connecting to \(socketPath) (is heartbeat-lite running?)") {
                    connect(fd, socketAddress, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        }
        writeAll(fd, line + "\n")
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            answer += buffer[..<count]
        }
        return String(decoding: answer, as: UTF8.self)
    }

    /// Whether a daemon answers on `path`.
    static func isAnswering(_ path: String) -> Bool {
        guard FileSystem.exists(path) else { return false }
        return (try? request("ping", socketPath: path)) != nil
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

    static func readLine(_ fd: Int32) -> String {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while line.count < 512, read(fd, &byte, 1) == 1, byte != UInt8(ascii: "\n") { line.append(byte) }
        return String(decoding: line, as: UTF8.self)
    }

    static func writeAll(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if count <= 0 { return }
            offset += count
        }
    }
}

/// Talks to a running daemon: one request line, the whole answer (first line `ok` or `error: …`).
public enum DaemonControl {
    /// Sends `line` to the daemon listening on `socket`.
    public static func send(_ line: String, socket: String) throws -> String {
        try ControlClient.request(line, socketPath: socket)
    }
}
