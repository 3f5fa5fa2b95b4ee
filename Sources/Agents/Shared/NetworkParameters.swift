import OCF

/// Parameter declarations the network agents share, so that a parameter reads the same in
/// IPaddr2, IPaddr and SendArp. Names differ where the reference agents' names differ.
enum NetworkParameters {
    /// `ip`: the floating address of the IP agents.
    static let ip = ParameterSpec(
        "ip", required: true, unique: true, short: "IPv4 address",
        long: "The floating IPv4 address, in dotted quad notation, e.g. 203.0.113.10.")

    /// `cidr_netmask` (also read as `netmask`).
    static let cidrNetmask = ParameterSpec(
        "cidr_netmask", alias: "netmask", short: "CIDR netmask",
        long: "The prefix length (24) or dotted netmask (255.255.255.0); by default the chosen route's.")

    /// `broadcast`.
    static let broadcast = ParameterSpec(
        "broadcast", short: "Broadcast address",
        long: """
            The broadcast address, or + (host bits set) or - (host bits cleared). By default \
            it is computed: the highest address of the subnet; none for /31, /32 and \
            interfaces without broadcast.
            """)

    /// `lvs_support`.
    static let lvsSupport = ParameterSpec(
        "lvs_support", .boolean, default: "false", short: "Enable support for LVS direct routing",
        long: "On stop, keep the address as a /32 on lo; on start, remove such a copy first.")

    /// The interval between ARP rounds (`arp_interval`, IPaddr's `ARP_INTERVAL_MS`).
    static func arpInterval(_ name: String, default value: String) -> ParameterSpec {
        ParameterSpec(
            name, .integer, default: value, short: "Milliseconds between gratuitous ARPs",
            long: "The interval between rounds of gratuitous ARPs (a request and a reply each).")
    }

    /// The ARP rounds start sends (`arp_count`, IPaddr's `ARP_REPEAT`).
    static func arpCount(_ name: String, default value: String) -> ParameterSpec {
        ParameterSpec(
            name, .integer, default: value, short: "Gratuitous ARP rounds sent on start",
            long: "How many rounds of gratuitous ARPs start sends; 0 sends none.")
    }

    /// Whether start leaves the ARPs to a background sender (`arp_bg`, IPaddr's `ARP_BACKGROUND`).
    static func arpBackground(_ name: String, default value: String) -> ParameterSpec {
        ParameterSpec(
            name, .boolean, default: value, short: "Send gratuitous ARPs in the background",
            long: "Whether start returns at once while the ARPs are sent by a background process.")
    }
}
