import Foundation
import HAKitSystem
import HAKitTestSupport
import Testing

/// Agent log lines reach a real systemd-journald as structured entries (Journal speaks the native
/// protocol itself, without libsystemd). The journald runs in a
/// private mount namespace with its own tmpfs /run and volatile storage, so the host's journal
/// is never written.
@Suite struct JournalTests {
    @Test func agentLinesAreStructuredJournalEntries() throws {
        let directory = try TestSupport.temporaryDirectory("journal")
        defer { TestSupport.removeTree(directory) }
        try FileSystem.writeAtomically("\(directory)/journald.conf", contents: PrivateJournal.configuration)
        let script = PrivateJournal.startScript(configDirectory: "$1") + """
            trap 'kill $journald; wait $journald' EXIT
            OCF_RA_VERSION_MAJOR=1 OCF_RESOURCE_INSTANCE=j1 OCF_RESKEY_state=/run/j.state "$2" Dummy start
            OCF_RA_VERSION_MAJOR=1 OCF_RESOURCE_INSTANCE=j1 OCF_RESKEY_state=/nonexistent/j.state "$2" Dummy start || true
            OCF_RA_VERSION_MAJOR=1 OCF_RESOURCE_INSTANCE=j2 OCF_RESKEY_state="/nonexistent/two
            lines" "$2" Dummy start || true
            journalctl --sync 2>/dev/null || sleep 0.5
            journalctl -D /run/log/journal -o json --no-pager SYSLOG_IDENTIFIER=Dummy
            """
        let result = try TestSupport.run([
            "unshare", "--mount", "--fork", "sh", "-c", script, "sh", directory, TestSupport.binary("hakit-agent"),
        ])
        #expect(result.status == 0, "\(result.errorOutput)")
        #expect(result.errorOutput.contains("Dummy(j1)["), "standard error always carries the line too")
        let entries = try result.output.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let started = try #require(entries.first { ($0["MESSAGE"] as? String) == "INFO: started, state in /run/j.state" })
        #expect(started["PRIORITY"] as? String == "6")
        #expect(started["OCF_RESOURCE_INSTANCE"] as? String == "j1")
        #expect(started["OCF_RESOURCE_TYPE"] as? String == "Dummy")
        #expect(started["OCF_ACTION"] as? String == "start")
        let failed = try #require(entries.first { ($0["PRIORITY"] as? String) == "3" })
        #expect((failed["MESSAGE"] as? String)?.contains("state directory /nonexistent") == true)
        // A value with a newline goes in the protocol's length-prefixed form and comes back whole.
        let twoLines = try #require(entries.first { ($0["OCF_RESOURCE_INSTANCE"] as? String) == "j2" }, "\(entries)")
        #expect((twoLines["MESSAGE"] as? String)?.contains("state=/nonexistent/two\nlines") == true, "\(twoLines)")
    }

    /// ha.cf's `logfacility local0` reaches journald as `SYSLOG_FACILITY=16` on heartbeat-lite's
    /// entries (heartbeat hands it to syslog; dropping it would break the admin's rsyslog rules).
    /// The daemon runs in a network namespace of its own (only lo, with a documentation address).
    @Test func heartbeatLiteEntriesCarryHaCfsFacility() throws {
        let directory = try TestSupport.temporaryDirectory("journal-hb")
        defer { TestSupport.removeTree(directory) }
        try FileSystem.writeAtomically("\(directory)/journald.conf", contents: PrivateJournal.configuration)
        for sub in ["ha.d", "state", "run"] { try FileSystem.makeDirectories("\(directory)/\(sub)") }
        try FileSystem.writeAtomically(
            "\(directory)/ha.d/ha.cf",
            contents: "logfacility local0\nlogfile \(directory)/ha.log\nkeepalive 200ms\ndeadtime 2\ninitdead 4\nucast lo 192.0.2.2\nnode node1 node2\n")
        try FileSystem.writeAtomically("\(directory)/ha.d/haresources", contents: "")
        try FileSystem.writeAtomically("\(directory)/ha.d/authkeys", contents: "auth 1\n1 sha1 journal\n", mode: 0o600)
        let script = PrivateJournal.startScript(configDirectory: "$1") + """
            trap 'kill $journald; wait $journald' EXIT
            ip link set lo up
            ip addr add 192.0.2.1/24 dev lo
            "$2" run --config-dir "$1/ha.d" --node node1 --state-dir "$1/state" --run-dir "$1/run" & daemon=$!
            for i in $(seq 200); do grep -q "Local status now set to: 'up'" "$1/ha.log" 2>/dev/null && break; sleep 0.05; done
            kill -TERM $daemon
            wait $daemon
            journalctl --sync 2>/dev/null || sleep 0.5
            journalctl -D /run/log/journal -o json --no-pager SYSLOG_IDENTIFIER=heartbeat-lite
            """
        let result = try TestSupport.run([
            "unshare", "--mount", "--net", "--fork", "sh", "-c", script, "sh", directory, TestSupport.binary("heartbeat-lite"),
        ])
        #expect(result.status == 0, "\(result.errorOutput)")
        let entries = try result.output.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let up = try #require(entries.first { ($0["MESSAGE"] as? String) == "Local status now set to: 'up'" }, "\(result.output)")
        #expect(up["SYSLOG_FACILITY"] as? String == "16", "\(up)")
        #expect(up["HA_NODE"] as? String == "node1")
        #expect(entries.allSatisfy { $0["SYSLOG_FACILITY"] as? String == "16" })
    }
}
