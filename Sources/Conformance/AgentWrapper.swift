import HAKitSystem
import Runner

/// A two-line shell script that runs an agent in a changed context: as another user, inside a
/// network namespace, or with an extra variable.
///
/// Runner's `Executor` runs an agent's path directly and passes on none of the caller's `OCF_`
/// variables, which is right for a cluster manager; ocf-tester's checks need a prefix command
/// (`setpriv`, `ip netns exec`) and `OCF_TESTER_FAIL_HAVE_BINARY`. The wrapper `exec`s, so the
/// agent keeps the wrapper's process id and process group and the executor's timeout still
/// reaches it.
struct AgentWrapper {
    /// Where the script is.
    let path: String

    /// Writes a wrapper script at `path`.
    ///
    /// - Parameters:
    ///   - agent: the real agent's path, exec'd with the wrapper's arguments.
    ///   - prefix: a command the agent runs under, e.g. `["ip", "netns", "exec", "ns1"]`.
    ///   - variables: variables to export first.
    init(at path: String, agent: String, prefix: [String] = [], variables: [(name: String, value: String)] = []) throws
    {
        var script = "#!/bin/sh\n# Written by ocf-conformance: runs \(agent) in a changed context.\n"
        for (name, value) in variables {
            script += "\(name)=\(shellQuoted(value)); export \(name)\n"
        }
        script += "exec " + (prefix + [agent]).map(shellQuoted).joined(separator: " ") + " \"$@\"\n"
        try FileSystem.writeAtomically(path, contents: script, mode: 0o700)
        self.path = path
    }

    /// The agent as the executor should see it: same type and provider, run through this script.
    func spec(for agent: AgentSpec) -> AgentSpec {
        var spec = agent
        spec.path = path
        return spec
    }
}
