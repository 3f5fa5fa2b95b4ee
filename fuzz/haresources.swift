// The haresources parser (HaResources.parse, with IP address shorthands and `::` arguments) on
// arbitrary file contents, for the nodes node1 and node2; what parses is planned as the daemon
// runs it.
import Heartbeat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let nodes = ["node1", "node2"]
    let resources: HaResources
    do { resources = try HaResources.parse(text, path: "/etc/ha.d/haresources", nodes: nodes) } catch {
        precondition(!error.errors.isEmpty, "refused haresources names no problem")
        _ = error.description
        return 0
    }
    var keys: Set<String> = []
    for group in resources.groups {
        precondition(nodes.contains(group.node), "a group of an unknown node")
        precondition(!group.resources.isEmpty, "an empty group")
        precondition(keys.insert(group.key).inserted, "two groups with one key")
        precondition(resources.group(key: group.key) == group)
        for resource in group.startOrder {
            _ = resource.address
            _ = resource.ocfParameters
        }
        _ = group.plan().map(\.description)
        _ = group.stopOrder
    }
    _ = resources.groups(preferring: "node2")
    // The negotiation takes the groups as they are.
    var negotiation = ResourceNegotiation(localNode: "node1", nodes: nodes, autoFailback: .on, groups: resources.groups)
    _ = negotiation.communicationUp(now: 0)
    _ = negotiation.groups(in: .all)
    return 0
}
