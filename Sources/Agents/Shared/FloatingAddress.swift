#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import Netlink
import OCF

/// How the broadcast address of a floating address is chosen (the `broadcast` parameter).
public enum BroadcastSetting: Hashable, Sendable {
    /// Computed: the highest address of the subnet; none for /31, /32 and interfaces without broadcast.
    case computed
    /// `+`: the host bits set (the same as computed, as ip(8) spells it).
    case hostBitsSet
    /// `-`: the host bits cleared (the network address), as ip(8) spells it.
    case hostBitsCleared
    /// An explicit address.
    case address(IPv4Address)

    /// Parses the parameter: empty for computed, `+`, `-` or an IPv4 address.
    public init(parameter: String?) throws {
        switch parameter {
        case nil, "": self = .computed
        case "+": self = .hostBitsSet
        case "-": self = .hostBitsCleared
        case let text?:
            guard let address = IPv4Address(text) else {
                throw OCFError.notConfigured("broadcast=\(text) is not an IPv4 address, + or -")
            }
            self = .address(address)
        }
    }
}

/// What a floating address is: the address and what the admin said about where it goes.
public struct FloatingAddressSpec: Hashable, Sendable {
    /// The address.
    public var address: IPv4Address
    /// The interface, when given.
    public var nic: String?
    /// The prefix length, when given.
    public var prefixLength: Int?
    /// How to choose the broadcast address.
    public var broadcast: BroadcastSetting

    /// Reads `ip`, `cidr_netmask` and `broadcast` as both IP agents declare them, with errors
    /// naming the bad value.
    public init(ip: String, nic: String?, netmask: String?, broadcast: String?) throws {
        if ip.contains(":") {
            throw OCFError.notConfigured("ip=\(ip) is an IPv6 address; this agent handles IPv4 (use ocf:heartbeat:IPaddr2 for IPv6)")
        }
        guard let address = IPv4Address(ip) else {
            throw OCFError.notConfigured("ip=\(ip) is not a valid IPv4 address")
        }
        guard address != .any, address.bytes[0] < 224 else {
            throw OCFError.notConfigured("ip=\(ip) cannot be a floating address (unspecified, multicast or reserved)")
        }
        self.address = address
        self.nic = nic.flatMap { $0.isEmpty ? nil : $0 }
        if let netmask, !netmask.isEmpty {
            do {
                prefixLength = try parseCIDRNetmask(netmask)
            } catch {
                throw OCFError.notConfigured(error.description)
            }
        }
        self.broadcast = try BroadcastSetting(parameter: broadcast)
    }
}

/// Where a floating address goes on this host: interface, prefix and broadcast.
public struct Placement: Hashable, Sendable {
    /// The interface.
    public var interface: Link
    /// The prefix length.
    public var prefixLength: Int
    /// The broadcast address, if any.
    public var broadcast: IPv4Address?
    /// The entries of the address already on the interface when it was placed, from the same
    /// dump (a monitor then needs no second one: every action is a fresh process).
    public var existing: [AddressEntry] = []
}

/// The address and its placement as validate found them, kept for the start that follows in the
/// same process: one netlink socket and one dump of links, addresses and routes instead of two.
public final class PlacementMemo {
    private var found: (address: FloatingAddress, placement: Placement)?

    /// An empty memo.
    public init() {}

    /// The address for `spec` and its placement, found on the first call and kept.
    public func placed(_ spec: FloatingAddressSpec) throws -> (address: FloatingAddress, placement: Placement) {
        if let found { return found }
        let address = try FloatingAddress(spec: spec)
        let result = (address: address, placement: try address.place())
        found = result
        return result
    }
}

/// Adding, finding and removing a floating IPv4 address through netlink, with the interface
/// chosen by route cost when none is given.
public struct FloatingAddress {
    /// The netlink socket used for everything.
    public let netlink: NetlinkSocket
    /// The address specification.
    public let spec: FloatingAddressSpec

    /// Creates the helper.
    public init(netlink: NetlinkSocket, spec: FloatingAddressSpec) {
        self.netlink = netlink
        self.spec = spec
    }

    /// Chooses the interface, prefix and broadcast by route cost (findif). A missing interface
    /// is missing on this node (`OCFError.absentHere`: 1, never 6 — resource-agents' monitor
    /// returns 1 since 3.9.6, so that Pacemaker recovers elsewhere); no usable route is a generic
    /// error (1), as in the reference.
    public func place() throws -> Placement {
        let links = try netlink.links()
        let addresses = try netlink.addresses()
        let routes = try netlink.routes(table: .main)  // route-cost selection reads the main table only
        let selection: InterfaceSelection
        do {
            selection = try findInterface(
                for: spec.address, routes: routes, links: links, addresses: addresses, nic: spec.nic,
                netmask: spec.prefixLength)
        } catch let error where error.code == .noSuchInterface {
            throw OCFError.absentHere("nic=\(spec.nic ?? "") does not exist on this node: \(error)")
        } catch let error where [.noRoute, .defaultRouteOnly].contains(error.code) {
            // With both the interface and the netmask given, no route is needed.
            if let name = spec.nic, let prefix = spec.prefixLength, let link = links.first(where: { $0.name == name }) {
                return placement(link, prefix, addresses)
            }
            throw OCFError.generic(error.description)
        } catch {
            throw OCFError.generic("Unable to find nic or netmask for \(spec.address): \(error)")
        }
        return placement(selection.interface, selection.prefixLength, addresses)
    }

    private func placement(_ link: Link, _ prefix: Int, _ addresses: [AddressEntry]) -> Placement {
        let broadcast: IPv4Address? =
            switch spec.broadcast {
            case .computed: link.canBroadcast ? spec.address.broadcast(prefixLength: prefix) : nil
            case .hostBitsSet: spec.address.broadcast(prefixLength: prefix) ?? spec.address
            case .hostBitsCleared: spec.address.masked(prefixLength: prefix)
            case .address(let address): address
            }
        let existing = addresses.filter { $0.address == spec.address && $0.interfaceIndex == link.index }
        return Placement(interface: link, prefixLength: prefix, broadcast: broadcast, existing: existing)
    }

    /// The entries of this address on an interface (any prefix).
    public func entries(onInterface index: Int32) throws -> [AddressEntry] {
        try netlink.addresses().filter { $0.address == spec.address && $0.interfaceIndex == index }
    }

    /// Adds the address; translates the kernel's refusal into an `OCFError`.
    public func add(
        _ placement: Placement, label: String?, flags: AddressFlags, preferredLifetime: Lifetime
    ) throws {
        do {
            try netlink.addAddress(
                spec.address, prefixLength: placement.prefixLength, broadcast: placement.broadcast, label: label,
                interfaceIndex: placement.interface.index, flags: flags, preferredLifetime: preferredLifetime)
        } catch let error as NetlinkError {
            throw OCFError(refusal: error)
        }
    }

    /// Removes every entry of the address from an interface; an entry already gone is fine.
    public func remove(fromInterface index: Int32, name: String) throws {
        try removeEntries(try entries(onInterface: index)) {
            try netlink.deleteAddress($0.address, prefixLength: $0.prefixLength, interfaceIndex: index)
        }
    }
}

/// Deletes an address's entries one by one with `delete`, IPv4 or IPv6: an entry already gone
/// (`EADDRNOTAVAIL`) is fine, any other refusal is an `OCFError(refusal:)`.
func removeEntries<Entry>(_ entries: [Entry], _ delete: (Entry) throws -> Void) throws {
    for entry in entries {
        do {
            try delete(entry)
        } catch let error as NetlinkError where error.errno == EADDRNOTAVAIL {
            continue
        } catch let error as NetlinkError {
            throw OCFError(refusal: error)
        }
    }
}

extension OCFError {
    /// The kernel's refusal to add or remove an address: no privilege is 4, anything else 1.
    init(refusal error: NetlinkError) {
        self.init(error.errno == EPERM ? .insufficientPrivileges : .genericError, error.description)
    }
}
