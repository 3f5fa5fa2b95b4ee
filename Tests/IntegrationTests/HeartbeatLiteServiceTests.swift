import Foundation
import HAKitSystem
import HAKitTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// heartbeat-lite as systemd runs it: sd_notify messages on $NOTIFY_SOCKET and log entries in a
/// real systemd-journald. Everything runs in private mount and network namespaces (tmpfs /run,
/// volatile journal, a veth pair of its own), so the host's journal and interfaces are untouched.
@Suite struct HeartbeatLiteServiceTests {
    /// A Unix datagram socket standing in for systemd's notify socket.
    final class NotifyReceiver {
        let path: String
        let descriptor: Int32

        init(path: String) throws {
            self.path = path
            descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
            }
            let status = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            try #require(status == 0, "binding \(path)")
        }

        deinit { close(descriptor) }

        /// Every datagram received so far.
        func drain() -> [String] {
            var messages: [String] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                if count <= 0 { return messages }
                messages.append(String(decoding: buffer[..<count], as: UTF8.self))
            }
        }
    }

    @Test func notifiesSystemdAndLogsToTheJournal() throws {
        let directory = try TestSupport.temporaryDirectory("hb-service", mode: 0o755)
        defer { TestSupport.removeTree(directory) }
        let config = "\(directory)/ha.d"
        try FileSystem.makeDirectories("\(config)/resource.d")
        try FileSystem.writeAtomically("\(directory)/journald.conf", contents: PrivateJournal.configuration)
        try FileSystem.writeAtomically(
            "\(config)/ha.cf",
            contents: """
                keepalive 100ms
                deadtime 500ms
                initdead 1
                ucast hbs0 192.0.2.2
                auto_failback on
                node node1 node2
                logfile \(directory)/ha-log

                """)
        try FileSystem.writeAtomically("\(config)/haresources", contents: "node1 marker\n")
        try FileSystem.writeAtomically("\(config)/authkeys", contents: "auth 1\n1 sha1 notify-test\n", mode: 0o600)
        // A heartbeat v1 script whose state is a file: start, stop and status as heartbeat expects.
        try FileSystem.writeAtomically(
            "\(config)/resource.d/marker",
            contents: """
                #!/bin/sh
                case "$1" in
                start) touch \(directory)/marker.on ;;
                stop) rm -f \(directory)/marker.on ;;
                status) [ -e \(directory)/marker.on ] && echo running || echo stopped ;;
                esac

                """, mode: 0o755)
        let receiver = try NotifyReceiver(path: "\(directory)/notify.sock")
        let script = PrivateJournal.startScript(configDirectory: "$1") + """
            ip link set lo up
            ip link add hbs0 type veth peer name hbs1
            ip addr add 192.0.2.1/24 dev hbs0
            ip link set hbs0 up; ip link set hbs1 up
            NOTIFY_SOCKET="$1/notify.sock" "$2" run --config-dir "$1/ha.d" --node node1 --state-dir "$1/state" --run-dir /run/hbl &
            daemon=$!
            trap 'kill $daemon 2>/dev/null || true; kill $journald; wait $journald' EXIT
            for i in $(seq 100); do grep -q 'mach_down takeover complete' "$1/ha-log" 2>/dev/null && break; sleep 0.05; done
            "$2" status --run-dir /run/hbl > "$1/status.txt"
            kill -TERM $daemon; wait $daemon; echo "daemon exit $?" > "$1/exit.txt"
            journalctl --sync 2>/dev/null || sleep 0.5
            journalctl -D /run/log/journal -o json --no-pager SYSLOG_IDENTIFIER=heartbeat-lite
            """
        let result = try TestSupport.run([
            "unshare", "--mount", "--net", "--fork", "sh", "-c", script, "sh", directory, TestSupport.binary("heartbeat-lite"),
        ])
        #expect(result.status == 0, "\(result.errorOutput)")
        #expect(try FileSystem.read("\(directory)/exit.txt") == "daemon exit 0\n")
        let status = try #require(try FileSystem.read("\(directory)/status.txt"))
        #expect(status.contains("group marker (home node1): owner node1"), "\(status)")
        #expect(!FileSystem.exists("\(directory)/marker.on"), "released at shutdown")

        let notices = receiver.drain()
        #expect(notices.first?.hasPrefix("READY=1\nSTATUS=waiting for node2") == true, "\(notices)")
        #expect(notices.contains("STATUS=active"), "\(notices)")
        #expect(notices.contains { $0.hasPrefix("STOPPING=1") }, "\(notices)")

        let entries = try result.output.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let dead = try #require(entries.first { ($0["MESSAGE"] as? String) == "node node2: is dead" })
        #expect(dead["PRIORITY"] as? String == "4")
        #expect(dead["HA_NODE"] as? String == "node1")
        #expect(entries.contains { ($0["MESSAGE"] as? String) == "All HA resources relinquished." })
        let log = try #require(try FileSystem.read("\(directory)/ha-log"))
        #expect(log.contains("info: Running marker: heartbeat:marker start: 0 OCF_SUCCESS"), "\(log)")
    }
}
