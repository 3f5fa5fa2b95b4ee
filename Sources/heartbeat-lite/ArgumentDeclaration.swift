import HAKitSystem

/// How a declared argument appears on the command line.
enum ArgumentKind: Sendable {
    /// `--name VALUE` or `--name=VALUE`.
    case option
    /// `--name`, taking no value.
    case flag
    /// A bare word, taken by position.
    case positional
}

/// One option, flag or positional argument of a command as declared. Parsing, the usage line and
/// the help all read this one value, so nothing about an argument is written twice.
struct ArgumentDeclaration: Sendable {
    var kind: ArgumentKind
    /// The long name without its dashes (`config-dir`), or a positional argument's name.
    var name: String
    /// What usage and help call the value: `dir` gives `--config-dir <dir>`.
    var valueName: String
    var help: String
    /// The default as help shows it; nil when there is none.
    var defaultText: String?
    /// What a valid value is, for the message naming an invalid one; nil when any text is.
    var expectation: String?
    /// The words a value is usually one of, offered by the bash completion; empty for any text.
    var choices: [String] = []

    /// How usage and help name the argument: `--config-dir <dir>`, `--json`, `<set>`.
    var label: String {
        switch kind {
        case .option: "--\(name) <\(valueName)>"
        case .flag: "--\(name)"
        case .positional: "<\(valueName)>"
        }
    }
}

/// A type the text of an option or positional argument converts to.
protocol ArgumentValue {
    /// The value `argument` stands for; nil when it stands for none.
    init?(argument: String)
    /// What a valid value is, for the message naming an invalid one; nil when any text is.
    static var expectation: String? { get }
}

extension String: ArgumentValue {
    init?(argument: String) { self = argument }
    static var expectation: String? { nil }
}

extension Int: ArgumentValue {
    init?(argument: String) { self.init(argument, radix: 10) }
    static var expectation: String? { "a whole number" }
}

/// A duration in whole seconds (`--wait`, `--resource-timeout`): 0 up to the longest duration
/// Pacemaker can express, so that its milliseconds never overflow.
struct Seconds: ArgumentValue, CustomStringConvertible, Equatable {
    static let most = MonotonicClock.longestDurationMilliseconds / 1000
    let value: Int
    init(_ value: Int) { self.value = min(max(0, value), Self.most) }
    init?(argument: String) {
        guard let value = Int(argument, radix: 10), (0...Self.most).contains(value) else { return nil }
        self.value = value
    }
    static var expectation: String? { "a whole number of seconds from 0 to \(most)" }
    var milliseconds: Int { value * 1000 }
    var description: String { "\(value)" }
}

extension Optional: ArgumentValue where Wrapped: ArgumentValue {
    init?(argument: String) {
        guard let value = Wrapped(argument: argument) else { return nil }
        self = .some(value)
    }
    static var expectation: String? { Wrapped.expectation }
}

/// Where a parsed value lands. Every copy of a wrapper shares it, so the parser sets the value
/// through the copy that reflection hands out and the command reads it through its own.
final class ArgumentStorage<Value> {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// A declaration together with the place its value goes.
struct ArgumentBinding {
    let declaration: ArgumentDeclaration
    /// Stores the text given on the command line (a flag ignores it); false when it is no valid value.
    let store: (String) -> Bool

    /// The declarations of `arguments`' wrapped properties in the order they are written, with
    /// option groups expanded in place (swift-argument-parser finds its own the same way).
    static func all(in arguments: Any) -> [ArgumentBinding] {
        Mirror(reflecting: arguments).children.flatMap { ($0.value as? any DeclaresArguments)?.bindings ?? [] }
    }
}

/// A property wrapper that declares command-line arguments: `Option`, `Flag`, `Argument`, `OptionGroup`.
protocol DeclaresArguments {
    var bindings: [ArgumentBinding] { get }
}

extension ArgumentStorage where Value: ArgumentValue {
    func binding(_ declaration: ArgumentDeclaration) -> ArgumentBinding {
        ArgumentBinding(declaration: declaration) { text in
            guard let value = Value(argument: text) else { return false }
            self.value = value
            return true
        }
    }
}

/// `--name VALUE`: `@Option("config-dir", valueName: "dir", help: "…") var configDirectory = "/etc/ha.d"`.
@propertyWrapper struct Option<Value: ArgumentValue>: DeclaresArguments {
    let declaration: ArgumentDeclaration
    private let storage: ArgumentStorage<Value>

    var wrappedValue: Value { storage.value }
    var bindings: [ArgumentBinding] { [storage.binding(declaration)] }

    /// An option whose default is the property's initial value; help shows it.
    init(wrappedValue: Value, _ name: String, valueName: String? = nil, help: String) {
        storage = ArgumentStorage(wrappedValue)
        declaration = ArgumentDeclaration(
            kind: .option, name: name, valueName: valueName ?? name, help: help, defaultText: "\(wrappedValue)",
            expectation: Value.expectation)
    }
}

extension Option where Value: ExpressibleByNilLiteral {
    /// An option without a default: the property is nil unless the option is given.
    init(_ name: String, valueName: String? = nil, help: String) {
        storage = ArgumentStorage(nil)
        declaration = ArgumentDeclaration(
            kind: .option, name: name, valueName: valueName ?? name, help: help, defaultText: nil,
            expectation: Value.expectation)
    }
}

/// `--name`, false unless given: `@Flag("json", help: "…") var json: Bool`.
@propertyWrapper struct Flag: DeclaresArguments {
    let declaration: ArgumentDeclaration
    private let storage = ArgumentStorage(false)

    var wrappedValue: Bool { storage.value }
    var bindings: [ArgumentBinding] {
        [ArgumentBinding(declaration: declaration) { [storage] _ in storage.value = true; return true }]
    }

    init(_ name: String, help: String) {
        declaration = ArgumentDeclaration(kind: .flag, name: name, valueName: name, help: help)
    }
}

/// A positional argument with a default: `@Argument("set", help: "…") var set = "all"`.
@propertyWrapper struct Argument<Value: ArgumentValue>: DeclaresArguments {
    let declaration: ArgumentDeclaration
    private let storage: ArgumentStorage<Value>

    var wrappedValue: Value { storage.value }
    var bindings: [ArgumentBinding] { [storage.binding(declaration)] }

    init(wrappedValue: Value, _ name: String, choices: [String] = [], help: String) {
        storage = ArgumentStorage(wrappedValue)
        declaration = ArgumentDeclaration(
            kind: .positional, name: name, valueName: name, help: help, defaultText: "\(wrappedValue)",
            expectation: Value.expectation, choices: choices)
    }
}

/// The arguments of a `ParsableArguments` type several commands share, declared there once.
@propertyWrapper struct OptionGroup<Value: ParsableArguments>: DeclaresArguments {
    let wrappedValue: Value
    var bindings: [ArgumentBinding] { ArgumentBinding.all(in: wrappedValue) }

    init() { wrappedValue = Value() }
}
