/// Cuts the byte stream of a serial medium into classic messages exactly as heartbeat 3.0.6's
/// serial medium does (`serial_read` and `ttygets` in lib/plugins/HBcomm/serial.c):
///
/// - A line ends at `\n`, or after `maximumPacketSize` bytes without one (ttygets stops at its
///   buffer's end); the next byte starts a new line. A NUL cuts a line's content there (heartbeat
///   works on C strings).
/// - Lines are skipped until one starts with `>>>`; from there every line is kept, a later `>>>`
///   line included, until one starting with `<<<`, which ends the message. Heartbeat does not
///   resynchronise on a second `>>>`, so a message whose `<<<` was lost swallows the next one; we
///   match it (the merged text then fails to decode and is counted as malformed).
/// - A message whose kept lines reach `maximumPacketSize` bytes is dropped, and its remaining lines
///   are skipped as garbage until the next `>>>`.
///
/// Memory is bounded by `maximumPacketSize` for the line and for the message; nothing traps on any
/// input.
public struct SerialFrameDecoder: Sendable {
    /// The most bytes a line or a message may reach (`MAXMSG`).
    public let limit: Int
    private var line: [UInt8] = []
    /// Where the first NUL of `line` is, if any: the content ends there.
    private var lineContentEnd: Int?
    private var message: [UInt8] = []
    private var collecting = false
    /// Messages dropped for reaching `limit`.
    public private(set) var overlong = 0
    /// Lines skipped while looking for `>>>`.
    public private(set) var skippedLines = 0

    /// A decoder with heartbeat's limit, or a smaller one for tests.
    public init(limit: Int = HeartbeatMessage.maximumPacketSize) {
        self.limit = max(8, limit)
    }

    /// Takes in bytes read from the tty and returns the messages they complete, each from its
    /// `>>>` line to its `<<<` line with every line ended by `\n`.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [[UInt8]] {
        var complete: [[UInt8]] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if let done = endLine() { complete.append(done) }
                continue
            }
            if byte == 0 && lineContentEnd == nil { lineContentEnd = line.count }
            line.append(byte)
            if line.count >= limit, let done = endLine() { complete.append(done) }
        }
        return complete
    }

    /// Forgets a partial line and message (the tty was closed or failed: heartbeat's ttygets
    /// returns NULL and serial_read gives up the message).
    public mutating func reset() {
        line.removeAll(keepingCapacity: false)
        lineContentEnd = nil
        message.removeAll(keepingCapacity: false)
        collecting = false
    }

    /// Whether nothing is buffered.
    public var isIdle: Bool { line.isEmpty && message.isEmpty && !collecting }

    private mutating func endLine() -> [UInt8]? {
        let content = line[..<(lineContentEnd ?? line.count)]
        defer {
            line.removeAll(keepingCapacity: true)
            lineContentEnd = nil
        }
        if !collecting {
            guard content.starts(with: Self.start) else {
                skippedLines += 1
                return nil
            }
            collecting = true
            message.removeAll(keepingCapacity: true)
        }
        // heartbeat counts each line with its newline and gives up at MAXMSG (the end line
        // counts one more, for the string's NUL).
        let isEnd = message.count > 0 && content.starts(with: Self.end)
        let grown = message.count + content.count + (isEnd ? 2 : 1)
        guard grown < limit else {
            overlong += 1
            collecting = false
            message.removeAll(keepingCapacity: false)
            return nil
        }
        message += content
        message.append(UInt8(ascii: "\n"))
        guard isEnd else { return nil }
        collecting = false
        defer { message.removeAll(keepingCapacity: true) }
        return message
    }

    private static let start = Array(">>>".utf8)
    private static let end = Array("<<<".utf8)
}
