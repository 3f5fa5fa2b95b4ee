// The plain HTTP client's response reader (PlainHTTP.ResponseReader: status line, headers,
// Content-Length, chunked and to-the-end bodies, the body cap) on raw response bytes from a
// socket pair, and the resolution of a Location header against the request's URL.
//
// Input: one byte choosing the size of the pieces the response arrives in (0: at once) and
// the body cap, then the response.
import Glibc

@testable import HAKitSystem

let base = try! PlainHTTP.URL(parsing: "http://127.0.0.1:8080/server-status?auto")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let piece = Int(data[0] & 0x3f)
    let limit = [16, 1024, 1 << 20, 0][Int(data[0] >> 6)]
    let response = UnsafeBufferPointer(start: data + 1, count: size - 1)
    // A record socket: each piece is one recv, and the end of the data is the end of the stream.
    var pair: [Int32] = [-1, -1]
    guard socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
        fatalError("socketpair: \(errno)")
    }
    defer { close(pair[0]) }
    // All of it is sent before the reader starts: the send buffer must hold every piece.
    var room: Int32 = 64 << 20
    setsockopt(pair[1], SOL_SOCKET, SO_SNDBUFFORCE, &room, socklen_t(MemoryLayout<Int32>.size))
    let pieceSize = piece == 0 ? response.count : max(piece, response.count / 256)
    var offset = 0
    while offset < response.count {
        let count = min(pieceSize, response.count - offset)
        let sent = send(pair[1], response.baseAddress! + offset, count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
        if sent < 0 && errno == EINTR { continue }
        precondition(sent == count, "send: \(errno)")
        offset += count
    }
    close(pair[1])
    let connection = PlainHTTP.Connection(descriptor: pair[0], deadline: MonotonicClock.milliseconds() + 2000)
    var reader = PlainHTTP.ResponseReader(connection: connection, url: base)
    guard let raw = try? reader.read(limit: limit) else { return 0 }
    precondition(raw.body.count <= limit, "a body of \(raw.body.count) bytes past the cap of \(limit)")
    if let location = raw.location, let next = try? base.resolving(location) {
        precondition(next.scheme == "http" || next.scheme == "https", "resolved to scheme \(next.scheme)")
        _ = (next.hostHeader, next.target)
    }
    return 0
}
