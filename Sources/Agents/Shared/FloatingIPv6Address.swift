#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import Netlink
import OCF

/// What a floating IPv6 address is: the address and what the admin said about where it goes.
public struct FloatingIPv6AddressSpec: Hashable, Sendable {
    /// The address.
    public var address: IPv6Address
    /// The interface, when given.
    public var nic: String?
    /// The prefix length, when given.
    public var prefixLength: Int?

    /// Reads `ip` and `cidr_netmask` (a prefix length of 1-128) for IPv6; a malformed value, a
    /// multicast, unspecified or IPv4-mapped address, or a link-local one without `nic` is wrong
    /// on every node (6).
    public init(ip: String, nic: String?, netmask: String?) throws {
        guard let address = IPv6Address(ip) else {
            throw OCFError.notConfigured("ip=\(ip) is not a valid IPv6 address")
        }
        guard !address.isUnspecified, !address.isMulticast, !address.isIPv4Mapped else {
            throw OCFError.notConfigured(
                "ip=\(ip) cannot be a floating address (unspecified, multicast or IPv4-mapped)")
        }
        self.address = address
        self.nic = nic.flatMap { $0.isEmpty ? nil : $0 }
        if address.isLinkLocal && self.nic == nil {
            throw OCFError.notConfigured("'nic' parameter is mandatory for a link local address [\(address)]")
        }
        if let netmask, !netmask.isEmpty {
            do {
                prefixLength = try parseIPv6PrefixLength(netmask)
            } catch {
                throw OCFError.notConfigured(error.description)
            }
        }
    }
}

/// Where a floating IPv6 address goes on this host.
public struct IPv6Placement: Hashable, Sendable {
    /// The interface.
    public var interface: Link
    /// The prefix length.
    public var prefixLength: Int
    /// The entries of the address already on the interface, from the same dump.
    public var existing: [IPv6AddressEntry] = []
}

/// Adding, finding and removing a floating IPv6 address through netlink, with the interface
/// chosen by route cost when none is given, and duplicate address detection waited for.
public struct FloatingIPv6Address {
    /// The netlink socket used for everything.
    public let netlink: NetlinkSocket
    /// The address specification.
    public let spec: FloatingIPv6AddressSpec

    /// Opens a netlink socket for the address; failing to is a generic error (1).
    public init(spec: FloatingIPv6AddressSpec) throws {
        do {
            netlink = try NetlinkSocket()
        } catch {
            throw OCFError.generic("cannot open a netlink socket: \(error)")
        }
        self.spec = spec
    }

    /// Chooses the interface and prefix by route cost (findif). A missing interface is missing
    /// on this node (1, never 6); no usable route is a generic error (1).
    public func place() throws -> IPv6Placement {
        let links = try netlink.links()
        let addresses = try netlink.ipv6Addresses()
        let routes = try netlink.ipv6Routes(table: .main)
        func placement(_ link: Link, _ prefix: Int) -> IPv6Placement {
            IPv6Placement(
                interface: link, prefixLength: prefix,
                existing: addresses.filter { $0.address == spec.address && $0.interfaceIndex == link.index })
        }
        do {
            let selection = try findInterface(
                for: spec.address, routes: routes, links: links, addresses: addresses, nic: spec.nic,
                prefixLength: spec.prefixLength)
            return placement(selection.interface, selection.prefixLength)
        } catch let error where error.code == .noSuchInterface {
            throw OCFError.absentHere("nic=\(spec.nic ?? "") does not exist on this node: \(error)")
        } catch let error where [.noRoute, .defaultRouteOnly].contains(error.code) {
            // With both the interface and the prefix length given, no route is needed.
            if let name = spec.nic, let prefix = spec.prefixLength, let link = links.first(where: { $0.name == name }) {
                return placement(link, prefix)
            }
            throw OCFError.generic(error.description)
        } catch {
            throw OCFError.generic("Unable to find nic or netmask for \(spec.address): \(error)")
        }
    }

    /// The entry of the address on an interface, if it is there.
    public func entry(onInterface index: Int32) throws -> IPv6AddressEntry? {
        try netlink.ipv6Addresses().first { $0.address == spec.address && $0.interfaceIndex == index }
    }

    /// Adds the address, sets the interface up, waits for duplicate address detection unless
    /// `flags` has `.noDAD`, then runs `announce`. If any step after adding fails, the address is
    /// removed again before the error is thrown: never a half-configured host.
    public func add(
        _ placement: IPv6Placement, flags: AddressFlags, preferredLifetime: Lifetime, log: OCFLog,
        dadLimitMilliseconds: Int64 = 10_000, then announce: () throws -> Void
    ) throws {
        let interface = placement.interface
        do {
            try netlink.addAddress(
                spec.address, prefixLength: placement.prefixLength, interfaceIndex: interface.index, flags: flags,
                preferredLifetime: preferredLifetime)
        } catch let error as NetlinkError {
            throw OCFError(refusal: error)
        }
        do {
            if !interface.isUp { try netlink.setLinkUp(index: interface.index) }
            try awaitDAD(on: interface, limitMilliseconds: dadLimitMilliseconds)
            try announce()
        } catch {
            try? remove(fromInterface: interface.index)
            throw error as? OCFError ?? OCFError.generic("after adding \(spec.address) to \(interface.name): \(error)")
        }
        let options = [flags.contains(.noDAD) ? "nodad" : nil, flags.contains(.noPrefixRoute) ? "noprefixroute" : nil]
            .compactMap { $0 }
        log.info(
            "added \(spec.address)/\(placement.prefixLength) to \(interface.name)"
                + (options.isEmpty ? "" : " (\(options.joined(separator: " ")))")
                + (preferredLifetime == .forever ? "" : " preferred_lft \(preferredLifetime.rawValue)"))
    }

    /// Start: places the address and adds it (see `add`) unless it is already there; a copy that
    /// lost duplicate address detection is no address of ours, so it is removed and added again.
    /// `announce` runs for an interface that is not loopback.
    public func bringUp(
        flags: AddressFlags, preferredLifetime: Lifetime, log: OCFLog, announce: (Link) throws -> Void
    ) throws {
        let placement = try place()
        let interface = placement.interface
        if let present = placement.existing.first {
            guard present.flags.contains(.dadFailed) else {
                log.info("\(spec.address) is already on \(interface.name)")
                return
            }
            try remove(fromInterface: interface.index)
        }
        try add(placement, flags: flags, preferredLifetime: preferredLifetime, log: log) {
            if !interface.isLoopback { try announce(interface) }
        }
    }

    /// Adds the address's /128 entry to the address label table; returns whether it added one. A
    /// failure is a warning, as for resource-agents (`ip addrlabel add … failed`): the address
    /// itself still works, it may only be chosen as a source.
    public func addLabel(_ label: UInt32, log: OCFLog) -> Bool {
        do {
            try netlink.addAddressLabel(prefix: spec.address, label: label)
            log.info("added the IPv6 address label \(label) for \(spec.address)/128")
            return true
        } catch let error as NetlinkError where error.errno == EEXIST {
            log.info("\(spec.address)/128 already has an address label")
        } catch {
            log.warning("could not add the IPv6 address label \(label) for \(spec.address): \(error)")
        }
        return false
    }

    /// Removes the address's label entry; one already gone is fine.
    public func deleteLabel(_ label: UInt32, log: OCFLog) {
        do {
            try netlink.deleteAddressLabel(prefix: spec.address, label: label)
            log.info("removed the IPv6 address label \(label) for \(spec.address)/128")
        } catch let error as NetlinkError where error.errno == ESRCH || error.errno == ENOENT {
            return
        } catch {
            log.warning("could not remove the IPv6 address label \(label) for \(spec.address): \(error)")
        }
    }

    /// Polls the address every 20 ms until DAD is over; throws the reason (1) on a collision, a
    /// vanished address or a wait that ran out. The caller removes the address.
    func awaitDAD(on interface: Link, limitMilliseconds: Int64) throws {
        let detection = DuplicateAddressDetection(
            address: spec.address, interfaceName: interface.name, limitMilliseconds: limitMilliseconds)
        let started = MonotonicClock.milliseconds()
        while true {
            let waited = MonotonicClock.milliseconds() - started
            switch detection.decide(try entry(onInterface: interface.index), waitedMilliseconds: waited) {
            case .wait: MonotonicClock.sleep(milliseconds: 20)
            case .usable: return
            case .collision(let reason), .vanished(let reason), .timedOut(let reason): throw OCFError.generic(reason)
            }
        }
    }

    /// Removes the address from an interface, whatever its prefix; already gone is fine.
    public func remove(fromInterface index: Int32) throws {
        let entries = try netlink.ipv6Addresses().filter { $0.address == spec.address && $0.interfaceIndex == index }
        try removeEntries(entries) {
            try netlink.deleteAddress($0.address, prefixLength: $0.prefixLength, interfaceIndex: index)
        }
    }

    /// Removes the address from the interface it belongs on (stop); `false` when it could not
    /// be placed or was not there.
    @discardableResult
    public func takeDown(log: OCFLog) throws -> Bool {
        let placement: IPv6Placement
        do {
            placement = try place()
        } catch let error as OCFError {
            log.info("\(error.reason); \(spec.address) cannot be configured here, nothing to stop")
            return false
        }
        guard !placement.existing.isEmpty else {
            log.info("\(spec.address) is not on \(placement.interface.name)")
            return false
        }
        try remove(fromInterface: placement.interface.index)
        log.info("removed \(spec.address) from \(placement.interface.name)")
        return true
    }

    /// The interface the address is served on, or `nil` when it is not there or duplicate
    /// address detection failed for it (another node holds it: not served here). A probe that
    /// cannot place the address reports it stopped; a recurring monitor fails.
    public func servingInterface(isProbe: Bool, log: OCFLog) throws -> Link? {
        let placement: IPv6Placement
        do {
            placement = try place()
        } catch let error as OCFError where isProbe {
            log.debug("\(error.reason); probe reports not running")
            return nil
        }
        guard !placement.existing.isEmpty else { return nil }
        if placement.existing.allSatisfy({ $0.flags.contains(.dadFailed) }) {
            log.error("IPv6 address collision \(spec.address) on \(placement.interface.name) [DAD]: dadfailed")
            return nil
        }
        return placement.interface
    }
}
