#if canImport(Glibc)
import Glibc
#endif

/// The one boundary between an agent and its caller: reads the action, dispatches it in the
/// order the resource-agents developer guide sets, and turns every outcome into an exit code.
public enum AgentMain {
    /// Runs one action of an agent and returns the exit code.
    ///
    /// - Parameters:
    ///   - agent: the agent type.
    ///   - arguments: `argv`; `arguments[1]` is the action, further arguments are ignored — unless
    ///     the agent reads heartbeat v1 arguments (`ResourceAgent.legacyParameters`) and there are
    ///     some: then the last argument is the action and those before it give parameters.
    ///   - environment: the OCF environment.
    ///   - sinks: extra log sinks (the journal); `HA_LOGFILE` is always used, standard error as
    ///     ocf-shellfuncs would use it (`StandardErrorRouting`).
    ///   - io: where output goes; the process's standard output and error by default.
    public static func run(
        _ agent: any ResourceAgent.Type, arguments: [String], environment: OCFEnvironment,
        sinks: [any LogSink] = [], io: AgentIO = .process
    ) -> OCFExitCode {
        let descriptor = agent.descriptor
        guard arguments.count >= 2, !arguments[1].isEmpty else {
            io.standardError(MetadataRenderer.usage(descriptor))
            return .invalidArguments
        }
        // heartbeat v1 (`IPaddr 192.168.85.3/27 start`): arguments before the action, when the agent reads them.
        let positional = Array(arguments.dropFirst().dropLast())
        var legacy: Result<[String: String], any Error>?
        if !positional.isEmpty {
            do {
                legacy = try agent.legacyParameters(positional).map { .success($0) }
            } catch {
                legacy = .failure(error)
            }
        }
        let action = OCFAction(rawValue: legacy == nil ? arguments[1] : arguments[arguments.count - 1])
        switch action {
        case .metaData:
            io.standardOutput(MetadataRenderer.xml(descriptor))
            return .success
        case .usage, .help:
            io.standardOutput(MetadataRenderer.usage(descriptor))
            return .success
        case .methods:
            var names: [String] = []
            for entry in descriptor.actions where !names.contains(entry.action.rawValue) {
                names.append(entry.action.rawValue)
            }
            io.standardOutput(names.joined(separator: "\n") + "\n")
            return .success
        default:
            break
        }

        // Outside a cluster manager (no OCF_RA_VERSION_MAJOR) the instance is "default", as in ocf-shellfuncs;
        // heartbeat's v1 wrappers name it TYPE_ARGUMENT.
        let instance =
            environment.resourceInstance
            ?? (legacy != nil ? "\(descriptor.name)_\(positional[0])" : environment.raVersion == nil ? "default" : nil)
        let log = OCFLog(
            agent: descriptor.name, instance: instance, action: action.rawValue,
            debugEnabled: environment.debugEnabled, sinks: logSinks(environment, extra: sinks, io: io), io: io)

        guard descriptor.advertises(action) else {
            log.exitReason("action \(action.rawValue) is not implemented by \(descriptor.name)")
            return .unimplemented
        }
        guard let instance else {
            log.exitReason("OCF_RESOURCE_INSTANCE is not set")
            return .invalidArguments
        }

        let checked: (any ResourceAgent, AgentContext)
        do {
            var raw = environment.instanceParameters
            if let legacy { raw.merge(try legacy.get()) { $1 } }
            let parameters = try Parameters(decoding: raw, declaredBy: descriptor.parameters)
            let context = AgentContext(
                action: action, environment: environment, parameters: parameters, log: log, instance: instance)
            let instance = try agent.init(context: context)
            if [.validateAll, .start, .reload, .promote, .migrateFrom].contains(action) {
                try instance.validate()
            }
            checked = (instance, context)
        } catch {
            return unusable(error, action: action, environment: environment, log: log)
        }

        let (resource, context) = checked
        do {
            switch action {
            case .validateAll:
                return .success
            case .start:
                try resource.start()
                return .success
            case .stop:
                try resource.stop()
                return .success
            case .monitor, .status:
                let state = try resource.monitor()
                if legacy != nil && action == .status {
                    // heartbeat's ResourceManager judges a v1 resource by what status prints, not its code.
                    let words = state == .notRunning ? "is not running" : "is running"
                    io.standardOutput("\(descriptor.name) \(positional.joined(separator: " ")) \(words)\n")
                }
                return state.exitCode
            default:
                return try resource.perform(action)
            }
        } catch let error as OCFError where context.isProbe && (error.code == .notInstalled || error.isAbsentHere) {
            context.log.info("\(error.reason); probe reports not running")
            return .notRunning
        } catch {
            return failed(error, action: action, log: context.log)
        }
    }

    /// Maps a configuration or environment that cannot work, following resource-agents' `ocf-rarun`:
    /// stop succeeds (nothing can run with it), a probe finding the software missing reports
    /// "not running", everything else fails with the validation code.
    static func unusable(
        _ error: any Error, action: OCFAction, environment: OCFEnvironment, log: OCFLog
    ) -> OCFExitCode {
        guard let error = error as? OCFError else { return failed(error, action: action, log: log) }
        let isProbe = (action == .monitor || action == .status) && environment.intervalMilliseconds == 0
        if action == .stop && ([.notConfigured, .notInstalled, .invalidArguments].contains(error.code) || error.isAbsentHere) {
            log.warning("\(error.reason); nothing can be running with this configuration, so stop succeeds")
            return .success
        }
        if isProbe && (error.code == .notInstalled || error.isAbsentHere) {
            log.info("\(error.reason); probe reports not running")
            return .notRunning
        }
        return failed(error, action: action, log: log)
    }

    /// The code of a failed action: the error's own, except that something missing on this node
    /// is OCF_ERR_ARGS (2, invalid on this host) for validate-all, and any other error 1.
    static func failed(_ error: any Error, action: OCFAction, log: OCFLog) -> OCFExitCode {
        if let error = error as? OCFError {
            log.exitReason(error.reason)
            return error.isAbsentHere && action == .validateAll ? .invalidArguments : error.code
        }
        log.exitReason("unexpected error: \(error)")
        return .genericError
    }

    static func logSinks(_ environment: OCFEnvironment, extra: [any LogSink], io: AgentIO) -> [any LogSink] {
        let routing = StandardErrorRouting(environment: environment, interactive: io.isInteractive)
        var sinks: [any LogSink] = [StandardErrorSink(io: io, routing: routing)]
        if let file = environment.logFile { sinks.append(FileSink(path: file, minimumLevel: .info)) }
        if let file = environment.debugLogFile, file != environment.logFile { sinks.append(FileSink(path: file)) }
        return sinks + extra
    }
}

/// Reading the process's own environment and arguments.
public enum ProcessEnvironment {
    /// The current process environment as a dictionary.
    public static func current() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}
