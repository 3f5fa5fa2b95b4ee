/// Meta-data as read back from an agent's `meta-data` output: what any agent, ours or a
/// third party's, says about itself.
public struct AgentMetadata: Sendable {
    /// A parameter as advertised.
    public struct Parameter: Sendable, Hashable {
        /// The parameter name.
        public var name: String
        /// Whether it is required.
        public var required: Bool
        /// Whether its value must be unique.
        public var unique: Bool
        /// The content type (`string`, `integer`, `boolean`, …).
        public var type: String?
        /// The default, if advertised.
        public var defaultValue: String?
    }

    /// An action as advertised.
    public struct Action: Sendable, Hashable {
        /// The action name.
        public var name: String
        /// The advised timeout in milliseconds.
        public var timeoutMilliseconds: Int?
        /// The advised interval in milliseconds.
        public var intervalMilliseconds: Int?
        /// The depth, if given.
        public var depth: Int?
        /// The role, if given.
        public var role: String?
    }

    /// The agent name (`<resource-agent name=…>`).
    public var name: String
    /// The `<version>` element: the OCF API version claimed.
    public var apiVersion: String?
    /// The short description.
    public var shortDescription: String?
    /// The parameters.
    public var parameters: [Parameter]
    /// The actions.
    public var actions: [Action]

    /// Reads meta-data from an XML document; throws when it is not well-formed or lacks the
    /// elements the OCF API requires (name, version, longdesc, shortdesc, actions).
    public init(xml: String) throws {
        let root: XMLElement
        do {
            root = try parseXML(xml)
        } catch {
            throw MetadataProblem("meta-data is not well-formed XML: \(error)")
        }
        guard root.name == "resource-agent" else {
            throw MetadataProblem("the root element is <\(root.name)>, not <resource-agent>")
        }
        guard let name = root.attribute("name"), !name.isEmpty else {
            throw MetadataProblem("<resource-agent> has no name attribute")
        }
        for required in ["version", "longdesc", "shortdesc", "actions"] where root.child(required) == nil {
            throw MetadataProblem("<resource-agent> has no <\(required)> element")
        }
        self.name = name
        apiVersion = root.child("version")?.text.trimmed()
        shortDescription = root.child("shortdesc")?.text.trimmed()
        parameters = (root.child("parameters")?.children("parameter") ?? []).map { element in
            Parameter(
                name: element.attribute("name") ?? "", required: element.attribute("required") == "1",
                unique: element.attribute("unique") == "1", type: element.child("content")?.attribute("type"),
                defaultValue: element.child("content")?.attribute("default"))
        }
        actions = (root.child("actions")?.children("action") ?? []).map { element in
            Action(
                name: element.attribute("name") ?? "",
                timeoutMilliseconds: element.attribute("timeout").flatMap(parseDurationMilliseconds),
                intervalMilliseconds: element.attribute("interval").flatMap(parseDurationMilliseconds),
                depth: element.attribute("depth").flatMap { Int($0) }, role: element.attribute("role"))
        }
    }

    /// Whether an action is advertised.
    public func advertises(_ name: String) -> Bool { actions.contains { $0.name == name } }

    /// The advertised timeout of an action (the first entry's), in milliseconds.
    public func timeoutMilliseconds(for name: String) -> Int? {
        actions.first { $0.name == name }?.timeoutMilliseconds
    }
}

/// Why meta-data is unusable.
public struct MetadataProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var description: String

    /// Creates a problem report.
    public init(_ description: String) { self.description = description }
}

/// Parses a duration as Pacemaker does: a number with an optional unit `ms`, `s`, `m`/`min`,
/// `h`/`hr` (no unit means seconds). Returns milliseconds, or `nil` when malformed.
public func parseDurationMilliseconds(_ text: String) -> Int? {
    let trimmed = text.trimmed().lowercased()
    let digits = trimmed.prefix { $0.isNumber }
    guard !digits.isEmpty, let value = Int(digits) else { return nil }
    let unit = trimmed.dropFirst(digits.count).trimmed()
    let scale: Int
    switch unit {
    case "ms", "msec": scale = 1
    case "", "s", "sec": scale = 1000
    case "m", "min": scale = 60_000
    case "h", "hr": scale = 3_600_000
    default: return nil
    }
    // Too many milliseconds to count is malformed, not a trap.
    let (milliseconds, overflow) = value.multipliedReportingOverflow(by: scale)
    return overflow ? nil : milliseconds
}

extension StringProtocol {
    /// The text without leading and trailing white space.
    func trimmed() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
