import HAKitSystem
import Netlink
import OCF

/// A floating IPv4 address in the alias style of resource-agents' IPaddr: the address is labelled
/// `NIC:N`, so that ifconfig-era tools show it as the alias interface `eth0:0`. Everything else —
/// interface choice, netmask, broadcast, ARPs, LVS — is IPaddr2's, through `FloatingAddress`.
public struct IPaddr: ResourceAgent {
    public static let descriptor = AgentDescriptor(
        name: "IPaddr", version: "1.0",
        short: "Manages a floating IPv4 address as an interface alias (Linux, netlink)",
        long: """
            Adds and removes a floating IPv4 address through netlink as an interface alias: the \
            address is labelled NIC:N with the first N from 0 to 511 that no address on the \
            interface carries (or NIC:iflabel), which ifconfig shows as the interface eth0:0. It is \
            announced with gratuitous ARPs sent natively. The interface, prefix and broadcast are \
            chosen as IPaddr2 chooses them: from the directly connected route with the lowest metric \
            that contains the address, and a broadcast computed from the prefix. Parameters match \
            resource-agents' IPaddr. heartbeat v1 may also call it with haresources' address \
            argument before the action: IPaddr ip[/bits[/interface[/broadcast]]] start, or \
            ip/bits/broadcast (a third part starting with a digit is the broadcast address).
            """,
        parameters: [
            NetworkParameters.ip,
            ParameterSpec(
                "nic", short: "Network interface",
                long: """
                    The base interface to add the address to, e.g. eth0; an alias suffix (eth0:1) is \
                    ignored. Without it, the interface comes from the routing table (lowest metric \
                    among the directly connected routes containing the address). resource-agents' \
                    IPaddr documents the same but falls back to eth0 in its code; this agent always \
                    uses the routes. Must exist when given.
                    """),
            NetworkParameters.cidrNetmask, NetworkParameters.broadcast,
            ParameterSpec(
                "iflabel", short: "Interface label",
                long: """
                    A fixed alias: the address is labelled <nic>:<iflabel> instead of the first free \
                    <nic>:N (at most 15 characters in all).
                    """),
            NetworkParameters.lvsSupport,
            ParameterSpec(
                "local_stop_script", short: "Script run when the address is released",
                long: """
                    An executable run with the address as its only argument after stop has removed \
                    the address; when it fails, stop logs a warning and still succeeds.
                    """),
            ParameterSpec(
                "local_start_script", short: "Script run when the address is added",
                long: """
                    An executable run with the address as its only argument after start has added \
                    the address; when it fails, start logs a warning and still succeeds.
                    """),
            NetworkParameters.arpInterval("ARP_INTERVAL_MS", default: "500"),
            NetworkParameters.arpCount("ARP_REPEAT", default: "10"),
            NetworkParameters.arpBackground("ARP_BACKGROUND", default: "yes"),
            ParameterSpec(
                "ARP_NETMASK", default: "ffffffffffff", short: "Netmask for ARP (accepted)",
                long: """
                    Accepted for compatibility with send_arp's hexadecimal netmask argument; the \
                    gratuitous ARPs always go to the Ethernet broadcast address.
                    """),
        ],
        actions: [
            ActionSpec(.start, timeout: 20), ActionSpec(.stop, timeout: 20),
            ActionSpec(.monitor, timeout: 20, interval: 5, depth: 0), ActionSpec(.status, timeout: 20),
            ActionSpec(.validateAll, timeout: 20), ActionSpec(.metaData, timeout: 5),
        ])

    /// The alias numbers tried, as the reference tries them.
    static let aliasNumbers = 0..<512

    let context: AgentContext
    let spec: FloatingAddressSpec
    /// validate's placement, reused by start.
    let placed = PlacementMemo()
    let iflabel: String?

    public init(context: AgentContext) throws {
        self.context = context
        let parameters = context.parameters
        // The base interface only: the reference drops an alias suffix (eth0:1) the same way.
        let nic = parameters.string("nic").map { String($0.prefix { $0 != ":" }) }
        spec = try FloatingAddressSpec(
            ip: parameters.string("ip") ?? "", nic: nic, netmask: parameters.string("cidr_netmask"),
            broadcast: parameters.string("broadcast"))
        iflabel = parameters.string("iflabel")
        if let nic, let iflabel { _ = try FloatingAddress.label(interface: nic, suffix: iflabel) }
        try parameters.requireNonNegative("ARP_INTERVAL_MS", "ARP_REPEAT")
    }

    /// heartbeat v1: haresources' address argument, `ip[/bits[/interface[/broadcast]]]` or
    /// `ip/bits/broadcast` — heartbeat reads a third part that starts with a digit as the broadcast
    /// address. The values are checked as the parameters they become.
    public static func legacyParameters(_ arguments: [String]) throws -> [String: String]? {
        let usage = "heartbeat's IPaddr takes one argument ip[/bits[/interface[/broadcast]]] or ip/bits/broadcast"
        let parts = arguments.count == 1 ? arguments[0].split(separator: "/", omittingEmptySubsequences: false) : []
        let broadcastThird = parts.count > 2 && parts[2].first?.isNumber == true
        guard (1...4).contains(parts.count), !parts.contains(""), !(broadcastThird && parts.count == 4) else {
            throw OCFError.notConfigured("\(usage), not \(arguments.joined(separator: " "))")
        }
        let names = ["ip", "cidr_netmask", broadcastThird ? "broadcast" : "nic", "broadcast"]
        return Dictionary(uniqueKeysWithValues: zip(names, parts.map(String.init)))
    }

    var pidFile: String { BackgroundARP.pidFile(stateDirectory: context.environment.stateDirectory, address: spec.address) }

    /// The alias label on `interface`: `NIC:iflabel`, else `NIC:N` with the first N no address on
    /// the interface carries.
    func aliasLabel(on interface: Link, netlink: NetlinkSocket) throws -> String {
        if let iflabel { return try FloatingAddress.label(interface: interface.name, suffix: iflabel, nicGiven: spec.nic != nil) }
        let taken = Set(try netlink.addresses().filter { $0.interfaceIndex == interface.index }.compactMap(\.label))
        guard let free = Self.aliasNumbers.first(where: { !taken.contains("\(interface.name):\($0)") }) else {
            throw OCFError.generic("no free alias on \(interface.name): \(interface.name):0 to :511 are all taken")
        }
        return try FloatingAddress.label(interface: interface.name, suffix: String(free), nicGiven: spec.nic != nil)
    }

    public func validate() throws {
        let placement = try placed.placed(spec).placement
        _ = try FloatingAddress.label(interface: placement.interface.name, suffix: iflabel ?? "0", nicGiven: spec.nic != nil)
    }

    public func start() throws {
        let (address, placement) = try placed.placed(spec)
        let interface = placement.interface
        if !placement.existing.isEmpty {
            context.log.info("\(spec.address) is already on \(interface.name)")
            return
        }
        let parameters = context.parameters
        if parameters.boolean("lvs_support") { try address.removeLoopbackCopy() }
        let announcement = Announcement(
            rounds: parameters.defaultedInteger("ARP_REPEAT"),
            intervalMilliseconds: parameters.defaultedInteger("ARP_INTERVAL_MS"),
            background: parameters.boolean("ARP_BACKGROUND"), environment: context.environment)
        // One start at a time per interface between choosing the free alias and taking it, as the
        // reference's lock files in HA_RSCTMP (IPaddr-<nic>) ensure.
        let state = context.environment.stateDirectory
        do {
            try FileSystem.makeDirectories(state)
            try FileSystem.withExclusiveLock("\(state)/IPaddr-\(interface.name)") {
                let label = try aliasLabel(on: interface, netlink: address.netlink)
                try address.add(placement, label: label, flags: [], log: context.log) {
                    try address.announce(on: interface, announcement)
                }
            }
        } catch let error as SystemError {
            throw OCFError.generic("cannot lock the aliases of \(interface.name) in \(state): \(error)")
        }
        runLocalScript("local_start_script")
    }

    public func stop() throws {
        if BackgroundARP.stop(pidFile: pidFile) { context.log.info("stopped the ARP sender for \(spec.address)") }
        let address = try FloatingAddress(spec: spec)
        let removal = try address.takeDown(log: context.log)
        guard removal != .cannotBePlaced else { return }
        if case .removed = removal { runLocalScript("local_stop_script") }
        if context.parameters.boolean("lvs_support") { try address.keepLoopbackCopy(log: context.log) }
    }

    public func monitor() throws -> ResourceState {
        let address = try FloatingAddress(spec: spec)
        return try address.servingInterface(isProbe: context.isProbe, log: context.log) == nil ? .notRunning : .running
    }

    /// Runs `local_start_script` or `local_stop_script` with the address as its argument, as the
    /// reference does: only when it is executable, and a failure is only a warning. It gets half
    /// the operation's timeout (10 s without one).
    func runLocalScript(_ name: String) {
        guard let path = context.parameters.string(name) else { return }
        guard FileSystem.isExecutable(path) else {
            context.log.warning("\(name)=\(path) is not an executable file; not run")
            return
        }
        let timeout = context.environment.timeoutMilliseconds.map { $0 / 2 } ?? 10_000
        do {
            let result = try ProcessRun.run(
                path: path, arguments: [path, "\(spec.address)"], environment: context.environment.variables,
                timeoutMilliseconds: timeout)
            guard result.termination != .exited(0) else { return }
            let ending = result.timedOut ? "timed out after \(timeout) ms" : result.termination?.description ?? "not reaped"
            let said = String(decoding: result.errorOutput, as: UTF8.self).split(separator: "\n").last.map { ": \($0)" } ?? ""
            context.log.warning("\(name) \(path) \(spec.address) failed (\(ending))\(said)")
        } catch {
            context.log.warning("\(name) \(path) could not be run: \(error)")
        }
    }
}
