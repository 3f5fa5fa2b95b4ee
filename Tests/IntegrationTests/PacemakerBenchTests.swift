import Foundation
import FoundationXML
import HAKitSystem
import HAKitTestSupport
import Testing

/// `make bench`'s Pacemaker part: the executor's own exec-time of start, stop and the first
/// recurring monitor, for the stock agents and ours, in the same cluster run. Seed 003's
/// ClusterIP + WebSite pair (one pair per provider, one provider at a time) is moved between the
/// nodes `HAKIT_PCMK_BENCH_CYCLES` (10) times; after each move the CIB's `lrm_rsc_op` records give
/// the stop on the old node, the start and the first monitor on the new one. Prints medians and
/// the ratio stock/ours. Runs only with `HAKIT_PCMK_BENCH=1`.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["HAKIT_PCMK_BENCH"] == "1"))
struct PacemakerBenchTests {
    static let providers = ["heartbeat", "hakit"]
    static let agents = [("IPaddr2", "IP"), ("apache", "Web")]

    @Test func execTimes() throws {
        let cycles = Int(ProcessInfo.processInfo.environment["HAKIT_PCMK_BENCH_CYCLES"] ?? "") ?? 10
        // provider → "agent action" → milliseconds
        var samples: [String: [String: [Int]]] = [:]
        try PacemakerCluster.with("bench") { cluster in
            try cluster.start()
            let node1 = cluster.node1
            func type(_ command: [String]) throws {
                let result = try node1.run(command)
                try #require(result.status == 0, "\(command.joined(separator: " ")): \(result.output)\(result.errorOutput)")
            }
            try type(["pcs", "property", "set", "stonith-enabled=false"])
            for provider in Self.providers {
                let ip = "IP-\(provider)"
                let web = "Web-\(provider)"
                try type([
                    "pcs", "resource", "create", ip, "ocf:\(provider):IPaddr2", "ip=\(PacemakerCluster.vip)", "cidr_netmask=32",
                    "op", "monitor", "interval=2s",
                ])
                try type([
                    "pcs", "resource", "create", web, "ocf:\(provider):apache", "configfile=/etc/apache2/httpd.conf",
                    "statusurl=http://localhost/server-status", "op", "monitor", "interval=2s",
                ])
                try type(["pcs", "constraint", "colocation", "add", web, "with", ip, "INFINITY"])
                try type(["pcs", "constraint", "order", ip, "then", web])
                try cluster.settle()
                try type(["crm_resource", "--cleanup"])
                try cluster.settle()
                for _ in 0..<cycles {
                    let from = try #require(try cluster.status().nodes(of: web).first, "\(web) runs nowhere\n\(cluster.diagnostics())")
                    let to = from == "node1" ? "node2" : "node1"
                    try type(["crm_resource", "--move", "--resource", ip, "--node", to])
                    try cluster.settle()
                    let placed = cluster.waitUntil(timeoutMilliseconds: 20_000) {
                        try cluster.status().allStarted([ip, web], on: to)
                    }
                    try #require(placed != nil, "\(provider): not moved to \(to)\n\(cluster.diagnostics())")
                    let cib = try node1.cib()
                    for (agent, prefix) in Self.agents {
                        let resource = "\(prefix)-\(provider)"
                        func execTime(_ node: String, _ id: String, _ operation: String) throws -> Int? {
                            let path = "//node_state[@uname='\(node)']//lrm_rsc_op[@id='\(id)'][@operation='\(operation)']"
                            let element = try cib.nodes(forXPath: path).first as? XMLElement
                            return element?.attribute(forName: "exec-time")?.stringValue.flatMap { Int($0) }
                        }
                        for (action, node, id, operation) in [
                            ("stop", from, "\(resource)_last_0", "stop"), ("start", to, "\(resource)_last_0", "start"),
                            ("monitor", to, "\(resource)_monitor_2000", "monitor"),
                        ] {
                            let time = try #require(try execTime(node, id, operation), "no \(id) \(operation) on \(node)")
                            samples[provider, default: [:]]["\(agent) \(action)", default: []].append(time)
                        }
                    }
                }
                try type(["crm_resource", "--clear", "--resource", ip])
                try type(["pcs", "resource", "delete", web])
                try type(["pcs", "resource", "delete", ip])
                try cluster.settle()
            }
        }
        print(Self.table(samples, cycles: cycles))
    }

    static func table(_ samples: [String: [String: [Int]]], cycles: Int) -> String {
        func median(_ values: [Int]) -> Double {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return .nan }
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
        }
        var lines = [
            "Pacemaker execd exec-time, median of \(cycles) moves (ms), \(ProcessInfo.processInfo.activeProcessorCount) cores",
            "what".padding(toLength: 22, withPad: " ", startingAt: 0) + "     HAKit      stock  stock/ours",
        ]
        for (agent, _) in agents {
            for action in ["start", "stop", "monitor"] {
                let key = "\(agent) \(action)"
                let ours = median(samples["hakit"]?[key] ?? [])
                let stock = median(samples["heartbeat"]?[key] ?? [])
                lines.append(
                    key.padding(toLength: 22, withPad: " ", startingAt: 0)
                        + String(format: "%10.1f %10.1f %10.1fx", ours, stock, ours > 0 ? stock / ours : .infinity))
            }
        }
        return lines.joined(separator: "\n")
    }
}
