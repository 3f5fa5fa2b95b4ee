#if canImport(Glibc)
import Glibc
#endif

/// How late the calling thread wakes from short sleeps: what its scheduling, the timer slack and
/// the machine's load cost a timer. The daemon measures it at start-up; `TimerHeadroom` judges it.
public enum WakeUpLatency {
    /// Sleeps `count` times for `sleepMicroseconds` each (`clock_nanosleep` on CLOCK_MONOTONIC)
    /// and returns by how many microseconds each sleep overran.
    public static func measure(count: Int, sleepMicroseconds: Int) -> [Int] {
        let span = max(1, min(sleepMicroseconds, 999_999))
        var latencies: [Int] = []
        latencies.reserveCapacity(max(0, count))
        for _ in 0..<max(0, count) {
            let start = MonotonicClock.nanoseconds()
            var request = timespec(tv_sec: 0, tv_nsec: span * 1000)
            var remaining = timespec()
            while clock_nanosleep(CLOCK_MONOTONIC, 0, &request, &remaining) == EINTR { request = remaining }
            let slept = MonotonicClock.nanoseconds() &- start
            latencies.append(Int(slept / 1000) - span)
        }
        return latencies
    }

    /// The process's timer slack in nanoseconds (`/proc/self/timerslack_ns`; the kernel ignores it
    /// for realtime threads), or nil where the kernel does not show it.
    public static func timerSlackNanoseconds() -> Int? {
        guard let text = (try? FileSystem.read("/proc/self/timerslack_ns")) ?? nil else { return nil }
        return Int(text.split(separator: "\n").first ?? "")
    }
}
