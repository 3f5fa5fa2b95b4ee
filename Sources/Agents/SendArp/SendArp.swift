import HAKitSystem
import Netlink
import OCF

/// Gratuitous ARPs for an address without adding it, compatible with resource-agents' SendArp;
/// the frames are built natively (`GratuitousARP`), in the background by default (`BackgroundARP`).
public struct SendArp: ResourceAgent {
    public static let descriptor = AgentDescriptor(
        name: "SendArp", version: "1.0",
        short: "Broadcasts unsolicited ARP announcements (native)",
        long: """
            Sends gratuitous ARPs for an IPv4 address on an interface without adding the address \
            there, for example to announce an address that IPaddr2 or IPaddr manage on a further \
            interface. Each round is a gratuitous request and a gratuitous reply from the \
            interface's hardware address, built natively on a packet socket; on loopback, which has \
            none, the hardware address is zero. The resource runs from start to stop: while the \
            background sender runs (pid file send_arp-<ip> in HA_RSCTMP) or once start has \
            recorded the state file SendArp_<instance>. Parameters match resource-agents' SendArp; \
            the ARP timing is configurable here.
            """,
        parameters: [
            ParameterSpec(
                "ip", required: true, short: "IP address",
                long: "The IPv4 address announced, in dotted quad notation, e.g. 203.0.113.10."),
            ParameterSpec(
                "nic", required: true, short: "NIC",
                long: """
                    The interface the ARPs are sent on. A label (eth0:0) names its base interface \
                    (eth0), as for IPaddr2. An interface missing on this node fails start \
                    (OCF_ERR_GENERIC), so that the cluster recovers the resource on another node.
                    """),
            ParameterSpec(
                "background", .boolean, default: "true", short: "Send ARPs in background",
                long: """
                    Whether start returns at once while a background process sends the ARPs. With \
                    false, start waits for them, and fails when they cannot be sent.
                    """),
            NetworkParameters.arpInterval("arp_interval", default: "200"),
            NetworkParameters.arpCount("arp_count", default: "5"),
            ParameterSpec(
                "arp_count_refresh", .integer, default: "0", short: "Gratuitous ARP rounds sent per monitor",
                long: """
                    How many rounds each monitor of the running resource sends, in the background, \
                    unless the sender from start is still at work.
                    """),
        ],
        actions: [
            ActionSpec(.start, timeout: 20), ActionSpec(.stop, timeout: 20),
            ActionSpec(.monitor, timeout: 20, interval: 10, depth: 0), ActionSpec(.status, timeout: 20),
            ActionSpec(.metaData, timeout: 5), ActionSpec(.validateAll, timeout: 20),
        ])

    let context: AgentContext
    let address: IPv4Address
    let nic: String

    public init(context: AgentContext) throws {
        self.context = context
        let parameters = context.parameters
        // nic=eth0:0 is the base interface eth0: ARPs go out of a device, and a label is no device.
        let given = parameters.string("nic") ?? ""
        nic = String(given.prefix { $0 != ":" })
        guard !nic.isEmpty else { throw OCFError.notConfigured("nic=\(given) names no interface") }
        address = try FloatingAddressSpec(ip: parameters.string("ip")!, nic: nic, netmask: nil, broadcast: nil).address
        try parameters.requireNonNegative("arp_interval", "arp_count", "arp_count_refresh")
    }

    var pidFile: String { BackgroundARP.pidFile(stateDirectory: context.environment.stateDirectory, address: address) }

    /// The state file that says the resource was started.
    var stateFile: String { "\(context.environment.stateDirectory)/SendArp_\(context.instance)" }

    /// The interface; one that does not exist here is missing on this node (1 on start and
    /// monitor, as resource-agents' SendArp and its ocft cases give; never 6).
    func interface() throws -> Link {
        let link: Link?
        do {
            link = try NetlinkSocket().link(named: nic)
        } catch {
            throw OCFError.generic("cannot look up interface \(nic): \(error)")
        }
        guard let link else { throw OCFError.absentHere("nic=\(nic) does not exist on this node") }
        return link
    }

    /// The ARPs of start (`arp_count`, as `background` says) or of a monitor (`arp_count_refresh`).
    func announcement(rounds: String, background: Bool) -> Announcement {
        Announcement(
            rounds: context.parameters.defaultedInteger(rounds),
            intervalMilliseconds: context.parameters.defaultedInteger("arp_interval"),
            background: background, environment: context.environment)
    }

    public func validate() throws {
        _ = try interface()
    }

    public func start() throws {
        if try monitor() == .running { return }
        let interface = try interface()
        // The state first: a sender started before a failure to record it would announce on for a
        // resource that failed to start.
        do {
            try FileSystem.makeDirectories(context.environment.stateDirectory)
            try FileSystem.writeAtomically(stateFile, contents: "")
        } catch {
            throw OCFError.generic("cannot record the state of SendArp for \(address): \(error)")
        }
        do {
            try announcement(rounds: "arp_count", background: context.parameters.boolean("background"))
                .send(for: address, on: interface)
        } catch {
            try? FileSystem.remove(stateFile)
            throw error
        }
        context.log.info("sending gratuitous ARPs for \(address) on \(nic)")
    }

    public func stop() throws {
        // A pid file whose sender has gone (or whose pid now names another program) is only cleaned up.
        if BackgroundARP.stop(pidFile: pidFile) { context.log.info("stopped the ARP sender for \(address)") }
        do {
            try FileSystem.remove(stateFile)
        } catch {
            throw OCFError.generic("cannot remove the state file of SendArp for \(address): \(error)")
        }
    }

    public func monitor() throws -> ResourceState {
        let sending = BackgroundARP.runningPid(pidFile: pidFile) != nil
        guard sending || FileSystem.exists(stateFile) else { return .notRunning }
        if context.parameters.defaultedInteger("arp_count_refresh") > 0 && !sending && context.action != .start {
            try announcement(rounds: "arp_count_refresh", background: true).send(for: address, on: try interface())
        }
        return .running
    }
}
