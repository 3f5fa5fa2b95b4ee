import HAKitSystem
import OCF

/// Meta-data for classes whose agents cannot print their own: LSB scripts (from their
/// `### BEGIN INIT INFO` block, as Pacemaker synthesises it), heartbeat v1 scripts and systemd
/// units.
public enum SynthesizedMetadata {
    /// The actions an LSB resource offers, with Pacemaker's default timeouts.
    static let lsbActions = [
        ActionSpec(.metaData, timeout: 5), ActionSpec(.start, timeout: 15), ActionSpec(.stop, timeout: 15),
        ActionSpec(.status, timeout: 15), ActionSpec(OCFAction(rawValue: "restart"), timeout: 15),
        ActionSpec(.monitor, timeout: 15, interval: 15),
    ]

    /// The fields of an LSB `### BEGIN INIT INFO` block, continuation lines joined.
    public static func initInfo(_ script: String) -> [String: String] {
        var fields: [String: String] = [:]
        var inside = false
        var last: String?
        for raw in script.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if line.hasPrefix("### BEGIN INIT INFO") { inside = true; continue }
            if line.hasPrefix("### END INIT INFO") { break }
            guard inside, line.hasPrefix("#") else { continue }
            let body = line.dropFirst()
            // "#  text" or "#\ttext" continues the previous field (LSB 3.0 §20.3).
            if let last, body.hasPrefix("  ") || body.hasPrefix("\t") {
                fields[last, default: ""] += " " + body.trimmingWhitespace()
            } else if let colon = body.firstIndex(of: ":") {
                let key = body[..<colon].trimmingWhitespace()
                fields[key] = body[body.index(after: colon)...].trimmingWhitespace()
                last = key
            }
        }
        return fields
    }

    /// The meta-data XML for an LSB script.
    public static func lsb(name: String, path: String) -> String {
        let info = (try? FileSystem.read(path)).flatMap { $0 }.map(initInfo) ?? [:]
        let descriptor = AgentDescriptor(
            name: name, version: "0.1",
            short: info["Short-Description"] ?? "\(name) init script",
            long: info["Description"] ?? "The LSB init script \(path), run as a resource.",
            parameters: [], actions: lsbActions)
        return MetadataRenderer.xml(descriptor)
    }

    /// The meta-data XML for a heartbeat v1 resource script.
    public static func heartbeat(name: String, path: String) -> String {
        let descriptor = AgentDescriptor(
            name: name, version: "0.1", short: "heartbeat v1 resource script \(name)",
            long: """
                The heartbeat resource script \(path), run as haresources runs it: \
                script [ARG…] start|stop|status; running is judged from what status prints.
                """,
            parameters: [],
            actions: [
                ActionSpec(.metaData, timeout: 5), ActionSpec(.start, timeout: 20), ActionSpec(.stop, timeout: 20),
                ActionSpec(.status, timeout: 20), ActionSpec(.monitor, timeout: 20, interval: 10),
            ])
        return MetadataRenderer.xml(descriptor)
    }
}

extension SynthesizedMetadata {
    /// The meta-data XML for a systemd unit, as Pacemaker writes it: the unit's `Description` as
    /// the long description (a generic text when systemd could not be asked), 100 s timeouts.
    public static func systemd(name: String, unit: String, description: String?) -> String {
        let descriptor = AgentDescriptor(
            name: name, version: "0.1", short: "systemd unit file for \(name)",
            long: description ?? "The systemd unit \(unit), started and stopped through systemd's D-Bus API.",
            parameters: [],
            actions: [
                ActionSpec(.start, timeout: 100), ActionSpec(.stop, timeout: 100), ActionSpec(.status, timeout: 100),
                ActionSpec(OCFAction(rawValue: "restart"), timeout: 100),
                ActionSpec(.monitor, timeout: 100, interval: 60),
                ActionSpec(.metaData, timeout: 5),
            ])
        return MetadataRenderer.xml(descriptor)
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
