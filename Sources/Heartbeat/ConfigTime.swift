/// heartbeat's ha.cf time values: seconds (decimals allowed) or a number with a `ms` or `us` suffix.
public enum ConfigTime {
    /// The value in milliseconds, rounded half up as heartbeat's `get_msec` does; `nil` when malformed.
    ///
    /// Accepts `2`, `0.5`, `.5`, `100ms`, `2.5msec`, `1500us`, `1500usec` (suffixes in any case).
    /// Rejects `10s`, `1m`, `-1`, `1.2.3` and an empty string: heartbeat accepts only `ms`/`us`
    /// suffixes, so `10s` is an error there too.
    public static func milliseconds(_ text: some StringProtocol) -> Int? {
        let number = text.prefix { $0.isASCIIDigit || $0 == "." }
        let unit = text.dropFirst(number.count).lowercased()
        let multiplier: UInt64
        let divisor: UInt64
        switch unit {
        case "": (multiplier, divisor) = (1000, 1)
        case "ms", "msec": (multiplier, divisor) = (1, 1)
        case "us", "usec": (multiplier, divisor) = (1, 1000)
        default: return nil
        }
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let whole = parts[0]
        // Digits past the sixth decimal cannot change a rounded millisecond count of a seconds value
        // except on an exact tie; dropping them keeps the arithmetic within UInt64.
        let fraction = parts.count == 2 ? parts[1].prefix(6) : ""
        guard !(whole.isEmpty && fraction.isEmpty), whole.count <= 9 else { return nil }
        guard let wholeValue = whole.isEmpty ? 0 : UInt64(whole),
            let fractionValue = fraction.isEmpty ? 0 : UInt64(fraction)
        else { return nil }
        var scale: UInt64 = 1
        for _ in 0..<fraction.count { scale *= 10 }
        let numerator = (wholeValue * scale + fractionValue) * multiplier
        let denominator = scale * divisor
        return Int((numerator + denominator / 2) / denominator)
    }
}
