// The ha.cf parser (HaCf.parse) on arbitrary file contents, for the local node "node1"; what
// parses must satisfy heartbeat's start-up checks, and its timing must build a membership.
import Heartbeat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let cf: HaCf
    do { cf = try HaCf.parse(text, path: "/etc/ha.d/ha.cf", localNode: "node1") } catch {
        precondition(!error.errors.isEmpty, "a refused ha.cf names no problem")
        _ = error.description
        return 0
    }
    precondition(cf.nodes.contains(cf.localNode), "the local node is not among the nodes")
    precondition(!cf.media.isEmpty, "no media")
    precondition(cf.keepaliveMs > 0 && cf.deadtimeMs > 2 * cf.keepaliveMs, "keepalive and deadtime out of order")
    precondition(cf.warntimeMs < cf.deadtimeMs && cf.initdeadMs >= cf.deadtimeMs, "warntime or initdead out of order")
    _ = cf.media.map { "\($0) \($0.interface) \($0.port)" }
    _ = cf.warnings.map(\.description)
    // The daemon's membership takes these timings as they are.
    let timing = Membership.Timing(
        keepaliveMs: cf.keepaliveMs, deadtimeMs: cf.deadtimeMs, warntimeMs: cf.warntimeMs, initdeadMs: cf.initdeadMs)
    var membership = Membership(localNode: cf.localNode, nodes: cf.nodes, timing: timing, now: 0)
    _ = membership.nextDeadline()
    _ = membership.tick(now: Int64(cf.initdeadMs) * 1000 + 1)
    return 0
}
