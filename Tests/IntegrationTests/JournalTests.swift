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
}
