import Heartbeat
import Testing

@Suite("haresources parsing")
struct HaResourcesTests {
    /// A resource as the seeds expect it: token, script, arguments and kind.
    struct Expected: Sendable {
        let token: String
        let script: String
        let arguments: [String]
        let kind: HaResource.Kind

        static func ip(_ token: String, _ spec: IPAddressSpec, script: String = "IPaddr", arguments: [String]? = nil)
            -> Expected
        {
            Expected(token: token, script: script, arguments: arguments ?? [token], kind: .ipAddr(spec))
        }

        static func script(_ name: String, _ arguments: [String] = []) -> Expected {
            let token = ([name] + arguments).joined(separator: "::")
            return Expected(token: token, script: name, arguments: arguments, kind: .script)
        }
    }

    static let seedLines: [(String, String, [Expected])] = [
        (
            "node1.www.sparksupport.com 201.200.100.5 httpd", "node1.www.sparksupport.com",
            [.ip("201.200.100.5", IPAddressSpec(ip: "201.200.100.5")), .script("httpd")]
        ),
        (
            "linuxha1 192.168.85.3 httpd smb", "linuxha1",
            [.ip("192.168.85.3", IPAddressSpec(ip: "192.168.85.3")), .script("httpd"), .script("smb")]
        ),
        (
            "linuxha1 IPaddr::192.168.85.3 httpd smb", "linuxha1",
            [
                .ip("IPaddr::192.168.85.3", IPAddressSpec(ip: "192.168.85.3"), arguments: ["192.168.85.3"]),
                .script("httpd"), .script("smb"),
            ]
        ),
        (
            "linuxha1 192.168.85.3/27 httpd smb", "linuxha1",
            [
                .ip("192.168.85.3/27", IPAddressSpec(ip: "192.168.85.3", cidrNetmask: 27)), .script("httpd"),
                .script("smb"),
            ]
        ),
        (
            "linuxha1 192.168.85.3/27/192.168.85.16 httpd smb", "linuxha1",
            [
                .ip(
                    "192.168.85.3/27/192.168.85.16",
                    IPAddressSpec(ip: "192.168.85.3", cidrNetmask: 27, broadcast: "192.168.85.16")
                ),
                .script("httpd"), .script("smb"),
            ]
        ),
        // The seed's own text has /5 where it meant /27; it parses all the same.
        (
            "linuxha1 192.168.85.3/5/192.168.85.16 httpd smb", "linuxha1",
            [
                .ip(
                    "192.168.85.3/5/192.168.85.16",
                    IPAddressSpec(ip: "192.168.85.3", cidrNetmask: 5, broadcast: "192.168.85.16")
                ),
                .script("httpd"), .script("smb"),
            ]
        ),
        (
            "linuxha1 192.168.85.3 httpd smb maid::vacuum", "linuxha1",
            [
                .ip("192.168.85.3", IPAddressSpec(ip: "192.168.85.3")), .script("httpd"), .script("smb"),
                .script("maid", ["vacuum"]),
            ]
        ),
        (
            "firewall1.domain.lan 192.168.5.3 bypassd smbd nmbd dnsmasq", "firewall1.domain.lan",
            [
                .ip("192.168.5.3", IPAddressSpec(ip: "192.168.5.3")), .script("bypassd"), .script("smbd"),
                .script("nmbd"),
                .script("dnsmasq"),
            ]
        ),
    ]

    @Test("every haresources line in the seeds parses into the expected group", arguments: seedLines)
    func seedLine(line: String, node: String, expected: [Expected]) throws {
        let file = try HaResources.parse(line + "\n", path: "/etc/ha.d/haresources")
        #expect(file.groups.count == 1)
        let group = try #require(file.groups.first)
        #expect(group.node == node)
        #expect(group.line == 1)
        #expect(group.key == expected[0].token)
        #expect(group.resources.map(\.token) == expected.map(\.token))
        #expect(group.resources.map(\.script) == expected.map(\.script))
        #expect(group.resources.map(\.arguments) == expected.map(\.arguments))
        #expect(group.resources.map(\.kind) == expected.map(\.kind))
        #expect(group.startOrder.map(\.token) == expected.map(\.token))
        #expect(group.stopOrder.map(\.token) == expected.reversed().map(\.token))
    }

    @Test("stop order is the reverse of start order")
    func stopOrder() throws {
        let group = try #require(try HaResources.parse("linuxha1 192.168.85.3 httpd smb maid::vacuum").groups.first)
        #expect(group.startOrder.map(\.script) == ["IPaddr", "httpd", "smb", "maid"])
        #expect(group.stopOrder.map(\.script) == ["maid", "smb", "httpd", "IPaddr"])
    }

    @Test("backslash continuation, comments, blank lines and several groups")
    func logicalLines() throws {
        let text = """
            # haresources for the web cluster

            node1 192.168.85.3/24/eth0 \\
                  httpd   # the web server
            node2 IPaddr2::10.0.0.5/24/eth1:web \\
              \\
                  Filesystem::/dev/sdb1::/srv::ext4 \\
                  mysql
               # indented comment
            NODE1	10.1.1.1	smb
            """
        let file = try HaResources.parse(text)
        #expect(file.groups.map(\.node) == ["node1", "node2", "node1"])
        #expect(file.groups.map(\.line) == [3, 5, 10])
        #expect(file.groups.map(\.key) == ["192.168.85.3/24/eth0", "IPaddr2::10.0.0.5/24/eth1:web", "10.1.1.1"])
        #expect(file.groups[0].resources.map(\.token) == ["192.168.85.3/24/eth0", "httpd"])
        #expect(
            file.groups[1].resources.map(\.token) == [
                "IPaddr2::10.0.0.5/24/eth1:web", "Filesystem::/dev/sdb1::/srv::ext4", "mysql",
            ]
        )
        #expect(file.groups[1].resources[1].arguments == ["/dev/sdb1", "/srv", "ext4"])
        #expect(file.groups[1].resources[1].script == "Filesystem")
        #expect(file.groups(preferring: "Node1").map(\.key) == ["192.168.85.3/24/eth0", "10.1.1.1"])
        #expect(file.group(key: "10.1.1.1")?.node == "node1")
        #expect(file.group(key: "httpd") == nil)
    }

    @Test("IP forms: ip/bits/iface, ip/bits/iface/broadcast, IPaddr2 labels and OCF parameters")
    func addressForms() throws {
        let resources = try #require(
            try HaResources.parse(
                "n 10.0.0.1/24/eth0 10.0.0.2/24/eth0/10.0.0.255 IPaddr2::10.0.0.3/16/eth1:vip/10.0.255.255 "
                    + "IPaddr::10.0.0.4/8/eth0:1 10.0.0.5/0"
            ).groups.first?.resources
        )
        #expect(resources[0].kind == .ipAddr(IPAddressSpec(ip: "10.0.0.1", cidrNetmask: 24, nic: "eth0")))
        #expect(
            resources[1].kind
                == .ipAddr(
                    IPAddressSpec(ip: "10.0.0.2", cidrNetmask: 24, nic: "eth0", broadcast: "10.0.0.255")
                )
        )
        #expect(
            resources[2].kind
                == .ipAddr2(
                    IPAddressSpec(
                        ip: "10.0.0.3",
                        cidrNetmask: 16,
                        nic: "eth1",
                        iflabel: "vip",
                        broadcast: "10.0.255.255"
                    )
                )
        )
        #expect(resources[2].script == "IPaddr2")
        // IPaddr keeps an alias-style name as the nic; only IPaddr2 splits off a label.
        #expect(resources[3].address == IPAddressSpec(ip: "10.0.0.4", cidrNetmask: 8, nic: "eth0:1"))
        #expect(resources[4].address == IPAddressSpec(ip: "10.0.0.5", cidrNetmask: 0))

        #expect(
            resources[1].ocfParameters.map { "\($0.name)=\($0.value)" } == [
                "ip=10.0.0.2", "cidr_netmask=24", "nic=eth0", "broadcast=10.0.0.255",
            ]
        )
        #expect(
            resources[2].ocfParameters.map { "\($0.name)=\($0.value)" } == [
                "ip=10.0.0.3", "cidr_netmask=16", "nic=eth1", "iflabel=vip", "broadcast=10.0.255.255",
                "lvs_support=true",
            ]
        )
        let httpd = try #require(try HaResources.parse("n 10.0.0.1 httpd").groups.first?.resources[1])
        #expect(httpd.ocfParameters.isEmpty)
        #expect(httpd.address == nil)
        #expect(httpd.description == "httpd")
    }

    @Test(
        "the shorthand test is heartbeat's glob [0-9]*.[0-9]*.[0-9]*.[0-9]*",
        arguments: [
            ("1.2.3.4", true), ("192.168.85.3/27/192.168.85.16", true), ("10.0.0.1/24/eth0", true),
            ("1a.2b.3c.4d", true), ("1.2.3", false), ("httpd", false), ("a1.2.3.4", false), ("1.2.3.", false),
            ("1...2.3.4", true), ("1.2.3.x4", false), ("2.0.1.tar.gz", false),
        ]
    )
    func shorthand(token: String, isAddress: Bool) throws {
        let result = Result { () throws(ConfigErrors) in try HaResources.parse("n \(token)") }
        switch result {
        case .success(let file):
            #expect((file.groups.first?.resources.first?.script == "IPaddr") == isAddress)
            #expect(!isAddress || file.groups.first?.resources.first?.address != nil)
        case .failure(let errors):
            // Glob matches that are not addresses fail in the address parser, like the IPaddr script would.
            #expect(isAddress)
            #expect(errors.codes == [.invalidAddress])
        }
    }

    @Test("IPaddr2 with an IPv6 address: the whole rest is one argument, and no lvs_support")
    func ipv6Forms() throws {
        let resources = try #require(
            try HaResources.parse(
                "n IPaddr2::2001:db8::10/64/eth0 IPaddr2::2001:db8::11 IPaddr2::2001:DB8:0:0:0:0:0:12/80 IPaddr2::10.0.0.5/24/eth1:web"
            ).groups.first?.resources)
        #expect(resources[0].kind == .ipAddr2(IPAddressSpec(ip: "2001:db8::10", cidrNetmask: 64, nic: "eth0")))
        #expect(resources[0].arguments == ["2001:db8::10/64/eth0"] && resources[0].script == "IPaddr2")
        #expect(resources[1].kind == .ipAddr2(IPAddressSpec(ip: "2001:db8::11")))
        #expect(resources[2].kind == .ipAddr2(IPAddressSpec(ip: "2001:DB8:0:0:0:0:0:12", cidrNetmask: 80)))
        #expect(resources[3].kind == .ipAddr2(IPAddressSpec(ip: "10.0.0.5", cidrNetmask: 24, nic: "eth1", iflabel: "web")))
        let planned = resources.map { PlannedResource($0).description }
        #expect(planned[0] == "ocf:hakit:IPaddr2 ip=2001:db8::10 cidr_netmask=64 nic=eth0")
        #expect(planned[1] == "ocf:hakit:IPaddr2 ip=2001:db8::11")
        #expect(planned[3] == "ocf:hakit:IPaddr2 ip=10.0.0.5 cidr_netmask=24 nic=eth1 iflabel=web lvs_support=true")

        let v6addr = try #require(try HaResources.parse("n IPv6addr::2001:db8::20/64/eth0").groups.first?.resources.first)
        #expect(v6addr.kind == .ipv6Addr(IPAddressSpec(ip: "2001:db8::20", cidrNetmask: 64, nic: "eth0")))
        #expect(PlannedResource(v6addr).description == "ocf:hakit:IPv6addr ipv6addr=2001:db8::20 cidr_netmask=64 nic=eth0")
    }

    @Test(
        "malformed addresses and resources are errors with file:line",
        arguments: [
            ("n 1.2.3.256", ConfigError.Code.invalidAddress),
            ("n 1.2.3.4/33", .invalidAddress),
            ("n 1.2.3.4/x", .invalidAddress),
            ("n 1.2.3.4//eth0", .invalidAddress),
            ("n 1.2.3.4/24/eth0/1.2.3", .invalidAddress),
            ("n 1.2.3.4/24/1.2.3.255/eth0", .invalidAddress),
            ("n 1.2.3.4/24/eth0/1.2.3.255/x", .invalidAddress),
            ("n 192.168.010.1", .invalidAddress),
            ("n IPaddr2::1.2.3.4/24/:label", .invalidAddress),
            ("n IPaddr2::2001:db8::g/64", .invalidAddress),
            ("n IPaddr2::2001:db8::10/129", .invalidAddress),
            ("n IPaddr2::2001:db8::10/64/eth0:web", .invalidAddress),
            ("n IPaddr2::2001:db8::10/64/eth0/2001:db8::ff", .invalidAddress),
            ("n IPaddr2::2001:db8::10/64/", .invalidAddress),
            ("n IPaddr::2001:db8::10/64/eth0", .invalidAddress),
            ("n IPv6addr::192.0.2.5/24", .invalidAddress),
            ("n IPv6addr::", .invalidAddress),
            ("n IPaddr::", .invalidResource),
            ("n IPaddr::1.2.3.4::eth0", .invalidResource),
            ("n ::arg", .invalidResource),
            ("n ../../bin/sh", .invalidResource),
            ("n .hidden", .invalidResource),
            ("n ..::arg", .invalidResource),
            ("n", .missingResources),
        ]
    )
    func malformed(line: String, code: ConfigError.Code) throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in
                try HaResources.parse("# first\n" + line, path: "/etc/ha.d/haresources")
            }
        )
        #expect(errors.codes == [code])
        #expect(errors.description.hasPrefix("/etc/ha.d/haresources:2: "))
    }

    @Test("empty :: arguments vanish, as the shell's word splitting drops them")
    func emptyArguments() throws {
        let resource = try #require(try HaResources.parse("n maid::::vacuum:: x::").groups.first?.resources)
        #expect(resource[0].arguments == ["vacuum"])
        #expect(resource[1].script == "x")
        #expect(resource[1].arguments == [])
    }

    @Test("duplicate group keys are an error naming both lines")
    func duplicateKeys() throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in
                try HaResources.parse("node1 10.0.0.1 httpd\nnode2 10.0.0.2\n\nnode2 10.0.0.1 smb")
            }
        )
        #expect(errors.codes == [.duplicateGroup])
        #expect(errors.description == "haresources:4: resource group \"10.0.0.1\" is already defined on line 1")
    }

    @Test("a node not in ha.cf is an error when the nodes are given")
    func unknownNode() throws {
        let errors = try #require(
            expectConfigErrors { () throws(ConfigErrors) in
                try HaResources.parse("node1 10.0.0.1\nnode3 10.0.0.2", nodes: ["Node1", "node2"])
            }
        )
        #expect(errors.codes == [.unknownNode])
        #expect(errors.errors[0].line == 2)
        #expect(try HaResources.parse("NODE1 10.0.0.1", nodes: ["node1"]).groups.count == 1)
    }

    @Test("an empty file has no groups")
    func emptyFile() throws {
        #expect(try HaResources.parse("").groups.isEmpty)
        #expect(try HaResources.parse("# nothing\n\n  \n").groups.isEmpty)
    }
}
