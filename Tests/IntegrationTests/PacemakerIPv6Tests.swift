import HAKitSystem
import HAKitTestSupport
import Testing

/// An IPv6 floating address inside a real Pacemaker cluster (issue 11), the stock IPaddr2 and
/// ours in two clusters, each typed the same `pcs resource create`: placed on one node, reachable
/// from the client, moved, and recovered after it was deleted by hand. Both runs must see the same.
@Suite struct PacemakerIPv6Tests {
    static let vip = "2001:db8::10"

    /// The nodes whose namespace carries the address (not tentative, not dadfailed).
    static func holders(_ cluster: PacemakerCluster) throws -> [String] {
        try cluster.nodes.filter { node in
            try node.namespace.ip("-o", "-6", "addr", "show", "dev", "eth0").split(separator: "\n").contains {
                $0.contains(" inet6 \(vip)/64 ") && !$0.contains("tentative") && !$0.contains("dadfailed")
            }
        }.map(\.name)
    }

    static func reachable(_ cluster: PacemakerCluster) throws -> Bool {
        try cluster.client.exec(["ping", "-6", "-n", "-c", "1", "-W", "2", vip]).status == 0
    }

    /// Runs the scenario with one provider; returns what it saw, step by step.
    static func scenario(_ provider: String) throws -> [String] {
        var seen: [String] = []
        try PacemakerCluster.with("v6\(provider.prefix(2))", prefix: "hk6") { cluster in
            for (index, node) in cluster.nodes.enumerated() {
                try node.namespace.ip("addr", "add", "2001:db8::\(index + 1)/64", "dev", "eth0", "nodad")
            }
            try cluster.client.ip("addr", "add", "2001:db8::100/64", "dev", "br0", "nodad")
            try cluster.start()
            // As the seeds' tutorials do: no fencing device in a test cluster.
            let property = try cluster.node1.run(["pcs", "property", "set", "stonith-enabled=false"])
            try #require(property.status == 0, "\(provider): pcs property: \(property.output)\(property.errorOutput)")
            let create = try cluster.node1.run([
                "pcs", "resource", "create", "vip6", "ocf:\(provider):IPaddr2", "ip=\(vip)", "cidr_netmask=64",
                "op", "monitor", "interval=5s",
            ])
            try #require(create.status == 0, "\(provider): pcs: \(create.output)\(create.errorOutput)")
            func placedOnOne() -> String? {
                var owner: String?
                _ = cluster.waitUntil(timeoutMilliseconds: 30_000) {
                    let status = try cluster.status()
                    let nodes = status.nodes(of: "vip6")
                    guard nodes.count == 1 else { return false }
                    guard try holders(cluster) == nodes, try reachable(cluster) else { return false }
                    owner = nodes.first
                    return true
                }
                return owner
            }
            let first = try #require(placedOnOne(), "\(provider): vip6 never ran on one node\n\(cluster.diagnostics())")
            seen.append("started on one node, reachable from the client")
            let other = first == "node1" ? "node2" : "node1"

            let move = try cluster.node1.run(["pcs", "resource", "move", "vip6", other])
            try #require(move.status == 0, "\(provider): pcs resource move: \(move.output)\(move.errorOutput)")
            try cluster.settle()
            let moved = placedOnOne()
            #expect(moved == other, "\(provider): after the move: \(moved ?? "nowhere")\n\(cluster.diagnostics())")
            seen.append(moved == other ? "moved, reachable" : "not moved")

            // Deleted behind the cluster's back: the recurring monitor must notice, and the address come back.
            let owner = try #require(cluster.nodes.first { $0.name == other })
            try owner.namespace.ip("addr", "del", "\(vip)/64", "dev", "eth0")
            // Recovered in place or on the other node: with the move's constraint gone (pcs clears
            // it), which of the two the scheduler picks after the failure is its choice, not the agent's.
            let recovered = cluster.waitUntil(timeoutMilliseconds: 30_000) {
                let status = try cluster.status()
                guard status.failCounts[other]?["vip6"] == 1 else { return false }
                let running = status.nodes(of: "vip6")
                guard running.count == 1 else { return false }
                return try holders(cluster) == running && reachable(cluster)
            }
            #expect(recovered != nil, "\(provider): the deleted address was not recovered\n\(cluster.diagnostics())")
            seen.append(recovered != nil ? "deleted by hand, recovered with one failure counted" : "not recovered")

            let delete = try cluster.node1.run(["pcs", "resource", "delete", "vip6"])
            #expect(delete.status == 0, "\(provider): pcs resource delete: \(delete.errorOutput)")
            try cluster.settle()
            let gone = cluster.waitUntil(timeoutMilliseconds: 20_000) { try holders(cluster).isEmpty }
            #expect(gone != nil, "\(provider): the address stayed after the resource was deleted")
            seen.append(gone != nil ? "deleted, nothing left" : "left behind")
        }
        return seen
    }

    @Test func theStockAgentAndOursSeeTheSame() throws {
        let stock = try Self.scenario("heartbeat")
        let ours = try Self.scenario("hakit")
        #expect(ours == stock, "stock: \(stock)\nours: \(ours)")
        #expect(ours.count == 4)
    }
}
