import HAKitSystem
import HAKitTestSupport
import Netlink
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The link and address notifications the link watch reads, from the real kernel, inside a
/// network namespace of the test's own.
@Suite("Kernel: link and address notifications")
struct KernelMonitorTests {
    /// Reads events until `match` finds one (at most 2 s); returns every event read.
    func events(_ monitor: NetlinkMonitor, until match: (NetlinkMonitor.Event) -> Bool) -> [NetlinkMonitor.Event] {
        var seen: [NetlinkMonitor.Event] = []
        let end = MonotonicClock.milliseconds() + 2000
        while MonotonicClock.milliseconds() < end {
            var descriptor = pollfd(fd: monitor.descriptor, events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, 50)
            seen += monitor.read()
            if seen.contains(where: match) { break }
        }
        return seen
    }

    @Test("carrier, admin state, addresses and a removed link are reported as they change")
    func notifications() throws {
        try TestNamespace.with(prefix: "hkp", "mon-\(#line)") { namespace in
            try namespace.ip("link", "add", "v0", "type", "veth", "peer", "name", "v1")
            let monitor = try NetlinkMonitor(networkNamespace: namespace.name)
            #expect(monitor.read().isEmpty, "nothing happened yet")

            try namespace.ip("link", "set", "dev", "v0", "up")
            try namespace.ip("link", "set", "dev", "v1", "up")
            let up = events(monitor) { if case .link(let link) = $0 { link.name == "v0" && link.isUp && link.isLowerUp } else { false } }
            #expect(up.contains { if case .link(let link) = $0 { link.name == "v0" && link.isLowerUp } else { false } }, "\(up)")

            try namespace.ip("addr", "add", "192.0.2.5/24", "dev", "v0")
            let added = events(monitor) { if case .addressAdded(let entry) = $0 { entry.address.description == "192.0.2.5" } else { false } }
            #expect(added.contains { if case .addressAdded(let entry) = $0 { entry.address.description == "192.0.2.5" && entry.prefixLength == 24 } else { false } })

            // The peer end down: v0 stays administratively up but loses its carrier.
            try namespace.ip("link", "set", "dev", "v1", "down")
            let lost = events(monitor) { if case .link(let link) = $0 { link.name == "v0" && link.isUp && !link.isLowerUp } else { false } }
            #expect(lost.contains { if case .link(let link) = $0 { link.name == "v0" && !link.isLowerUp } else { false } }, "\(lost)")

            try namespace.ip("addr", "del", "192.0.2.5/24", "dev", "v0")
            let removed = events(monitor) { if case .addressRemoved(let entry) = $0 { entry.address.description == "192.0.2.5" } else { false } }
            #expect(removed.contains { if case .addressRemoved = $0 { true } else { false } })

            try namespace.ip("link", "del", "dev", "v0")
            let gone = events(monitor) { if case .linkRemoved = $0 { true } else { false } }
            #expect(gone.contains { if case .linkRemoved = $0 { true } else { false } }, "\(gone)")
        }
    }
}
