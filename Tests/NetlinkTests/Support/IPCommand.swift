import HAKitSystem

#if canImport(Glibc)
import Glibc
#endif

/// `ip` failed: its arguments, exit and standard error.
struct IPCommandError: Error, CustomStringConvertible {
    let arguments: [String]
    let termination: Termination?
    let errorOutput: String

    var description: String {
        "ip \(arguments.joined(separator: " ")): \(termination?.description ?? "not reaped"): \(errorOutput)"
    }
}

/// Runs iproute2's `ip` for test set-up and cross-checks; the library itself never does.
enum IPCommand {
    /// Runs `ip` with these arguments and returns its standard output; throws unless it exits 0.
    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let result = try ProcessRun.run(
            path: "ip",
            arguments: ["ip"] + arguments,
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"],
            timeoutMilliseconds: 10_000
        )
        guard result.termination == .exited(0) else {
            throw IPCommandError(
                arguments: arguments,
                termination: result.termination,
                errorOutput: String(decoding: result.errorOutput, as: UTF8.self)
            )
        }
        return String(decoding: result.output, as: UTF8.self)
    }
}
