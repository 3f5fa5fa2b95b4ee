/// heartbeat's `/etc/ha.d/authkeys`: the signing keys and which one signs outgoing messages.
public struct AuthKeys: Hashable, Sendable {
    /// The key named by `auth N`; it signs everything this node sends.
    public var active: AuthKey
    /// Every entry by index (0–15), the active one included.
    public var entries: [Int: AuthKey]
    /// Things accepted but worth telling the operator (e.g. crc authenticates nothing).
    public var warnings: [ConfigWarning]

    /// Creates the set; `entries` must contain `active`.
    public init(active: AuthKey, entries: [Int: AuthKey], warnings: [ConfigWarning] = []) {
        precondition(entries[active.index] == active, "the active key must be one of the entries")
        self.active = active
        self.entries = entries
        self.warnings = warnings
    }

    /// The entry with this index, used to check a message signed with it.
    public func key(index: Int) -> AuthKey? { entries[index] }
}

/// One authkeys entry: `N crc`, `N md5 SECRET` or `N sha1 SECRET`.
public struct AuthKey: Hashable, Sendable, CustomStringConvertible {
    /// The entry's index, 0–15 (heartbeat's code allows 0; its man page says 1–15).
    public let index: Int
    /// The signing method.
    public let method: AuthMethod
    /// The secret's bytes (the first whitespace-free word after the method); empty for crc.
    public let secret: [UInt8]
    /// HMAC's per-key states for md5 and sha1, computed here once; nil for crc.
    let hmacStates: HMACStates?

    /// Creates an entry; `secret` is ignored for crc.
    public init(index: Int, method: AuthMethod, secret: String = "") {
        self.init(index: index, method: method, secretBytes: Array(secret.utf8))
    }

    /// Creates an entry from the secret's bytes; they are ignored for crc.
    public init(index: Int, method: AuthMethod, secretBytes: [UInt8]) {
        self.index = index
        self.method = method
        self.secret = method == .crc ? [] : secretBytes
        switch method {
        case .crc: hmacStates = nil
        case .md5: hmacStates = MD5.hmacStates(key: secret)
        case .sha1: hmacStates = SHA1.hmacStates(key: secret)
        }
    }

    /// `N method`, never the secret.
    public var description: String { "\(index) \(method.rawValue)" }
}

/// A heartbeat signing method.
public enum AuthMethod: String, Hashable, Sendable, CaseIterable {
    /// CRC-32: detects corruption, authenticates nothing.
    case crc
    /// HMAC-MD5 (RFC 2104).
    case md5
    /// HMAC-SHA1 (RFC 2104).
    case sha1
}

extension AuthKeys {
    /// Parses authkeys text: `auth N` and entries `N method [secret]`; lines starting with `#` are comments.
    ///
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - path: the file name used in messages, e.g. `/etc/ha.d/authkeys`.
    /// - Throws: every problem found, each with the path and line (crc with a key, md5/sha1 without,
    ///   an unknown method, a bad index, a missing `auth` line or entry).
    public static func parse(_ text: String, path: String = "authkeys") throws(ConfigErrors) -> AuthKeys {
        var errors: [ConfigError] = []
        var warnings: [ConfigWarning] = []
        var auth: (index: Int, line: Int)?
        var entries: [Int: AuthKey] = [:]
        var entryLines: [Int: Int] = [:]
        // Lines already reported, so a bad `auth` or entry line does not also yield "missing" errors.
        var authLineFailed = false
        var failedIndices: Set<Int> = []
        func fail(_ code: ConfigError.Code, _ line: Int?, _ message: String) {
            errors.append(ConfigError(code, path: path, line: line, message))
        }
        for line in ConfigText.lines(text) {
            let words = ConfigText.tokens(line.text)
            guard let first = words.first, !first.hasPrefix("#") else { continue }
            let n = line.number
            if first == "auth" {
                guard words.count >= 2, let index = ConfigText.decimal(words[1]),
                    words.count == 2 || words[2].hasPrefix("#")
                else {
                    fail(.invalidLine, n, "auth line must be \"auth N\" with N the entry to sign with")
                    authLineFailed = true
                    continue
                }
                guard (0...15).contains(index) else {
                    fail(.invalidKeyIndex, n, "auth \(index): the index must be 0-15")
                    authLineFailed = true
                    continue
                }
                if let earlier = auth { fail(.duplicate, n, "auth is already set on line \(earlier.line)") }
                auth = (index, n)
                continue
            }
            guard let index = ConfigText.decimal(first) else {
                fail(.invalidLine, n, "expected \"auth N\" or \"N method [key]\", got \"\(first)\"")
                continue
            }
            guard (0...15).contains(index) else {
                fail(.invalidKeyIndex, n, "key index \(index) must be 0-15")
                continue
            }
            guard words.count >= 2 else {
                failedIndices.insert(index)
                fail(.missingValue, n, "key \(index) needs a method: crc, md5 or sha1")
                continue
            }
            guard let method = AuthMethod(rawValue: String(words[1])) else {
                failedIndices.insert(index)
                fail(.unknownMethod, n, "unknown authentication method \"\(words[1])\" (use crc, md5 or sha1)")
                continue
            }
            // The key is the first word after the method; heartbeat reads it with sscanf("%s").
            let rest = words.dropFirst(2).prefix { !$0.hasPrefix("#") }
            let secret = rest.first
            switch (method, secret) {
            case (.crc, .some):
                failedIndices.insert(index)
                fail(.keyNotAllowed, n, "crc does not use a key; remove \"\(secret ?? "")\" or use sha1")
                continue
            case (.md5, nil), (.sha1, nil):
                failedIndices.insert(index)
                fail(.keyRequired, n, "\(method.rawValue) requires a key: \(index) \(method.rawValue) SECRET")
                continue
            default:
                break
            }
            if rest.count > 1 {
                warnings.append(
                    ConfigWarning(
                        path: path,
                        line: n,
                        "only the first word of key \(index) is used, as in heartbeat; the rest of the line is ignored"
                    )
                )
            }
            if let earlier = entryLines[index] {
                fail(.duplicate, n, "key \(index) is already defined on line \(earlier)")
                continue
            }
            entryLines[index] = n
            entries[index] = AuthKey(index: index, method: method, secretBytes: Array((secret ?? "").utf8))
        }
        guard let auth else {
            if authLineFailed { throw ConfigErrors(errors) }
            fail(.missingAuth, nil, "no \"auth N\" line: name the key that signs messages")
            throw ConfigErrors(errors)
        }
        guard let active = entries[auth.index] else {
            if failedIndices.contains(auth.index) { throw ConfigErrors(errors) }
            fail(
                .missingKeyEntry,
                auth.line,
                "auth \(auth.index) names no key: add a line \"\(auth.index) sha1 SECRET\""
            )
            throw ConfigErrors(errors)
        }
        if !errors.isEmpty { throw ConfigErrors(errors) }
        if active.method == .crc {
            warnings.append(
                ConfigWarning(
                    path: path,
                    line: auth.line,
                    "auth \(auth.index) uses crc, which authenticates nothing: anyone on the network can forge "
                        + "messages; use sha1"
                )
            )
        }
        return AuthKeys(active: active, entries: entries, warnings: warnings)
    }
}
