#if canImport(Glibc)
import Glibc
#endif
import CHAKitShims

/// A handle on a process that need not be our child, through a pidfd: signals reach the process
/// the handle was opened on even if its pid is reused, and waiting for its exit needs no polling.
///
/// The type owns the pidfd and closes it when it goes away.
public final class ProcessHandle {
    /// The process id.
    public let pid: pid_t
    private let pidfd: Int32

    /// Opens a handle on a running process; `nil` when no such process exists.
    public init?(pid: pid_t) {
        let fd = CHAKitShims_pidfd_open(pid, 0)
        guard fd >= 0 else { return nil }
        self.pid = pid
        self.pidfd = fd
    }

    deinit { close(pidfd) }

    /// Whether the process has exited (a zombie counts as exited).
    public var hasExited: Bool { Self.waitForAnyExit([self], timeoutMilliseconds: 0) != nil }

    /// Sends a signal. Returns false when the process is gone.
    ///
    /// - Throws: `SystemError` when the signal cannot be sent for another reason (EPERM).
    @discardableResult
    public func signal(_ signal: Int32) throws -> Bool {
        if CHAKitShims_pidfd_send_signal(pidfd, signal) == 0 { return true }
        if errno == ESRCH { return false }
        throw SystemError(errno: errno, "sending signal \(signal) to process \(pid)")
    }

    /// Waits until the process exits; returns false when the timeout passes first.
    public func waitForExit(timeoutMilliseconds: Int) -> Bool {
        Self.waitForAnyExit([self], timeoutMilliseconds: timeoutMilliseconds) != nil
    }

    /// Waits until any of the processes exits and returns its index, or `nil` on timeout.
    public static func waitForAnyExit(_ handles: [ProcessHandle], timeoutMilliseconds: Int) -> Int? {
        guard !handles.isEmpty else { return nil }
        var fds = handles.map { pollfd(fd: $0.pidfd, events: Int16(POLLIN), revents: 0) }
        let deadline = MonotonicClock.deadline(afterMilliseconds: timeoutMilliseconds)
        while true {
            let left = max(0, deadline - MonotonicClock.milliseconds())
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(left, Int64(Int32.max))))
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { return nil }
            return fds.firstIndex { $0.revents != 0 }
        }
    }
}
