// OCF parameters as an agent process receives them: the environment (OCFEnvironment: OCF_RESKEY_*,
// CRM_meta_*, OCF_CHECK_LEVEL, HA_*), heartbeat v1 positional arguments (IPaddr's
// ip/bits/interface/broadcast), decoding against each agent's declarations (Parameters: required,
// integer, boolean, refused, aliases, defaults), then each agent's own reading of them (IPaddr2's
// and IPaddr's ip, cidr_netmask, broadcast, nic and label; SendArp; Dummy).
//
// Input: lines; `NAME=VALUE` is an environment variable, any other line a positional argument.
// apache's parameters are decoded but its agent is not built (it reads the file system), nor is
// IPaddr2 given network_namespace (it would enter one).
import Agents
import OCF

let silent = AgentIO(standardOutput: { _ in }, standardError: { _ in })
let actions: [OCFAction] = [.start, .monitor, .stop, .validateAll]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var variables: [String: String] = [:]
    var positional: [String] = []
    for line in text.split(separator: "\n") {
        if let equals = line.firstIndex(of: "="), equals != line.startIndex {
            variables[String(line[..<equals])] = String(line[line.index(after: equals)...])
        } else {
            positional.append(String(line))
        }
    }
    let environment = OCFEnvironment(variables)
    _ = (environment.root, environment.resourceInstance, environment.resourceType, environment.resourceProvider)
    _ = (environment.raVersion, environment.timeoutMilliseconds, environment.intervalMilliseconds)
    _ = (environment.checkLevel, environment.stateDirectory, environment.logFile, environment.debugEnabled)
    let action = actions[size % actions.count]
    for agent in AgentRegistry.all {
        let descriptor = agent.descriptor
        var raw = environment.instanceParameters
        if !positional.isEmpty {
            // As AgentMain.run: an agent without heartbeat v1 arguments ignores them.
            do {
                if let legacy = try agent.legacyParameters(positional) { raw.merge(legacy) { $1 } }
            } catch { continue }
        }
        if descriptor.name == "IPaddr2" { raw["network_namespace"] = nil }
        guard let parameters = try? Parameters(decoding: raw, declaredBy: descriptor.parameters) else { continue }
        for spec in descriptor.parameters {
            precondition(!spec.required || parameters.isGiven(spec.name), "required \(spec.name) is not given")
            switch spec.type {
            case .string: _ = parameters.string(spec.name)
            case .integer:
                let value = parameters.integer(spec.name)
                precondition(value != nil || (!parameters.isGiven(spec.name) && spec.defaultValue == nil), "integer \(spec.name) unreadable")
            case .boolean: _ = parameters.boolean(spec.name)
            }
        }
        guard descriptor.name != "apache" else { continue }
        let log = OCFLog(
            agent: descriptor.name, instance: "fuzz", action: action.rawValue, debugEnabled: environment.debugEnabled,
            sinks: [], io: silent)
        let context = AgentContext(action: action, environment: environment, parameters: parameters, log: log, instance: "fuzz")
        _ = context.isProbe
        _ = try? agent.init(context: context)
    }
    return 0
}
