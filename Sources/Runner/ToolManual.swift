import HAKitSystem
import OCF

/// The man page of a swift-argument-parser tool (ocf-run, ocf-conformance), from the description
/// its declarations give of it (`--experimental-dump-help`, ArgumentParserToolInfo's JSON): the
/// same declarations as its help, rendered with `ManualPage`.
public enum ToolManual {
    /// What the page adds to the declarations: sections after OPTIONS, as (title, text).
    public typealias Extra = [(title: String, text: String)]

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The page for the running executable: it runs itself with `--experimental-dump-help`.
    public static func forRunningExecutable(section: String = "8", extra: Extra = [], seeAlso: [(String, String)] = [])
        throws -> String
    {
        let result = try ProcessRun.run(
            path: "/proc/self/exe", arguments: ["self", "--experimental-dump-help"], environment: [:], timeoutMilliseconds: 10_000)
        guard case .exited(0)? = result.termination else {
            throw Failure(description: "--experimental-dump-help failed: \(String(decoding: result.errorOutput, as: UTF8.self))")
        }
        return try render(dumpHelp: String(decoding: result.output, as: UTF8.self), section: section, extra: extra, seeAlso: seeAlso)
    }

    /// The page from the dump-help JSON.
    public static func render(dumpHelp: String, section: String, extra: Extra = [], seeAlso: [(String, String)] = []) throws
        -> String
    {
        let document: JSONValue
        do { document = try JSONReader.parse(dumpHelp) } catch { throw Failure(description: "\(error)") }
        guard let command = document["command"], let name = command["commandName"]?.string else {
            throw Failure(description: "dump-help: no command")
        }
        var page = ManualPage(name: name, section: section, manual: "System Manager's Manual", summary: command["abstract"]?.string ?? name)
        let subcommands = (command["subcommands"]?.array ?? []).filter { $0["commandName"]?.string != "help" }
        page.section("Synopsis")
        page.synopsis(name, usage(command))
        for subcommand in subcommands {
            page.synopsis("\(name) \(subcommand["commandName"]?.string ?? "")", usage(subcommand))
        }
        page.section("Description")
        page.paragraphs(unwrapped(command["discussion"]?.string ?? ""))
        options(command, into: &page)
        for subcommand in subcommands {
            page.section("\(name) \(subcommand["commandName"]?.string ?? "")")
            page.paragraphs(subcommand["abstract"]?.string ?? "")
            page.paragraphs(unwrapped(subcommand["discussion"]?.string ?? ""))
            options(subcommand, into: &page, heading: false)
        }
        for (title, text) in extra {
            page.section(title)
            page.paragraphs(text)
        }
        if !seeAlso.isEmpty { page.seeAlso(seeAlso) }
        return page.text
    }

    /// Help text keeps an indented block (examples) line by line; other lines are running text.
    static func unwrapped(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("  ") ? "\n" + line.trimmingLeadingSpaces + "\n" : String(line)
        }.joined(separator: "\n")
    }

    static func label(_ argument: JSONValue) -> String {
        let value = argument["valueName"]?.string ?? "value"
        switch argument["kind"]?.string {
        case "positional"?:
            return "<\(value)>" + (argument["isRepeating"]?.bool == true ? " ..." : "")
        case "flag"?:
            return names(argument).joined(separator: ", ")
        default:
            return names(argument).map { "\($0) <\(value)>" }.joined(separator: ", ")
        }
    }

    static func names(_ argument: JSONValue) -> [String] {
        (argument["names"]?.array ?? []).compactMap { name in
            guard let text = name["name"]?.string else { return nil }
            return name["kind"]?.string == "short" ? "-\(text)" : "--\(text)"
        }
    }

    static func usage(_ command: JSONValue) -> String {
        visible(command).map { argument in
            let text = argument["kind"]?.string == "positional" ? label(argument) : (names(argument).last ?? "") + (argument["kind"]?.string == "option" ? " <\(argument["valueName"]?.string ?? "value")>" : "")
            return argument["isOptional"]?.bool == true ? "[\(text)]" : text
        }.joined(separator: " ")
    }

    static func visible(_ command: JSONValue) -> [JSONValue] {
        (command["arguments"]?.array ?? []).filter { $0["shouldDisplay"]?.bool != false && $0["valueName"]?.string != "help" }
    }

    static func options(_ command: JSONValue, into page: inout ManualPage, heading: Bool = true) {
        let arguments = visible(command)
        guard !arguments.isEmpty else { return }
        if heading { page.section("Options") }
        for argument in arguments {
            var text = argument["abstract"]?.string ?? ""
            if let discussion = argument["discussion"]?.string, !discussion.isEmpty { text += "\n\n" + discussion }
            if let value = argument["defaultValue"]?.string, !value.isEmpty { text += " (default: \(value))" }
            page.option(label(argument), text)
        }
    }
}

extension String {
    fileprivate var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
}

extension Substring {
    fileprivate var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
}
