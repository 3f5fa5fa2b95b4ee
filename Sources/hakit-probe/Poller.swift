import HAKitSystem
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What one GET returned, as the client saw it.
enum Outcome: Hashable, Sendable, CustomStringConvertible {
    /// An HTTP answer: its status and the first non-empty line of its body (trimmed, at most 80
    /// characters), which names the node on the demo's pages.
    case answered(status: Int, label: String)
    /// No HTTP answer: libcurl's kind of failure (`timed out`, `connection failed`, …).
    case failed(String)

    var description: String {
        switch self {
        case .answered(let status, let label): "answer \"\(label)\" (HTTP \(status))"
        case .failed(let kind): "no answer: \(kind)"
        }
    }

    /// Whether a server answered with a status below 500.
    var isAnswer: Bool {
        if case .answered(let status, _) = self { return status < 500 }
        return false
    }
}

/// One request's fate, stamped on the monotonic clock.
struct Sample: Sendable {
    /// The request's number, in the order they were sent.
    let sequence: Int
    /// When the request was sent (ns, `MonotonicClock`).
    let sentNs: UInt64
    /// When its answer (or failure) came (ns, `MonotonicClock`).
    let completedNs: UInt64
    /// What came.
    let outcome: Outcome
    /// The whole body, for matching.
    let body: String
}

/// Sends one GET per call to `send`, each on a thread of its own, so a request stuck on a dead
/// address (its SYN lost) never delays the next one: the polling interval holds whatever the
/// server does. Each request opens a new connection (no keep-alive), as a fresh client would.
final class Poller: Sendable {
    private let client: HTTPClient
    private let request: HTTPRequest
    private let maximumInFlight: Int
    private let inFlight = Atomic<Int>(0)
    private let completed = Mutex<[Sample]>([])

    /// - Parameter maximumInFlight: requests allowed at once; `send` skips a tick beyond that.
    init(request: HTTPRequest, maximumInFlight: Int) throws {
        client = HTTPClient()
        self.request = request
        self.maximumInFlight = maximumInFlight
    }

    /// Sends request `sequence` now; false (nothing sent) when too many are still in flight.
    func send(sequence: Int) -> Bool {
        guard inFlight.add(1, ordering: .relaxed).newValue <= maximumInFlight else {
            inFlight.subtract(1, ordering: .relaxed)
            return false
        }
        let work: @Sendable () -> Void = { [self] in
            let sent = MonotonicClock.nanoseconds()
            let outcome: Outcome
            var body = ""
            do throws(HTTPError) {
                let response = try client.get(request)
                body = response.text
                outcome = .answered(status: response.statusCode, label: Self.label(body))
            } catch {
                outcome = .failed(error.kind.rawValue)
            }
            let sample = Sample(
                sequence: sequence, sentNs: sent, completedNs: MonotonicClock.nanoseconds(), outcome: outcome, body: body)
            completed.withLock { $0.append(sample) }
            inFlight.subtract(1, ordering: .relaxed)
        }
        do { try DetachedThread.start("a request thread", work) } catch {
            inFlight.subtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    /// The samples completed since the last call.
    func take() -> [Sample] {
        completed.withLock { samples in
            defer { samples.removeAll(keepingCapacity: true) }
            return samples
        }
    }

    /// Requests still waiting for their answer.
    var pending: Int { inFlight.load(ordering: .relaxed) }

    /// The first non-empty line of a body, trimmed and shortened: what a person reads as "who answered".
    static func label(_ body: String) -> String {
        // Tags are dropped so that `<h1>node1</h1>` reads as `node1`.
        var text = ""
        var inTag = false
        for character in body {
            if character == "<" { inTag = true } else if character == ">" { inTag = false } else if !inTag { text.append(character) }
        }
        let line = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters() }.first { !$0.isEmpty } ?? ""
        return line.count > 80 ? String(line.prefix(77)) + "..." : line
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> String {
        String(self.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
