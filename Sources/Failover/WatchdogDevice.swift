import CHAKitShims
import HAKitSystem

#if canImport(Glibc)
import Glibc
#endif

/// ha.cf's `watchdog DEVICE`, driven as heartbeat drives it: opened at start (its timeout set to
/// deadtime + 10 ms, rounded up to whole seconds, where the driver allows), a byte written every
/// keepalive by the loop, and the magic `V` written before the clean close, so that a clean stop
/// does not reboot the node. A loop that hangs stops writing, and a real watchdog then reboots the
/// node after its timeout: the peer, which declared this node dead, owns the groups alone.
///
/// Opened non-blocking, so that a stand-in (a FIFO whose reader stalls) can never hold the loop.
final class WatchdogDevice {
    /// The device path, for messages and `status`.
    let path: String
    private var descriptor: Int32
    /// Bytes written since start, for `status`.
    private(set) var writes = 0
    /// Why the device was given up, once a write failed.
    private(set) var failure: String?

    /// Opens the device and sets its timeout; throws with the reason when it cannot be opened.
    init(path: String, deadtimeMs: Int, log: DaemonLog) throws(WatchdogError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw WatchdogError(path: path, problem: String(cString: strerror(errno))) }
        var info = stat()
        if fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFCHR {
            var seconds = Int32(clamping: (deadtimeMs + 10 + 999) / 1000)
            let asked = seconds
            if CHAKitShims_watchdog_set_timeout(descriptor, &seconds) == 0 {
                log.info("Using watchdog device: \(path) (timeout \(seconds) s; asked for \(asked) s, deadtime + 10 ms)")
            } else {
                log.warning("Using watchdog device: \(path), keeping its own timeout: WDIOC_SETTIMEOUT \(asked) s failed: \(String(cString: strerror(errno)))")
            }
        } else {
            log.info("Using watchdog device: \(path) (not a character device: no timeout set)")
        }
        tickle(log: log)
    }

    /// One keepalive's write. A failed write gives the device up with an error in the log, as
    /// heartbeat does: the node then runs unguarded, and says so.
    func tickle(log: DaemonLog) {
        guard descriptor >= 0 else { return }
        var byte: UInt8 = 0
        if write(descriptor, &byte, 1) == 1 {
            writes += 1
            return
        }
        let reason = String(cString: strerror(errno))
        failure = "write failed: \(reason)"
        log.error("Watchdog write failure: closing \(path): \(reason); this node is no longer guarded by it")
        close(descriptor)
        descriptor = -1
    }

    /// The clean stop: the magic `V` (the driver disarms), then close.
    func closeCleanly(log: DaemonLog) {
        guard descriptor >= 0 else { return }
        var magic = UInt8(ascii: "V")
        if write(descriptor, &magic, 1) != 1 {
            log.error("Watchdog write of the magic character failed on \(path): \(String(cString: strerror(errno))); the node may be reset")
        } else {
            log.info("Watchdog \(path) disarmed ('V' written) and closed")
        }
        close(descriptor)
        descriptor = -1
    }

    /// One line for `status`.
    var summary: String {
        "watchdog \(path): \(failure.map { "given up (\($0))" } ?? (descriptor >= 0 ? "armed" : "closed")), \(writes) writes"
    }
}

/// The watchdog device could not be opened: the daemon does not start.
struct WatchdogError: Error, CustomStringConvertible {
    let path: String
    let problem: String
    var description: String { "cannot open watchdog device \(path): \(problem) (ha.cf's watchdog line; heartbeat-lite does not run unguarded when asked for a watchdog)" }
}
