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

extension String {
    /// The UTF-8 bytes.
    var bytes: [UInt8] { Array(utf8) }
}
