import Heartbeat
import Testing

/// `TimerHeadroom` judges the wake-up latencies the daemon measures at start-up against ha.cf's
/// timing: the worst silence on a healthy link is keepalive + twice the worst latency.
@Suite struct TimerHeadroomTests {
    /// keepalive 2ms, warntime 5ms, deadtime 10ms: the sub-10 ms setting of issue 13.
    let fast = TimerHeadroom(keepaliveMs: 2, warntimeMs: 5, deadtimeMs: 10)

    @Test("a realtime loop that wakes within tens of microseconds holds keepalive 2ms/deadtime 10ms")
    func holds() {
        let result = fast.assess(latenciesUs: [55, 60, 58, 120, 61], sleptUs: 500, timerSlackNs: 50_000)
        #expect(result.verdict == .holds)
        #expect(result.worstGapUs == 2_240)
        #expect(result.message == "timer check: 5 sleeps of 500 µs woke late by median 60 µs, at most 120 µs (timer slack 50000 ns); keepalive 2 ms + twice the worst = 2.2 ms, within warntime 5 ms")
    }

    @Test("past warntime but short of deadtime: late heartbeats are expected, not failovers")
    func lateHeartbeats() {
        let result = fast.assess(latenciesUs: [100, 1_600, 200], sleptUs: 500, timerSlackNs: nil)
        #expect(result.verdict == .lateHeartbeatsExpected)
        #expect(result.worstGapUs == 5_200)
        #expect(result.message.contains("5.2 ms is above warntime 5 ms: expect late-heartbeat warnings"), "\(result.message)")
        #expect(!result.message.contains("timer slack"))
    }

    @Test("a gap reaching deadtime says the machine cannot hold it", arguments: [4_000, 4_001, 30_000])
    func falseDead(_ worst: Int) {
        let result = fast.assess(latenciesUs: [10, worst], sleptUs: 500, timerSlackNs: nil)
        #expect(result.verdict == .falseDeadExpected)
        #expect(result.message.contains("is not below deadtime 10 ms: this machine cannot hold this deadtime"), "\(result.message)")
    }

    @Test("the boundaries: exactly warntime holds, one microsecond under deadtime is only late")
    func boundaries() {
        #expect(fast.assess(latenciesUs: [1_500], sleptUs: 500, timerSlackNs: nil).verdict == .holds)
        #expect(fast.assess(latenciesUs: [1_501], sleptUs: 500, timerSlackNs: nil).verdict == .lateHeartbeatsExpected)
        #expect(fast.assess(latenciesUs: [3_999], sleptUs: 500, timerSlackNs: nil).verdict == .lateHeartbeatsExpected)
    }

    @Test("heartbeat's defaults (keepalive 1s, deadtime 30s) hold even on a loop 100 ms late")
    func defaults() {
        let slow = TimerHeadroom(keepaliveMs: 1000, warntimeMs: 15_000, deadtimeMs: 30_000)
        #expect(slow.assess(latenciesUs: [100_000], sleptUs: 500, timerSlackNs: nil).verdict == .holds)
    }

    @Test("no samples, negative readings and absurd ones neither trap nor mislead")
    func odd() {
        let none = fast.assess(latenciesUs: [], sleptUs: 500, timerSlackNs: nil)
        #expect(none.verdict == .holds)
        #expect(none.message == "timer check: no wake-up measured")
        #expect(fast.assess(latenciesUs: [-5, -1], sleptUs: 500, timerSlackNs: nil).worstGapUs == 2_000)
        let huge = fast.assess(latenciesUs: [Int.max], sleptUs: 500, timerSlackNs: nil)
        #expect(huge.verdict == .falseDeadExpected)
        #expect(huge.message.contains("= ∞ ms"))
        let vast = TimerHeadroom(keepaliveMs: Int.max, warntimeMs: Int.max, deadtimeMs: Int.max)
        #expect(vast.assess(latenciesUs: [1], sleptUs: 500, timerSlackNs: nil).verdict == .falseDeadExpected)
    }
}
