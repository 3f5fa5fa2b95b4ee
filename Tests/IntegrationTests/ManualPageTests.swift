import Foundation
import HAKitSystem
import HAKitTestSupport
import Testing

/// The man pages `make install` puts in place (issue 16), generated from the declarations: one per
/// agent, ocf_hakit_TYPE(7), and heartbeat-lite(8), cl_status(8), ocf-run(8), ocf-conformance(8).
/// Each must pass `man --warnings` (groff -ww: no warning at all) and lexgrog (a NAME line whatis
/// can index), and say what its declarations say.
@Suite struct ManualPageTests {
    /// Installs into a fresh DESTDIR; the pages by name (`ocf_hakit_Dummy.7`) → path.
    static func installedPages(_ destination: String) throws -> [String: String] {
        let make = try TestSupport.run([
            "make", "-s", "-C", TestSupport.packageRoot, "install-files", "BIN=\(TestSupport.binDirectory)",
            "DESTDIR=\(destination)",
        ])
        guard make.status == 0 else { throw TestFailure("make install-files: \(make.errorOutput)") }
        var pages: [String: String] = [:]
        for section in ["7", "8"] {
            let directory = "\(destination)/usr/share/man/man\(section)"
            for file in try FileManager.default.contentsOfDirectory(atPath: directory) where file.hasSuffix(".gz") {
                pages[String(file.dropLast(3))] = "\(directory)/\(file)"
            }
        }
        return pages
    }

    /// The page as man shows it, 200 columns wide, and what troff warned about.
    static func render(_ path: String) throws -> (text: String, warnings: String, status: Int32) {
        let result = try TestSupport.run(
            ["man", "--warnings", "-l", path],
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "MANWIDTH": "200", "MAN_KEEP_FORMATTING": "", "LC_ALL": "C.UTF-8"])
        return (result.output, result.errorOutput, result.status)
    }

    @Test func everyPageRendersWithoutWarningsAndIndexes() throws {
        let destination = try TestSupport.temporaryDirectory("man", mode: 0o755)
        defer { TestSupport.removeTree(destination) }
        let pages = try Self.installedPages(destination)
        let agents = try TestSupport.run([TestSupport.binary("hakit-agent"), "--list"]).output.split(separator: "\n").map(String.init)
        let expected = Set(agents.map { "ocf_hakit_\($0).7" } + ["heartbeat-lite.8", "cl_status.8", "ocf-run.8", "ocf-conformance.8"])
        #expect(Set(pages.keys) == expected)
        for (name, path) in pages.sorted(by: { $0.key < $1.key }) {
            let rendered = try Self.render(path)
            #expect(rendered.status == 0 && rendered.warnings.isEmpty, "\(name): \(rendered.warnings)")
            let index = try TestSupport.run(["lexgrog", path])
            let title = String(name.dropLast(2))
            #expect(index.status == 0 && index.output.contains(": \"\(title) - "), "\(name): lexgrog \(index.output)\(index.errorOutput)")
        }
    }

    /// Each agent page names every declared parameter with its default, and every advertised
    /// action with its timeout, as meta-data does.
    @Test func agentPagesSayWhatMetadataSays() throws {
        let destination = try TestSupport.temporaryDirectory("man-agents", mode: 0o755)
        defer { TestSupport.removeTree(destination) }
        let pages = try Self.installedPages(destination)
        for agent in try TestSupport.run([TestSupport.binary("hakit-agent"), "--list"]).output.split(separator: "\n") {
            let page = try #require(pages["ocf_hakit_\(agent).7"])
            let text = try Self.render(page).text
            let metadata = try TestSupport.run([TestSupport.binary("hakit-agent"), String(agent), "meta-data"], environment: [:]).output
            func attribute(_ name: String, in text: Substring) -> String? {
                guard let range = (" " + text).range(of: " \(name)=\"") else { return nil }
                let text = " " + text
                return String(text[range.upperBound...].prefix { $0 != "\"" })
            }
            let parameters = metadata.components(separatedBy: "<parameter ").dropFirst().map { Substring($0) }
            #expect(!parameters.isEmpty)
            for parameter in parameters {
                let name = try #require(attribute("name", in: parameter))
                #expect(text.contains("\n       \(name)"), "\(agent): parameter \(name) missing")
                let content = parameter.components(separatedBy: "</parameter>")[0]
                if let escaped = attribute("default", in: Substring(content)) {
                    let value = escaped.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                        .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
                        .replacingOccurrences(of: "&amp;", with: "&")
                    #expect(text.contains("default \"\(value)\""), "\(agent): default of \(name) (\(value)) missing")
                }
            }
            for action in metadata.components(separatedBy: "<action ").dropFirst().map({ Substring($0) }) {
                let name = try #require(attribute("name", in: action))
                let timeout = try #require(attribute("timeout", in: action))
                #expect(text.contains("\n       \(name)\n") || text.contains("\n       \(name) "), "\(agent): action \(name) missing")
                #expect(text.contains("Suggested minimum timeout: \(timeout)"), "\(agent): timeout \(timeout) of \(name)")
            }
            #expect(text.contains("primitive p_\(agent) ocf:hakit:\(agent)"))
        }
    }

    /// heartbeat-lite(8) has every subcommand and option of the help, and every ha.cf directive
    /// `check` accepts; cl_status(8) every sub-command its help screen lists.
    @Test func toolPagesFollowTheirHelp() throws {
        let destination = try TestSupport.temporaryDirectory("man-tools", mode: 0o755)
        defer { TestSupport.removeTree(destination) }
        let pages = try Self.installedPages(destination)
        let heartbeatLite = try Self.render(try #require(pages["heartbeat-lite.8"])).text
        let help = try TestSupport.run([TestSupport.binary("heartbeat-lite"), "--help"]).output
        let subcommands = help.components(separatedBy: "SUBCOMMANDS:\n").last?.split(separator: "\n")
            .compactMap { $0.hasPrefix("  ") && !$0.hasPrefix("   ") && !$0.hasPrefix("  See") ? $0.split(separator: " ").first.map(String.init) : nil } ?? []
        #expect(subcommands.count >= 7 && subcommands.contains("run") && subcommands.contains("cleanup"), "\(subcommands)")
        for subcommand in subcommands {
            #expect(heartbeatLite.contains("heartbeat-lite \(subcommand)"), "subcommand \(subcommand)")
            let options = try TestSupport.run([TestSupport.binary("heartbeat-lite"), subcommand, "--help"]).output
            for option in options.split(separator: "\n").compactMap({ $0.hasPrefix("  --") ? $0.dropFirst(2).split(separator: " ").first : nil })
            where option != "--help" {
                #expect(heartbeatLite.contains("\n       \(option)"), "\(subcommand) \(option)")
            }
        }
        for directive in ["ucast", "auto_failback", "serial", "rtprio", "hopfudge"] {
            #expect(heartbeatLite.contains("\n       \(directive)"), "ha.cf directive \(directive)")
        }
        let clStatus = try Self.render(try #require(pages["cl_status.8"])).text
        let screen = try TestSupport.run([TestSupport.binary("heartbeat-lite"), "--generate-manual", "nothing"])
        #expect(screen.status == 64)
        for subcommand in ["hbstatus", "listnodes", "nodestatus", "nodetype", "listhblinks", "hblinkstatus", "rscstatus"] {
            #expect(clStatus.contains("\n       \(subcommand)"), "cl_status \(subcommand)")
        }
        let ocfRun = try Self.render(try #require(pages["ocf-run.8"])).text
        for option in ["--timeout", "--interval", "--check", "--json", "--meta"] {
            #expect(ocfRun.contains(option), "ocf-run \(option)")
        }
        let conformance = try Self.render(try #require(pages["ocf-conformance.8"])).text
        #expect(conformance.contains("ocf-conformance cases"))
    }
}
