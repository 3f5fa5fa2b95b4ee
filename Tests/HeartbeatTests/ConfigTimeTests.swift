import Heartbeat
import Testing

@Suite("ha.cf times")
struct ConfigTimeTests {
    @Test(
        "accepted forms, rounded as heartbeat's get_msec",
        arguments: [
            ("1", 1000), ("2", 2000), ("30", 30000), ("0.1", 100), (".5", 500), ("5.", 5000), ("0.001", 1),
            ("1.5", 1500), ("100ms", 100), ("1000ms", 1000), ("2.5ms", 3), ("100MS", 100), ("250msec", 250),
            ("1000000us", 1000), ("100000us", 100), ("1000us", 1), ("499us", 0), ("501us", 1), ("1500usec", 2),
            ("0", 0), ("0ms", 0), ("120", 120_000), ("0.0005", 1), ("0.0004", 0),
        ]
    )
    func accepted(text: String, milliseconds: Int) {
        #expect(ConfigTime.milliseconds(text) == milliseconds)
    }

    @Test(
        "rejected forms: an s suffix, other units, signs, junk",
        arguments: [
            "10s", "2sec", "1m", "1h", "-1", "+1", "", ".", "1.2.3", "ms", "abc", "1 ms", "1e3", "0x10", "1msx",
        ]
    )
    func rejected(text: String) {
        #expect(ConfigTime.milliseconds(text) == nil)
    }
}
