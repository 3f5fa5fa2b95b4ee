#if canImport(Glibc)
import Glibc
#endif

/// What is kept of one output stream: its first `headLimit` bytes and its last `tailLimit` bytes
/// (a ring buffer), so that memory stays bounded however much a program writes while both its
/// start and its end — where a failing program says why — survive. The bytes in between are only
/// counted.
///
/// Lines that begin with `linePrefix` are looked for in the whole stream as it passes, kept part
/// or not; the last one is remembered.
public struct OutputCapture: Sendable {
    /// The most bytes kept from the start of the stream.
    public let headLimit: Int
    /// The most bytes kept from the end of the stream.
    public let tailLimit: Int
    /// The start of the stream, at most `headLimit` bytes.
    public private(set) var head: [UInt8] = []
    /// The last bytes after the head, at most `tailLimit`; once full, `ringStart` is the oldest.
    private var ring: [UInt8] = []
    private var ringStart = 0
    /// How many bytes the stream has had in all.
    public private(set) var byteCount = 0

    /// The line start looked for, or empty for none.
    private let linePrefix: [UInt8]
    /// The most bytes of a prefixed line remembered, after the prefix.
    private static let lineLimit = 16 << 10
    /// The current line, while it may still begin with the prefix (at most the prefix and `lineLimit`).
    private var line: [UInt8] = []
    /// Whether the current line is known not to begin with the prefix.
    private var lineRejected = false
    /// The last complete line that began with the prefix, without it.
    private var lastComplete: [UInt8]?

    /// Creates an empty capture.
    public init(headLimit: Int, tailLimit: Int, linePrefix: String? = nil) {
        self.headLimit = max(0, headLimit)
        self.tailLimit = max(0, tailLimit)
        self.linePrefix = Array((linePrefix ?? "").utf8)
    }

    /// How many bytes were dropped between the head and the tail.
    public var cutByteCount: Int { byteCount - head.count - ring.count }

    /// Whether bytes were dropped.
    public var isTruncated: Bool { cutByteCount > 0 }

    /// The end of the stream after the head, oldest byte first.
    public var tail: [UInt8] { Array(ring[ringStart...] + ring[..<ringStart]) }

    /// The last line that began with `linePrefix`, without the prefix and the newline (an
    /// unfinished last line counts); `nil` when there was none or no prefix was given.
    public var lastPrefixedLine: String? {
        let current = !linePrefix.isEmpty && !lineRejected && line.count >= linePrefix.count ? line : nil
        guard let bytes = current.map({ Array($0.dropFirst(linePrefix.count)) }) ?? lastComplete else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The kept bytes: head and tail, with a line `cutMarker(cutByteCount)` between them when
    /// bytes were dropped.
    public func bytes(cutMarker: (Int) -> String = { "[\($0) bytes cut]" }) -> [UInt8] {
        guard isTruncated else { return head + tail }
        let separator: [UInt8] = head.last == UInt8(ascii: "\n") || head.isEmpty ? [] : [UInt8(ascii: "\n")]
        return head + separator + Array(cutMarker(cutByteCount).utf8) + [UInt8(ascii: "\n")] + tail
    }

    /// Takes in the next bytes of the stream.
    public mutating func append(_ bytes: ArraySlice<UInt8>) {
        byteCount += bytes.count
        if !linePrefix.isEmpty { scanLines(bytes) }
        let headRoom = max(0, headLimit - head.count)
        head += bytes.prefix(headRoom)
        appendToTail(bytes.dropFirst(headRoom))
    }

    private mutating func appendToTail(_ bytes: ArraySlice<UInt8>) {
        // Only the last tailLimit bytes can stay.
        var rest = bytes.suffix(tailLimit)
        if ring.count < tailLimit {
            let room = tailLimit - ring.count
            ring += rest.prefix(room)
            rest = rest.dropFirst(room)
        }
        while !rest.isEmpty {
            let count = min(rest.count, tailLimit - ringStart)
            ring.withUnsafeMutableBytes { target in
                rest.withUnsafeBytes { source in
                    (target.baseAddress! + ringStart).copyMemory(from: source.baseAddress!, byteCount: count)
                }
            }
            ringStart = (ringStart + count) % tailLimit
            rest = rest.dropFirst(count)
        }
    }

    /// Follows line boundaries; only a line that may still begin with the prefix is buffered.
    private mutating func scanLines(_ bytes: ArraySlice<UInt8>) {
        var rest = bytes
        while !rest.isEmpty {
            let newline = rest.withUnsafeBytes { raw in
                memchr(raw.baseAddress!, Int32(UInt8(ascii: "\n")), raw.count).map { raw.baseAddress!.distance(to: $0) }
            }
            let end = newline.map { rest.startIndex + $0 } ?? rest.endIndex
            extendLine(rest[rest.startIndex..<end])
            guard newline != nil else { return }
            if !lineRejected && line.count >= linePrefix.count { lastComplete = Array(line.dropFirst(linePrefix.count)) }
            line.removeAll(keepingCapacity: true)
            lineRejected = false
            rest = rest[(end + 1)...]
        }
    }

    private mutating func extendLine(_ part: ArraySlice<UInt8>) {
        guard !lineRejected, !part.isEmpty else { return }
        line += part.prefix(max(0, linePrefix.count + Self.lineLimit - line.count))
        let compared = min(line.count, linePrefix.count)
        if !line[..<compared].elementsEqual(linePrefix[..<compared]) {
            lineRejected = true
            line.removeAll(keepingCapacity: true)
        }
    }
}
