/// The text `heartbeat-lite check` prints for a valid configuration.
public enum ConfigurationReport {
    /// Renders the cluster settings, the warnings and each group as it will be run.
    public static func render(_ configuration: HeartbeatConfiguration) -> String {
        let cf = configuration.haCf
        var out = "configuration in \(configuration.directory) is valid for node \(cf.localNode)\n"
        out += "nodes: \(cf.nodes.joined(separator: ", "))\n"
        out += "timing: keepalive \(cf.keepaliveMs) ms, warntime \(cf.warntimeMs) ms, deadtime \(cf.deadtimeMs) ms, "
        out += "initdead \(cf.initdeadMs) ms\n"
        out += "media: \(cf.media.map(\.description).joined(separator: "; ")) (udpport \(cf.udpPort))\n"
        out += "auto_failback: \(cf.autoFailback.rawValue)\n"
        if !cf.pingTargets.isEmpty {
            let targets = cf.pingTargets.map(\.description).joined(separator: "; ")
            let rule = cf.runsIpfail ? "ipfail's rule on" : "tracked and shown only (no respawn of ipfail)"
            out += "ping nodes: \(targets); deadping \(cf.deadpingMs) ms; \(rule)\n"
        }
        out += "authentication: key \(configuration.authKeys.active)\n"
        for warning in configuration.warnings { out += "warning: \(warning)\n" }
        let hakit = configuration.hakit
        out += "resource monitor (\(HakitCf.fileName)\(hakit == HakitCf() ? ": none, defaults" : "")): \(describe(hakit.defaults))\n"
        for group in configuration.resources.groups {
            let home = group.node == cf.localNode ? "this node" : group.node
            out += "\ngroup \(group.key) (home node \(home), haresources line \(group.line)):\n"
            for (number, resource) in group.plan().enumerated() {
                out += "  \(number + 1). \(resource)\n"
            }
            out += "  stop order: \(group.stopOrder.map(\.token).joined(separator: ", "))\n"
            for resource in group.resources {
                out += "  monitor \(resource.token): \(describe(configuration.hakit.settings(for: resource.token)))\n"
            }
        }
        return out
    }

    /// `every 10000 ms, timeout 20000 ms, migration_threshold 3, failure_timeout 300000 ms`, or `off`.
    static func describe(_ settings: MonitorSettings) -> String {
        guard settings.enabled else { return "off" }
        return "every \(settings.intervalMs) ms, timeout \(settings.timeoutMs) ms, migration_threshold \(settings.migrationThreshold), failure_timeout \(settings.failureTimeoutMs) ms"
    }
}
