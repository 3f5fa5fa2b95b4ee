#if canImport(Glibc)
import Glibc
#endif

extension ChildProcess {
    /// Waits until the child exits or the timeout passes, without reaping it; returns whether it exited.
    public func waitForExit(timeoutMilliseconds: Int) -> Bool {
        var fds = [pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)]
        let deadline = MonotonicClock.deadline(afterMilliseconds: timeoutMilliseconds)
        while true {
            let left = max(0, deadline - MonotonicClock.milliseconds())
            let ready = poll(&fds, 1, Int32(min(left, Int64(Int32.max))))
            if ready < 0 && errno == EINTR { continue }
            return ready > 0
        }
    }

    /// What the child has written so far to its captured standard output and standard error,
    /// read without blocking (at most `limit` bytes of each), error output first.
    public func availableOutput(limit: Int = 65536) -> String {
        [errorFD, outputFD].map { Self.readAvailable($0, limit: limit) }.joined()
    }

    private static func readAvailable(_ fd: Int32, limit: Int) -> String {
        guard fd >= 0 else { return "" }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let count = read(fd, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes.prefix(limit), as: UTF8.self)
    }
}
