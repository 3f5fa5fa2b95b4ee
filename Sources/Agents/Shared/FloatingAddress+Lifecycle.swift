#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import Netlink
import OCF

/// The steps IPaddr2 and IPaddr share around adding and removing a floating address; they differ
/// only in the label they give it and the checks they make before adding.
extension FloatingAddress {
    /// What `takeDown` found.
    public enum Removal: Sendable, Hashable {
        /// The address cannot be placed on this host (interface gone, no route): nothing to stop.
        case cannotBePlaced
        /// The address was not on its interface.
        case wasAbsent(Link)
        /// The address was removed from this interface.
        case removed(Link)
    }

    /// Opens a netlink socket for the address; failing to is a generic error (1).
    public init(spec: FloatingAddressSpec) throws {
        do {
            self.init(netlink: try NetlinkSocket(), spec: spec)
        } catch {
            throw OCFError.generic("cannot open a netlink socket: \(error)")
        }
    }

    /// The label `<interface>:<suffix>`, refused (6) when longer than the kernel's 15 characters
    /// (`IFNAMSIZ` less the terminating zero).
    public static func label(interface: String, suffix: String) throws -> String {
        let label = "\(interface):\(suffix)"
        guard label.count <= 15 else {
            throw OCFError.notConfigured("label \(label) is longer than 15 characters (iflabel=\(suffix))")
        }
        return label
    }

    /// The label on an interface: too long is wrong on every node (6) when `nic` is given or
    /// when not even a one-character interface name would fit; on an interface this node chose
    /// by route, it is this node's interface name that makes it too long: invalid on this host (2).
    public static func label(interface: String, suffix: String, nicGiven: Bool) throws -> String {
        do {
            return try label(interface: interface, suffix: suffix)
        } catch let error as OCFError where !nicGiven && suffix.count + 2 <= 15 {
            throw OCFError.invalidArguments(error.reason)
        }
    }

    /// Whether the address is on the interface (with any prefix).
    public func isPresent(on interface: Link) throws -> Bool {
        try !entries(onInterface: interface.index).isEmpty
    }

    /// Adds the address, sets the interface up and runs `announce`. If a step after adding fails,
    /// the address is removed again before the error is thrown: never a half-configured host.
    public func add(
        _ placement: Placement, label: String?, flags: AddressFlags, log: OCFLog, then announce: () throws -> Void
    ) throws {
        let interface = placement.interface
        try add(placement, label: label, flags: flags, preferredLifetime: .forever)
        do {
            if !interface.isUp { try netlink.setLinkUp(index: interface.index) }
            try announce()
        } catch {
            try? remove(fromInterface: interface.index, name: interface.name)
            throw error as? OCFError ?? OCFError.generic("after adding \(spec.address) to \(interface.name): \(error)")
        }
        let brd = placement.broadcast.map { " brd \($0)" } ?? ""
        log.info("added \(spec.address)/\(placement.prefixLength)\(brd) to \(label ?? interface.name)")
    }

    /// Announces the address on its interface; none on loopback, where no other host listens.
    public func announce(on interface: Link, _ announcement: Announcement) throws {
        guard !interface.isLoopback else { return }
        try announcement.send(for: spec.address, on: interface)
    }

    /// Removes the address from the interface it belongs on (stop).
    public func takeDown(log: OCFLog) throws -> Removal {
        let placement: Placement
        do {
            placement = try place()
        } catch let error as OCFError {
            log.info("\(error.reason); \(spec.address) cannot be configured here, nothing to stop")
            return .cannotBePlaced
        }
        let interface = placement.interface
        guard !placement.existing.isEmpty else {
            log.info("\(spec.address) is not on \(interface.name)")
            return .wasAbsent(interface)
        }
        protectSecondaries(on: interface, log: log)
        try remove(fromInterface: interface.index, name: interface.name)
        log.info("removed \(spec.address) from \(interface.name)")
        return .removed(interface)
    }

    /// With `promote_secondaries` off — the kernel's default, which Debian's systemd changes —
    /// removing the primary address of a subnet removes every secondary address of that subnet
    /// with it, so another floating address on the same subnet would vanish too. When this
    /// address is such a primary, the interface gets `promote_secondaries` first (as keepalived
    /// does for its addresses). Not for a `network_namespace`, whose /proc/sys this process
    /// does not see.
    func protectSecondaries(on interface: Link, log: OCFLog) {
        guard netlink.namespace == nil, let all = try? netlink.addresses() else { return }
        let onInterface = all.filter { $0.interfaceIndex == interface.index }
        guard let primary = onInterface.first(where: { $0.address == spec.address && !$0.flags.contains(.secondary) })
        else { return }
        let network = primary.address.masked(prefixLength: primary.prefixLength)
        let others = onInterface.filter {
            $0.address != spec.address && $0.flags.contains(.secondary) && $0.address.isIn(network, prefixLength: primary.prefixLength)
        }
        guard !others.isEmpty else { return }
        let path = "/proc/sys/net/ipv4/conf/\(interface.name)/promote_secondaries"
        guard let current = try? FileSystem.read(path), current.hasPrefix("0") else { return }
        guard let file = fopen(path, "w") else {
            log.warning("cannot enable \(path): removing \(spec.address) also removes \(others.map { "\($0.address)" }.joined(separator: ", "))")
            return
        }
        fputs("1\n", file)
        fclose(file)
        log.info("enabled promote_secondaries on \(interface.name), so that removing \(spec.address) keeps \(others.map { "\($0.address)" }.joined(separator: ", "))")
    }

    /// The interface the address is served on, or `nil` when it is not there (monitor). A probe
    /// that cannot place the address reports it stopped; a recurring monitor fails.
    public func servingInterface(isProbe: Bool, log: OCFLog) throws -> Link? {
        let placement: Placement
        do {
            placement = try place()
        } catch let error as OCFError where isProbe {
            log.debug("\(error.reason); probe reports not running")
            return nil
        }
        return placement.existing.isEmpty ? nil : placement.interface
    }

    /// LVS direct routing, on start: takes away the /32 copy a stop left on loopback.
    public func removeLoopbackCopy() throws {
        guard let loopback = try netlink.links().first(where: \.isLoopback) else { return }
        try remove(fromInterface: loopback.index, name: loopback.name)
    }

    /// LVS direct routing, on stop: keeps the address as a /32 on loopback, so that the host still
    /// accepts the traffic a director sends it without answering ARP for the address.
    public func keepLoopbackCopy(log: OCFLog) throws {
        guard let loopback = try netlink.links().first(where: \.isLoopback), try !isPresent(on: loopback) else { return }
        try add(
            Placement(interface: loopback, prefixLength: 32, broadcast: nil), label: nil, flags: [],
            preferredLifetime: .forever)
        log.info("kept \(spec.address)/32 on \(loopback.name) for LVS direct routing")
    }
}
