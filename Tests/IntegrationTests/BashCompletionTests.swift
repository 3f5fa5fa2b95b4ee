import Foundation
import HAKitSystem
import HAKitTestSupport
import Testing

/// The bash completion `make install` puts in COMPLETIONDIR (issue 16), generated from the same
/// declarations as each tool's help: each script is sourced in a plain bash, its completion
/// function called as bash calls it on TAB, and COMPREPLY compared with what the tool accepts.
@Suite(.serialized) struct BashCompletionTests {
    /// Sources SCRIPT, finds the function `complete -p` registered for the first WORD, and prints
    /// COMPREPLY for the last WORD, one a line. A script that does not source or register fails.
    static let harness = """
        script=$1; shift
        source "$script" || exit 2
        spec=$(complete -p "$1") || exit 3
        function=${spec##*-F }; function=${function%% *}
        COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        COMPREPLY=()
        "$function" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf '%s\\n' "${COMPREPLY[@]}"
        """

    final class Installation {
        let root: String
        var completions: String { "\(root)/usr/share/bash-completion/completions" }

        init() throws {
            root = try TestSupport.temporaryDirectory("completion", mode: 0o755)
            let make = try TestSupport.run([
                "make", "-s", "-C", TestSupport.packageRoot, "install-files", "BIN=\(TestSupport.binDirectory)",
                "DESTDIR=\(root)",
            ])
            guard make.status == 0 else { throw TestFailure("make install-files: \(make.errorOutput)") }
            try BashCompletionTests.harness.write(toFile: "\(root)/complete.sh", atomically: true, encoding: .utf8)
        }

        deinit { TestSupport.removeTree(root) }

        /// What bash offers for the last of `words`, in the directory `directory` (default the root).
        func complete(_ words: String..., in directory: String? = nil) throws -> [String] {
            let script = "\(completions)/\(words[0])"
            let result = try TestSupport.run(
                ["/bin/bash", "-c", "cd \"$0\" && exec /bin/bash \"$1\" \"${@:2}\"", directory ?? root, "\(root)/complete.sh", script] + words,
                environment: [
                    // cl_status's node names come from `cl_status listnodes`: the installed link, with no daemon.
                    "PATH": "\(root)/usr/lib/hakit/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HEARTBEAT_LITE_RUN_DIR": "\(root)/run",
                    "LC_ALL": "C.UTF-8",
                ])
            guard result.status == 0, result.errorOutput.isEmpty else {
                throw TestFailure("\(words.joined(separator: " ")): status \(result.status): \(result.errorOutput)")
            }
            return result.output.split(separator: "\n").map(String.init).sorted()
        }
    }

    @Test func everyToolHasAScript() throws {
        let installation = try Installation()
        let names = try FileManager.default.contentsOfDirectory(atPath: installation.completions).sorted()
        #expect(names == ["cl_status", "hb_standby", "hb_takeover", "heartbeat-lite", "ocf-conformance", "ocf-run"])
    }

    /// heartbeat-lite's subcommands, each one's options as its help lists them, and the values of
    /// ha.cf's directory and the standby sets.
    @Test func heartbeatLiteFollowsItsHelp() throws {
        let installation = try Installation()
        let help = try TestSupport.run([TestSupport.binary("heartbeat-lite"), "--help"]).output
        let subcommands = help.components(separatedBy: "SUBCOMMANDS:\n").last?.split(separator: "\n")
            .compactMap { $0.hasPrefix("  ") && !$0.hasPrefix("   ") ? $0.split(separator: " ").first.map(String.init) : nil }
            .filter { $0 != "See" } ?? []
        #expect(subcommands.contains("check") && subcommands.contains("standby"))
        #expect(try installation.complete("heartbeat-lite", "") == (subcommands + ["help", "-h", "--help"]).sorted())
        #expect(try installation.complete("heartbeat-lite", "st") == ["standby", "status"])
        for subcommand in subcommands {
            let text = try TestSupport.run([TestSupport.binary("heartbeat-lite"), "help", subcommand]).output
            // `  --config-dir <dir>   The…` and `  -h, --help   Show…`: the labels of each entry.
            let entries = (text.components(separatedBy: "OPTIONS:\n").last ?? "").split(separator: "\n").filter { $0.hasPrefix("  -") }
            let declared = Set(
                entries.flatMap { line in
                    line.split(separator: " ").prefix { $0.hasPrefix("-") || $0.hasPrefix("<") }
                        .filter { $0.hasPrefix("-") }.map { String($0.hasSuffix(",") ? $0.dropLast() : $0) }
                })
            #expect(declared.contains("--help") && declared.contains("-h"), "\(subcommand)")
            let offered = Set(try installation.complete("heartbeat-lite", subcommand, "-"))
            #expect(offered == declared, "\(subcommand): offered \(offered.sorted()), help \(declared.sorted())")
        }
        #expect(try installation.complete("heartbeat-lite", "check", "--con") == ["--config-dir"])
        #expect(try installation.complete("heartbeat-lite", "run", "--st") == ["--state-dir", "--stderr"])
        #expect(try installation.complete("heartbeat-lite", "help", "ta") == ["takeover"])
        #expect(try installation.complete("heartbeat-lite", "standby", "") == ["all", "foreign", "local"])
        #expect(try installation.complete("heartbeat-lite", "takeover", "--wait", "5", "f") == ["foreign"])
        #expect(try installation.complete("heartbeat-lite", "standby", "--wait", "").isEmpty)
    }

    /// --config-dir offers directories only (the ha.d holding ha.cf), spelt either way; --ha-cf offers files.
    @Test func configurationPathsAreCompleted() throws {
        let installation = try Installation()
        let work = "\(installation.root)/work"
        try FileManager.default.createDirectory(atPath: "\(work)/ha.d", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(work)/hakit", withIntermediateDirectories: true)
        try "node a\n".write(toFile: "\(work)/ha.d/ha.cf", atomically: true, encoding: .utf8)
        try "".write(toFile: "\(work)/haresources", atomically: true, encoding: .utf8)
        #expect(try installation.complete("heartbeat-lite", "check", "--config-dir", "ha.", in: work) == ["ha.d"])
        #expect(try installation.complete("heartbeat-lite", "check", "--config-dir", "=", "h", in: work) == ["ha.d", "hakit"])
        #expect(try installation.complete("heartbeat-lite", "run", "--state-dir", "", in: work) == ["ha.d", "hakit"])
        #expect(try installation.complete("heartbeat-lite", "export", "--ha-cf", "ha.d/", in: work) == ["ha.d/ha.cf"])
        #expect(try installation.complete("heartbeat-lite", "export", "--config-dir", "ha.d", "--crm", "", in: work).isEmpty)
    }

    /// cl_status's subcommands and their option letters as its help screen lists them; the sets
    /// hb_standby and hb_takeover take.
    @Test func heartbeatCommandNames() throws {
        let installation = try Installation()
        #expect(
            try installation.complete("cl_status", "")
                == ["-h", "hblinkstatus", "hbstatus", "listhblinks", "listnodes", "nodestatus", "nodetype", "rscstatus"])
        #expect(try installation.complete("cl_status", "listnodes", "-") == ["-m", "-n", "-p", "-v"])
        #expect(try installation.complete("cl_status", "rscstatus", "-") == ["-m"])
        // Node names come from the daemon; with none running there are none, and no error.
        #expect(try installation.complete("cl_status", "nodestatus", "").isEmpty)
        for name in ["hb_standby", "hb_takeover"] {
            #expect(try installation.complete(name, "") == ["all", "failback", "foreign", "local"])
            #expect(try installation.complete(name, "f") == ["failback", "foreign"])
        }
    }

    /// ocf-run and ocf-conformance: swift-argument-parser's scripts, from the same declarations.
    @Test func argumentParserTools() throws {
        let installation = try Installation()
        #expect(try installation.complete("ocf-run", "--ti") == ["--timeout"])
        #expect(try installation.complete("ocf-run", "--oc") == ["--ocf-root"])
        #expect(try installation.complete("ocf-conformance", "c") == ["cases", "check"])
        #expect(try installation.complete("ocf-conformance", "check", "--ag") == ["--agent-root"])
    }
}
