/// An agent's instance parameters, decoded against its declaration.
///
/// Decoding checks every declared parameter once: required ones present, integers and booleans
/// well-formed, refused (deprecated) ones absent. After that, typed access cannot fail.
public struct Parameters: Sendable {
    private let values: [String: String]
    private let given: Set<String>
    private let specs: [String: ParameterSpec]

    /// Decodes raw values (`OCF_RESKEY_*` without the prefix) against the declared parameters.
    ///
    /// - Throws: `OCFError` with `OCF_ERR_CONFIGURED` naming the parameter and the bad value.
    public init(decoding raw: [String: String], declaredBy declared: [ParameterSpec]) throws {
        var values: [String: String] = [:]
        var given: Set<String> = []
        var specs: [String: ParameterSpec] = [:]
        for spec in declared {
            specs[spec.name] = spec
            let rawValue = raw[spec.name].flatMap { $0.isEmpty ? nil : $0 } ?? spec.alias.flatMap { raw[$0] }
            if let value = rawValue, !value.isEmpty {
                if let refusal = spec.refusal {
                    throw OCFError.notConfigured("parameter \(spec.name)=\(value) is not supported: \(refusal)")
                }
                try Self.check(value, against: spec)
                values[spec.name] = value
                given.insert(spec.name)
            } else if spec.required {
                throw OCFError.notConfigured("required parameter \(spec.name) is missing")
            } else if let fallback = spec.defaultValue {
                values[spec.name] = fallback
            }
        }
        self.values = values
        self.given = given
        self.specs = specs
    }

    private static func check(_ value: String, against spec: ParameterSpec) throws {
        switch spec.type {
        case .string: return
        case .integer:
            if Int(value) == nil {
                throw OCFError.notConfigured("parameter \(spec.name)=\(value) is not an integer")
            }
        case .boolean:
            if parseBoolean(value) == nil {
                throw OCFError.notConfigured("parameter \(spec.name)=\(value) is not a boolean (use true or false)")
            }
        }
    }

    /// Parses a boolean as `ocf_is_true` spells it (yes/true/1/on/y/ja and their opposites).
    public static func parseBoolean(_ value: String) -> Bool? {
        switch value.lowercased() {
        case "yes", "true", "1", "on", "y", "ja": true
        case "no", "false", "0", "off", "n", "nein": false
        default: nil
        }
    }

    private func spec(_ name: String, _ type: ParameterType) -> ParameterSpec {
        guard let spec = specs[name] else { preconditionFailure("parameter \(name) is not declared") }
        precondition(spec.type == type, "parameter \(name) is declared as \(spec.type), read as \(type)")
        return spec
    }

    /// Whether the parameter was given (rather than defaulted).
    public func isGiven(_ name: String) -> Bool {
        precondition(specs[name] != nil, "parameter \(name) is not declared")
        return given.contains(name)
    }

    /// A string parameter's value, given or default; `nil` when neither.
    public func string(_ name: String) -> String? {
        _ = spec(name, .string)
        return values[name]
    }

    /// An integer parameter's value, given or default; `nil` when neither.
    public func integer(_ name: String) -> Int? {
        _ = spec(name, .integer)
        return values[name].flatMap { Int($0) }
    }

    /// An integer parameter that has a default, so that it always has a value after decoding
    /// (which checked that the value, given or default, is an integer).
    public func defaultedInteger(_ name: String) -> Int {
        let spec = spec(name, .integer)
        precondition(spec.defaultValue != nil, "parameter \(name) has no default")
        return values[name].flatMap { Int($0) } ?? 0
    }

    /// A boolean parameter's value, given or default; false when neither.
    public func boolean(_ name: String) -> Bool {
        _ = spec(name, .boolean)
        return values[name].flatMap { Self.parseBoolean($0) } ?? false
    }
}
