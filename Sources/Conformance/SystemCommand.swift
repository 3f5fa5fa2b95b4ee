import HAKitSystem

/// A program run to set up or inspect the system for a case: `ip`, a shell command, `curl`,
/// `pgrep`. (Agents never run this way: they go through Runner's `Executor`.)
struct SystemCommand {
    /// What a command printed and how it ended.
    struct Outcome {
        /// The exit status; -1 when a signal or the timeout ended it.
        var status: Int32
        /// Standard output.
        var output: String
        /// Standard error.
        var errorOutput: String

        /// Whether it exited 0.
        var succeeded: Bool { status == 0 }

        /// The first line of standard error, else of standard output: why it failed.
        var complaint: String {
            let text = errorOutput.isEmpty ? output : errorOutput
            return text.split(separator: "\n").first.map(String.init) ?? "exit status \(status)"
        }
    }

    /// Where programs are looked for, in order.
    static let searchPath = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]

    /// The full path of a program, or the name itself when it is not found (spawning then fails).
    static func locate(_ name: String) -> String {
        if name.contains("/") { return name }
        return searchPath.map { "\($0)/\(name)" }.first(where: FileSystem.isExecutable) ?? name
    }

    /// The environment commands run with.
    let environment: [String: String]
    /// How long a command may take.
    let timeoutMilliseconds: Int

    /// Runs a program (looked up in `searchPath`) and waits for it.
    func run(_ arguments: [String]) throws -> Outcome {
        let result = try ProcessRun.run(
            path: Self.locate(arguments[0]), arguments: arguments, environment: environment,
            timeoutMilliseconds: timeoutMilliseconds, killGraceMilliseconds: 500)
        var status: Int32 = -1
        if case .exited(let code)? = result.termination, !result.timedOut { status = code }
        return Outcome(
            status: status, output: String(decoding: result.output, as: UTF8.self),
            errorOutput: String(decoding: result.errorOutput, as: UTF8.self)
                + (result.timedOut ? "timed out after \(timeoutMilliseconds) ms\n" : ""))
    }

    /// Runs a program inside a network namespace (`ip netns exec`), or directly without one.
    func run(_ arguments: [String], in namespace: String?) throws -> Outcome {
        guard let namespace else { return try run(arguments) }
        return try run(["ip", "netns", "exec", namespace] + arguments)
    }

    /// Runs `/bin/sh -c command`, inside a network namespace if one is given.
    func shell(_ command: String, in namespace: String?) throws -> Outcome {
        try run(["/bin/sh", "-c", command], in: namespace)
    }
}
