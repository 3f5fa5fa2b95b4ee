import HAKitSystem
import Netlink
import OCF

/// A floating IPv6 address, compatible with resource-agents' IPv6addr (a C program there): the
/// same parameters and actions, on IPaddr2's IPv6 code — netlink, the lowest-metric route,
/// duplicate address detection waited for, native unsolicited neighbour advertisements.
public struct IPv6addr: ResourceAgent {
    public static let descriptor = AgentDescriptor(
        name: "IPv6addr", version: "1.0",
        short: "Manages IPv6 aliases",
        long: """
            Adds and removes a floating IPv6 address through netlink. Without nic, the interface and \
            prefix come from the directly connected route with the lowest metric that contains the \
            address; a link-local address (fe80::/10) needs nic. Start waits until duplicate address \
            detection is over (at most 10 s) and fails, removing the address, when another node on \
            the link holds it; then five unsolicited neighbour advertisements go out one second \
            apart, the first before start returns and the rest from a background sender. \
            Parameters and actions match resource-agents' IPv6addr.
            """,
        parameters: [
            ParameterSpec(
                "ipv6addr", required: true, short: "IPv6 address",
                long: """
                    The IPv6 address this agent manages, as 2001:db8::10 or 2001:db8::10/64 (the \
                    prefix length, unless cidr_netmask is given).
                    """),
            ParameterSpec(
                "cidr_netmask", short: "Netmask",
                long: """
                    The prefix length, 1-128 (e.g. 64). It overrides the prefix given with ipv6addr; \
                    without either, the chosen route's prefix is used.
                    """),
            ParameterSpec(
                "nic", short: "Network interface",
                long: "The interface to add the address to; by default the one of the lowest-metric connected route."),
        ],
        actions: [
            ActionSpec(.start, timeout: 15), ActionSpec(.stop, timeout: 15),
            ActionSpec(.status, timeout: 15, interval: 15), ActionSpec(.monitor, timeout: 15, interval: 15),
            ActionSpec(.validateAll, timeout: 5), ActionSpec(.metaData, timeout: 5),
        ])

    /// resource-agents' IPv6addr sends five advertisements one second apart (`UA_REPEAT_COUNT`).
    static let advertisements = 5
    static let advertisementIntervalMilliseconds = 1000

    let context: AgentContext
    let spec: FloatingIPv6AddressSpec

    public init(context: AgentContext) throws {
        self.context = context
        let parameters = context.parameters
        var text = parameters.string("ipv6addr") ?? ""
        var prefix = parameters.string("cidr_netmask").flatMap { $0.isEmpty ? nil : $0 }
        if let slash = text.firstIndex(of: "/") {
            // ipv6addr=ADDRESS/PREFIX; cidr_netmask, when given, wins.
            let given = String(text[text.index(after: slash)...])
            text = String(text[..<slash])
            if prefix == nil {
                do {
                    _ = try parseIPv6PrefixLength(given)
                } catch {
                    throw OCFError.notConfigured("ipv6addr=\(text)/\(given): \(error)")
                }
                prefix = given
            }
        }
        spec = try FloatingIPv6AddressSpec(ip: text, nic: parameters.string("nic"), netmask: prefix)
    }

    var pidFile: String {
        BackgroundARP.pidFile(stateDirectory: context.environment.stateDirectory, address: spec.address)
    }

    public func validate() throws {
        _ = try FloatingIPv6Address(spec: spec).place()
    }

    public func start() throws {
        try FloatingIPv6Address(spec: spec).bringUp(flags: [], preferredLifetime: .forever, log: context.log) {
            try Announcement(
                rounds: Self.advertisements, intervalMilliseconds: Self.advertisementIntervalMilliseconds,
                background: true, environment: context.environment
            ).send(for: spec.address, on: $0)
        }
    }

    public func stop() throws {
        if BackgroundARP.stop(pidFile: pidFile) {
            context.log.info("stopped the neighbour advertisement sender for \(spec.address)")
        }
        try FloatingIPv6Address(spec: spec).takeDown(log: context.log)
    }

    public func monitor() throws -> ResourceState {
        let address = try FloatingIPv6Address(spec: spec)
        return try address.servingInterface(isProbe: context.isProbe, log: context.log) == nil ? .notRunning : .running
    }
}
