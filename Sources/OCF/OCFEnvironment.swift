/// The OCF environment an agent runs in, read once from the process environment.
///
/// A value built from a dictionary, so tests hand in exactly the variables they mean.
public struct OCFEnvironment: Sendable {
    /// All variables, as given.
    public let variables: [String: String]

    /// Wraps a set of environment variables.
    public init(_ variables: [String: String]) { self.variables = variables }

    /// `OCF_ROOT`, by default `/usr/lib/ocf`.
    public var root: String { nonEmpty("OCF_ROOT") ?? "/usr/lib/ocf" }
    /// `OCF_RESOURCE_INSTANCE`; absent when the manager did not set it.
    public var resourceInstance: String? { nonEmpty("OCF_RESOURCE_INSTANCE") }
    /// `OCF_RESOURCE_TYPE`.
    public var resourceType: String? { nonEmpty("OCF_RESOURCE_TYPE") }
    /// `OCF_RESOURCE_PROVIDER`.
    public var resourceProvider: String? { nonEmpty("OCF_RESOURCE_PROVIDER") }
    /// `OCF_RA_VERSION_MAJOR`/`MINOR`; absent when called outside a cluster manager (init-script style).
    public var raVersion: (major: Int, minor: Int)? {
        guard let major = nonEmpty("OCF_RA_VERSION_MAJOR").flatMap({ Int($0) }) else { return nil }
        return (major, nonEmpty("OCF_RA_VERSION_MINOR").flatMap { Int($0) } ?? 0)
    }

    /// Instance parameters: each `OCF_RESKEY_<name>` that is not a `CRM_meta_` attribute.
    public var instanceParameters: [String: String] {
        var result: [String: String] = [:]
        for (key, value) in variables where key.hasPrefix("OCF_RESKEY_") {
            let name = String(key.dropFirst("OCF_RESKEY_".count))
            if !name.hasPrefix("CRM_meta_") { result[name] = value }
        }
        return result
    }

    /// A meta-attribute, `OCF_RESKEY_CRM_meta_<name>` (dashes in the attribute become underscores).
    public func meta(_ name: String) -> String? {
        nonEmpty("OCF_RESKEY_CRM_meta_" + name.replacingDashes())
    }

    /// The operation timeout in milliseconds (`CRM_meta_timeout`).
    public var timeoutMilliseconds: Int? { meta("timeout").flatMap(Self.managerMilliseconds) }
    /// The operation interval in milliseconds (`CRM_meta_interval`); 0 for a probe.
    public var intervalMilliseconds: Int? { meta("interval").flatMap(Self.managerMilliseconds) }

    /// A manager's time in milliseconds. Pacemaker keeps them as unsigned 32-bit numbers, so a
    /// negative value or a larger one came from no manager and counts as absent (the agent's
    /// advertised default applies); within that range no deadline computed from it can overflow.
    static func managerMilliseconds(_ text: String) -> Int? {
        guard let value = Int(text), (0...Int(UInt32.max)).contains(value) else { return nil }
        return value
    }

    /// `OCF_CHECK_LEVEL` (also read as `OCF_RESKEY_OCF_CHECK_LEVEL`), 0 when absent or malformed.
    public var checkLevel: Int {
        (nonEmpty("OCF_CHECK_LEVEL") ?? nonEmpty("OCF_RESKEY_OCF_CHECK_LEVEL")).flatMap { Int($0) } ?? 0
    }

    /// `HA_RSCTMP`: where agents keep pid and state files, `/run/resource-agents` by default.
    public var stateDirectory: String { nonEmpty("HA_RSCTMP") ?? "/run/resource-agents" }
    /// `HA_LOGFILE`: a file to append log lines to, as heartbeat's shell functions do.
    public var logFile: String? { nonEmpty("HA_LOGFILE") }
    /// `HA_DEBUGLOG`: a file to append debug lines to.
    public var debugLogFile: String? { nonEmpty("HA_DEBUGLOG") }
    /// Whether debug lines are wanted (`HA_DEBUG` or `HA_debug` set and not 0).
    public var debugEnabled: Bool {
        guard let value = nonEmpty("HA_DEBUG") ?? nonEmpty("HA_debug") else { return false }
        return value != "0" && value.lowercased() != "false" && value.lowercased() != "no"
    }

    /// A variable's value, `nil` when absent or empty.
    public func nonEmpty(_ name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }
}

extension String {
    func replacingDashes() -> String { String(map { $0 == "-" ? "_" : $0 }) }
}
