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

    /// Sleeps for a number of milliseconds, resuming after signals.
    public static func sleep(milliseconds: Int) {
        var request = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1 && errno == EINTR { request = remaining }
    }
}
