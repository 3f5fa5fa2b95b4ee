import ArgumentParser
import Heartbeat
import OCF

#if canImport(Glibc)
import Glibc
#endif

struct HeartbeatLite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heartbeat-lite",
        abstract: "Two-node failover from heartbeat's own /etc/ha.d configuration.",
        discussion: """
            heartbeat-lite reads heartbeat v1's ha.cf, haresources and authkeys unchanged. This \
            version has the configuration check only; the failover daemon is not built yet.
            """,
        subcommands: [Check.self])
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check ha.cf, haresources and authkeys as the daemon would, and show the resource groups.",
        discussion: """
            Every problem is reported as FILE:LINE: message, all of them, not only the first; the \
            exit status is 1 when there is any. For a valid configuration, each node's group is \
            printed as it will be run: the agent (ocf:hakit:IPaddr for IP addresses, heartbeat:NAME \
            for resource.d and init.d scripts) and its parameters, in start order.
            """)

    @Option(name: .customLong("config-dir"), help: "The directory holding ha.cf, haresources and authkeys.")
    var configDirectory = "/etc/ha.d"

    @Option(name: .long, help: "The local node name (default: uname -n, lower-cased).")
    var node: String?

    func run() throws {
        let localNode = (node ?? Self.hostName()).lowercased()
        let configuration: HeartbeatConfiguration
        do {
            configuration = try HeartbeatConfiguration.load(directory: configDirectory, localNode: localNode)
        } catch {
            writeStandardError(error.errors.map { "\($0)\n" }.joined())
            writeStandardError("heartbeat-lite: \(error.errors.count) problem(s) in \(configDirectory); nothing would be started\n")
            throw ExitCode.failure
        }
        writeStandardOutput(ConfigurationReport.render(configuration))
    }

    static func hostName() -> String {
        var names = utsname()
        uname(&names)
        return withUnsafeBytes(of: names.nodename) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}

HeartbeatLite.main()
