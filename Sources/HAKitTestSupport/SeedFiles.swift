/// Configuration files from the seed tutorials (`shared/seeds/`), as admins typed them; only
/// addresses are adapted to the documentation ranges. Shared by the parser and the tool tests.
public enum SeedFiles {
    /// Seed 000's ha.cf (sparksupport, node1), with its trailing comments; its ucast peer is
    /// 192.0.2.1 here (the seed has a private address).
    public static let sparksupportHaCf = """
        logfile /var/log/ha-log #where to log everything from heartbeat
        logfacility local0 #Facility to use for syslog/logger
        keepalive 2 # the time between the heartbeats
        deadtime 30 #how long until the host is declared dead
        warntime 10 #how long before issuing “late heartbeat” warning
        initdead 120 # Very first dead time (initdead)
        udpport 694 #udp port for the bcast/ucast communication
        bcast eth1 #on what interface to broadcast
        ucast eth1 192.0.2.1 #this is a 2-node cluster, so no need to use multicast here
        auto_failback on #we want the resources to automatically fail back to its primary node
        node node1.www.sparksupport.com #the name of the first node
        node node2.www.sparksupport.com #the name of the second node

        """

    /// Seed 000's haresources: the address and the httpd init script, on node1.
    public static let sparksupportHaresources = "node1.www.sparksupport.com 201.200.100.5 httpd\n"

    /// Seed 002 (Rudy Pawul's HOWTO) shows no ha.cf; this one holds what its text and log say: a
    /// serial cable and a UDP heartbeat on eth1 (port 1001), the watchdog, nodes linuxha1 and linuxha2.
    public static let pawulHaCf = """
        serial /dev/ttyS0
        baud 19200
        udpport 1001
        bcast eth1
        watchdog /dev/watchdog
        keepalive 2
        deadtime 10
        node linuxha1
        node linuxha2

        """

    /// Seed 002's haresources lines, in the order the HOWTO writes them: the shorthand, a script
    /// argument, `IPaddr::` spelled out, a netmask, a netmask and a broadcast address.
    public static let pawulHaresourcesLines = [
        "linuxha1 192.168.85.3 httpd smb",
        "linuxha1 192.168.85.3 httpd smb maid::vacuum",
        "linuxha1 IPaddr::192.168.85.3 httpd smb",
        "linuxha1 192.168.85.3/27 httpd smb",
        "linuxha1 192.168.85.3/5/192.168.85.16 httpd smb",
    ]

    /// Seed 004 (ClearOS): a serial cable only.
    public static let clearOSHaCf = """
        ## /etc/ha.d/ha.cf 
        ## This configuration is to be the same on both machines
         
        keepalive 2
        deadtime 10
        warntime 5
        initdead 15
        serial /dev/ttyS0
        baud 19200
        auto_failback on
        node firewall1.domain.lan
        node firewall2.domain.lan
        """

    /// Seed 004's haresources: the address and four init scripts.
    public static let clearOSHaresources = "firewall1.domain.lan 192.168.5.3 bypassd smbd nmbd dnsmasq\n"

    /// One seed's files for `heartbeat-lite export`.
    public struct ExportCase: Sendable, CustomStringConvertible {
        /// `000`, `002-3` (seed 002's third haresources line).
        public var name: String
        /// ha.cf.
        public var haCf: String
        /// haresources.
        public var haresources: String
        /// The seed and line, for test names.
        public var description: String { "seed \(name)" }

        /// A case of its own (not from a seed).
        public init(name: String, haCf: String, haresources: String) {
            self.name = name
            self.haCf = haCf
            self.haresources = haresources
        }
    }

    /// Every seed that has ha.cf and haresources: 000, each haresources line of 002, 004.
    public static let exportCases: [ExportCase] =
        [ExportCase(name: "000", haCf: sparksupportHaCf, haresources: sparksupportHaresources)]
        + pawulHaresourcesLines.enumerated().map { index, line in
            ExportCase(name: "002-\(index + 1)", haCf: pawulHaCf, haresources: line + "\n")
        }
        + [ExportCase(name: "004", haCf: clearOSHaCf, haresources: clearOSHaresources)]
}
