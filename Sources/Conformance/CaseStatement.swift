import OCF

/// What one line of a case file asks for. Text fields may hold `${VARIABLE}` references,
/// expanded when the case runs.
public enum CaseStatement: Sendable, Hashable {
    /// Run the case in a network namespace of its own, named `${NS}`, deleted when the case ends.
    case namespace
    /// A veth pair inside the namespace, both ends up unless `up` is false.
    case interface(name: String, peer: String, up: Bool)
    /// An address (`A/P`) added to an interface inside the namespace.
    case address(String, interface: String)
    /// A shell command (inside the namespace, if any) that must succeed.
    case run(String)
    /// A file written with the given contents.
    case write(path: String, contents: String)
    /// A pause.
    case sleep(milliseconds: Int)
    /// A variable in the environment of agents and commands (never an `OCF_` one).
    case environment(name: String, value: String)
    /// An instance parameter, passed as `OCF_RESKEY_<name>`.
    case parameter(name: String, value: String)
    /// Drops an instance parameter set earlier.
    case unsetParameter(String)
    /// A meta-attribute, passed as `OCF_RESKEY_CRM_meta_<name>`.
    case meta(name: String, value: String)
    /// The resource instance name (`OCF_RESOURCE_INSTANCE`).
    case instance(String)
    /// Runs an action and compares its exit code.
    case action(ActionStep)
    /// Checks the system.
    case expect(Postcondition)
}

/// An agent action with the codes it should return.
public struct ActionStep: Sendable, Hashable {
    /// The action.
    public var action: OCFAction
    /// The accepted exit codes.
    public var expected: ExpectedCodes
    /// `CRM_meta_interval` in ms; `nil` means a recurring monitor for monitor and 0 for the rest.
    public var intervalMilliseconds: Int?
    /// The timeout in ms; `nil` means the one the agent advertises.
    public var timeoutMilliseconds: Int?
    /// `OCF_CHECK_LEVEL` (a monitor's depth); `nil` leaves it unset, as Pacemaker does for depth 0.
    public var checkLevel: Int?

    /// Creates a step; without an interval, timeout or depth, the defaults described above apply.
    public init(
        action: OCFAction, expected: ExpectedCodes, intervalMilliseconds: Int? = nil, timeoutMilliseconds: Int? = nil,
        checkLevel: Int? = nil
    ) {
        self.action = action
        self.expected = expected
        self.intervalMilliseconds = intervalMilliseconds
        self.timeoutMilliseconds = timeoutMilliseconds
        self.checkLevel = checkLevel
    }
}

/// The exit codes an action step accepts.
public enum ExpectedCodes: Sendable, Hashable, CustomStringConvertible {
    /// Any code, as long as the action finishes in time (clean-up steps).
    case any
    /// One of these codes.
    case codes([OCFExitCode])

    /// Whether a code is accepted.
    public func accepts(_ code: OCFExitCode) -> Bool {
        switch self {
        case .any: true
        case .codes(let codes): codes.contains(code)
        }
    }

    /// `0`, `7 or 5`, `any`.
    public var description: String {
        switch self {
        case .any: "any"
        case .codes(let codes): codes.map { String($0.rawValue) }.joined(separator: " or ")
        }
    }
}

/// A condition on the system after the steps before it.
public enum Postcondition: Sendable, Hashable {
    /// The address (with its prefix, if given) is on the interface, with that broadcast and label if given.
    case addressPresent(address: String, interface: String, broadcast: String?, label: String?)
    /// The address is on no interface (or not on the one given).
    case addressAbsent(address: String, interface: String?)
    /// A path exists.
    case fileExists(String)
    /// A path does not exist.
    case fileAbsent(String)
    /// A shell command succeeds (or, with `succeeds` false, fails).
    case command(String, succeeds: Bool)
    /// An HTTP GET of the URL answers with a body matching the regular expression.
    case httpGet(url: String, pattern: String)
    /// A process whose command line matches the pattern (`pgrep -f`) exists or not.
    case process(pattern: String, present: Bool)
}
