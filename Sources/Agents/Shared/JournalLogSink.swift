import HAKitSystem
import OCF

/// Sends agent log lines to the systemd journal as structured entries, with the resource
/// instance and action as fields (`OCF_RESOURCE_INSTANCE`, `OCF_ACTION`).
public struct JournalLogSink: LogSink {
    /// Creates the sink.
    public init() {}

    public func write(_ entry: LogEntry) {
        var fields: [(String, String)] = [("OCF_RESOURCE_TYPE", entry.agent)]
        if let instance = entry.instance { fields.append(("OCF_RESOURCE_INSTANCE", instance)) }
        if let action = entry.action { fields.append(("OCF_ACTION", action)) }
        Journal.send(
            message: "\(entry.level.word): \(entry.message)", priority: entry.level.syslogPriority,
            identifier: entry.agent, fields: fields)
    }
}
