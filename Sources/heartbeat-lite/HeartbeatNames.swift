import Failover
import OCF

#if canImport(Glibc)
import Glibc
#endif

/// heartbeat-lite started as `cl_status`, `hb_standby` or `hb_takeover` (the links `make install`
/// puts in LIBDIR/heartbeat): the command heartbeat's name stands for, against the daemon whose
/// control socket is in `HEARTBEAT_LITE_RUN_DIR` (default /run/heartbeat-lite). Nil for any other name.
func heartbeatCompatibleCommand(_ arguments: [String]) -> Int32? {
    let program = arguments.first ?? ""
    let name = program.split(separator: "/").last.map(String.init) ?? ""
    let runDirectory = ProcessEnvironment.current()["HEARTBEAT_LITE_RUN_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/run/heartbeat-lite"
    let socket = "\(runDirectory)/control.sock"
    let outcome: HeartbeatCommands.Outcome
    switch name {
    case "cl_status":
        outcome = HeartbeatCommands.clStatus(Array(arguments.dropFirst()), logPrefix: clLogPrefix("cl_status")) {
            let answer: String
            do { answer = try DaemonControl.send("status json", socket: socket) } catch {
                return .failure(.init(reason: "\(error)"))
            }
            guard answer.hasPrefix("ok\n") else { return .failure(.init(reason: answer.trimmingSuffixNewlines)) }
            do { return .success(try StatusReport(json: String(answer.dropFirst(3)))) } catch {
                return .failure(.init(reason: "\(error)"))
            }
        }
    case "hb_standby", "hb_takeover":
        switch HeartbeatCommands.handover(program: program, verb: name == "hb_standby" ? "standby" : "takeover", Array(arguments.dropFirst())) {
        case .failure(let usage): outcome = usage
        case .success(let request):
            // As heartbeat's scripts: ask, do not wait, print nothing; but a refusal is said, exit 1.
            do {
                let answer = try DaemonControl.send(request, socket: socket)
                outcome = answer.hasPrefix("ok\n")
                    ? .init()
                    : .init(errorOutput: "\(name): \(answer.hasPrefix("error: ") ? String(answer.dropFirst(7)) : answer)", status: 1)
            } catch {
                outcome = .init(errorOutput: "\(name): \(error)\n", status: 1)
            }
        }
    default:
        return nil
    }
    writeStandardOutput(outcome.output)
    writeStandardError(outcome.errorOutput)
    return outcome.status
}

/// What cl_log starts a line on standard error with: `Dec 03 14:42:54 node2 cl_status: [76]: `.
func clLogPrefix(_ entity: String) -> String {
    var now = time(nil)
    var parts = tm()
    localtime_r(&now, &parts)
    var buffer = [CChar](repeating: 0, count: 64)
    let count = strftime(&buffer, buffer.count, "%b %d %H:%M:%S", &parts)
    let stamp = String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var names = utsname()
    uname(&names)
    let host = withUnsafeBytes(of: names.nodename) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    return "\(stamp) \(host) \(entity): [\(getpid())]: "
}

extension String {
    fileprivate var trimmingSuffixNewlines: String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
