#if canImport(Glibc)
import Glibc
#endif

/// Readings of `CLOCK_MONOTONIC`, which never jumps with the wall clock.
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point.
    public static func nanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    /// Microseconds since an arbitrary fixed point.
    public static func microseconds() -> Int64 { Int64(nanoseconds() / 1000) }

    /// Milliseconds since an arbitrary fixed point.
    public static func milliseconds() -> Int64 { Int64(nanoseconds() / 1_000_000) }

    /// The longest wait any HAKit option or manager value may ask for: Pacemaker keeps operation
    /// times as unsigned 32-bit milliseconds (about 49.7 days). Options refuse more; arithmetic
    /// on a duration within it cannot overflow.
    public static let longestDurationMilliseconds = Int(UInt32.max)

    /// The reading `milliseconds` from now, as used for deadlines; a negative duration is now, and
    /// one too long to count is the farthest reading there is, never a trap.
    public static func deadline(afterMilliseconds duration: Int) -> Int64 {
        let (sum, overflow) = milliseconds().addingReportingOverflow(Int64(clamping: max(0, duration)))
        return overflow ? Int64.max : sum
    }

    /// `deadline(afterMilliseconds:)` on the nanosecond clock, from `start` (now unless given).
    public static func nanosecondDeadline(afterMilliseconds duration: Int, from start: UInt64 = nanoseconds()) -> UInt64 {
        let (span, spanOverflow) = UInt64(max(0, duration)).multipliedReportingOverflow(by: 1_000_000)
        let (sum, overflow) = start.addingReportingOverflow(span)
        return spanOverflow || overflow ? UInt64.max : sum
    }

    /// Sleeps for a number of milliseconds, resuming after signals; a negative duration does not sleep.
    public static func sleep(milliseconds: Int) {
        guard milliseconds > 0 else { return }
        var request = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1 && errno == EINTR { request = remaining }
    }
}
