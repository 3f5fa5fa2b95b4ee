import Heartbeat
import Testing

/// The errors a config parse threw, or `nil` (and a recorded issue) if it succeeded.
func expectConfigErrors<T>(
    _ body: () throws(ConfigErrors) -> T,
    sourceLocation: SourceLocation = #_sourceLocation
) -> ConfigErrors? {
    do {
        let value = try body()
        Issue.record("expected ConfigErrors, parsed \(value)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// The wire error decoding threw, or `nil` (and a recorded issue) if it decoded.
func expectWireError(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> WireError? {
    do {
        let packet = try ReceivedPacket(decoding: bytes)
        Issue.record("expected a WireError, decoded \(packet.message)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// The authentication error a check threw, or `nil` (and a recorded issue) if it passed.
func expectAuthenticationError(
    _ body: () throws(AuthenticationError) -> Void,
    sourceLocation: SourceLocation = #_sourceLocation
) -> AuthenticationError? {
    do {
        try body()
        Issue.record("expected an AuthenticationError", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// Deterministic SplitMix64, so fuzz failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension String {
    /// The UTF-8 bytes.
    var bytes: [UInt8] { Array(utf8) }
}
