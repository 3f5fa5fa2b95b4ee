#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem

/// sd_notify(3) without libsystemd: datagrams to `$NOTIFY_SOCKET` (READY=1, STATUS=…,
/// WATCHDOG=1, STOPPING=1). Does nothing when not started by systemd with `Type=notify`.
struct SystemdNotify {
    private let path: String?
    /// Half the watchdog interval systemd asks for, in ms, if it asks.
    let watchdogIntervalMs: Int?

    init(environment: [String: String]) {
        path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        if let text = environment["WATCHDOG_USEC"], let usec = Int(text), usec > 0,
            environment["WATCHDOG_PID"].map({ Int32($0) == getpid() }) ?? true
        {
            watchdogIntervalMs = min(max(1, usec / 2000), MonotonicClock.longestDurationMilliseconds)
        } else {
            watchdogIntervalMs = nil
        }
    }

    var isActive: Bool { path != nil }

    func send(_ state: String) {
        guard let path else { return }
        UnixDatagram.send(Array(state.utf8), to: path)
    }
}
