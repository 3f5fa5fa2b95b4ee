import OCF

extension AgentMetadata {
    /// ocf-tester's interval for recurring monitors when an agent advertises none.
    static let defaultMonitorIntervalMilliseconds = 10_000

    /// The interval recurring monitors run with: the first non-zero monitor interval advertised,
    /// else ocf-tester's 10 s.
    var recurringMonitorIntervalMilliseconds: Int {
        actions.first { $0.name == "monitor" && ($0.intervalMilliseconds ?? 0) > 0 }?.intervalMilliseconds
            ?? Self.defaultMonitorIntervalMilliseconds
    }
}
