import Netlink

/// Waiting for duplicate address detection (RFC 4862 §5.4) on an IPv6 address just added: a pure
/// decision from one address dump and the time waited, so that the loop around it stays thin.
public struct DuplicateAddressDetection: Hashable, Sendable {
    /// What to do next.
    public enum Decision: Hashable, Sendable {
        /// Still tentative: dump again after a pause.
        case wait
        /// DAD is over (or was skipped): the address is usable, announce it.
        case usable
        /// Another node on the link holds the address: remove it and fail with the reason.
        case collision(String)
        /// The address disappeared while DAD ran: fail with the reason.
        case vanished(String)
        /// Still tentative when the wait ran out (no carrier, or DAD disabled on the way): remove
        /// it and fail with the reason; a tentative address receives no traffic.
        case timedOut(String)
    }

    /// The address waited for.
    public var address: IPv6Address
    /// The interface it was added to.
    public var interfaceName: String
    /// How long start waits at most. resource-agents' IPaddr2 polls ten times a second apart.
    public var limitMilliseconds: Int64

    /// Creates the wait.
    public init(address: IPv6Address, interfaceName: String, limitMilliseconds: Int64 = 10_000) {
        self.address = address
        self.interfaceName = interfaceName
        self.limitMilliseconds = limitMilliseconds
    }

    /// Decides from the address's entry on the interface (`nil` when it is not there) and the
    /// milliseconds waited so far.
    public func decide(_ entry: IPv6AddressEntry?, waitedMilliseconds: Int64) -> Decision {
        guard let entry else {
            return .vanished("\(address) vanished from \(interfaceName) during duplicate address detection")
        }
        if entry.flags.contains(.dadFailed) {
            return .collision(
                "IPv6 address collision \(address) on \(interfaceName) [DAD]: another node on the link uses it")
        }
        guard entry.flags.contains(.tentative) else { return .usable }
        if waitedMilliseconds >= limitMilliseconds {
            return .timedOut(
                "\(address) on \(interfaceName) is still tentative after \(limitMilliseconds / 1000) s of duplicate "
                    + "address detection (no carrier?)")
        }
        return .wait
    }
}
