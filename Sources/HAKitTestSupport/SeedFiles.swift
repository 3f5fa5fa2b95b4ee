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
}
