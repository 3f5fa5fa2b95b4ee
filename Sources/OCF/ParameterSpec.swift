/// The value type of an agent parameter, as meta-data's `<content type=…>` names it.
public enum ParameterType: String, Sendable, Hashable {
    /// Free text.
    case string
    /// A decimal integer, optionally signed.
    case integer
    /// A boolean in any of the spellings `ocf_is_true` accepts.
    case boolean
}

/// One parameter of an agent, declared once. Meta-data, documentation, validation and typed access
/// all come from this declaration.
public struct ParameterSpec: Sendable, Hashable {
    /// The wire name (`OCF_RESKEY_<name>`), e.g. `cidr_netmask`.
    public var name: String
    /// The value type.
    public var type: ParameterType
    /// Whether a value must be given; a required parameter has no default.
    public var required: Bool
    /// Whether two resources may not share a value (meta-data `unique`).
    public var unique: Bool
    /// Whether a change can be applied without a restart (OCF 1.1 `reloadable`). Not written into
    /// meta-data, which `ra-api-1.dtd` would reject; it shows in the documentation page.
    public var reloadable: Bool
    /// The value used when none is given; `nil` for none. Rendered into meta-data's `default`.
    public var defaultValue: String?
    /// A one-line summary.
    public var shortDescription: String
    /// The full description.
    public var longDescription: String
    /// A name this parameter was known by before; accepted when the parameter itself is absent.
    public var alias: String?
    /// Set when the parameter is no longer supported: giving it is refused with this explanation.
    public var refusal: String?

    /// Declares a parameter.
    public init(
        _ name: String, _ type: ParameterType = .string, required: Bool = false, unique: Bool = false,
        reloadable: Bool = false, default defaultValue: String? = nil, alias: String? = nil,
        short: String, long: String? = nil, refusal: String? = nil
    ) {
        self.name = name
        self.type = type
        self.required = required
        self.unique = unique
        self.reloadable = reloadable
        self.defaultValue = defaultValue
        self.alias = alias
        self.shortDescription = short
        self.longDescription = long ?? short
        self.refusal = refusal
    }
}

/// One action an agent advertises in its meta-data.
public struct ActionSpec: Sendable, Hashable {
    /// The action.
    public var action: OCFAction
    /// The advised timeout in seconds.
    public var timeoutSeconds: Int
    /// The advised interval in seconds for a recurring action (monitor); `nil` for none.
    public var intervalSeconds: Int?
    /// The check depth (`OCF_CHECK_LEVEL`) this entry stands for, if any.
    public var depth: Int?
    /// The role this entry applies to (`Promoted`/`Unpromoted`), if any.
    public var role: String?

    /// Declares an advertised action.
    public init(_ action: OCFAction, timeout: Int, interval: Int? = nil, depth: Int? = nil, role: String? = nil) {
        self.action = action
        self.timeoutSeconds = timeout
        self.intervalSeconds = interval
        self.depth = depth
        self.role = role
    }
}

/// What an agent is: its name, version, descriptions, parameters and actions.
public struct AgentDescriptor: Sendable {
    /// The agent type name, e.g. `IPaddr2`.
    public var name: String
    /// The agent's own version.
    public var version: String
    /// A one-line summary.
    public var shortDescription: String
    /// The full description.
    public var longDescription: String
    /// The parameters, in meta-data order.
    public var parameters: [ParameterSpec]
    /// The advertised actions, in meta-data order.
    public var actions: [ActionSpec]

    /// Declares an agent.
    public init(
        name: String, version: String = "1.0", short: String, long: String, parameters: [ParameterSpec],
        actions: [ActionSpec]
    ) {
        self.name = name
        self.version = version
        self.shortDescription = short
        self.longDescription = long
        self.parameters = parameters
        self.actions = actions
    }

    /// Whether an action is advertised (usage/help/methods are implied).
    public func advertises(_ action: OCFAction) -> Bool {
        if action == .usage || action == .help || action == .methods { return true }
        return actions.contains { $0.action == action }
    }

    /// The advertised timeout for an action in seconds, the first entry's when there are several.
    public func timeoutSeconds(for action: OCFAction) -> Int? {
        actions.first { $0.action == action }?.timeoutSeconds
    }

    /// The parameter declared under a name (or alias).
    public func parameter(named name: String) -> ParameterSpec? {
        parameters.first { $0.name == name } ?? parameters.first { $0.alias == name }
    }
}
