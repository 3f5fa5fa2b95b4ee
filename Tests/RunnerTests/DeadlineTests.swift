import HAKitSystem
import Testing

/// Deadlines from durations that came from outside (options, the manager's environment) never
/// trap: too long saturates at the clock's farthest reading, negative is now.
@Suite struct DeadlineTests {
    @Test func millisecondDeadlinesSaturate() {
        let before = MonotonicClock.milliseconds()
        #expect(MonotonicClock.deadline(afterMilliseconds: Int.max) == Int64.max)
        let soon = MonotonicClock.deadline(afterMilliseconds: 1000)
        #expect(soon >= before + 1000 && soon < MonotonicClock.milliseconds() + 1001)
        let now = MonotonicClock.deadline(afterMilliseconds: Int.min)
        #expect(now >= before && now <= MonotonicClock.milliseconds())
    }

    @Test func nanosecondDeadlinesSaturate() {
        #expect(MonotonicClock.nanosecondDeadline(afterMilliseconds: Int.max) == UInt64.max)
        #expect(MonotonicClock.nanosecondDeadline(afterMilliseconds: 1, from: UInt64.max - 10) == UInt64.max)
        #expect(MonotonicClock.nanosecondDeadline(afterMilliseconds: 2, from: 5) == 2_000_005)
        #expect(MonotonicClock.nanosecondDeadline(afterMilliseconds: -5, from: 7) == 7)
        let longest = MonotonicClock.nanosecondDeadline(afterMilliseconds: MonotonicClock.longestDurationMilliseconds, from: 0)
        #expect(longest == UInt64(UInt32.max) * 1_000_000)
    }

    @Test func negativeSleepReturnsAtOnce() {
        let before = MonotonicClock.milliseconds()
        MonotonicClock.sleep(milliseconds: -1000)
        #expect(MonotonicClock.milliseconds() - before < 100)
    }
}
