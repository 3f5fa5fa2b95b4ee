import HAKitSystem

extension CaseExecution {
    /// Checks a postcondition; returns what is wrong, or `nil` when it holds.
    func check(_ condition: Postcondition) throws(StepError) -> String? {
        let expand = variables.expand
        switch condition {
        case .addressPresent(let address, let interface, let broadcast, let label):
            return try checkAddressPresent(expand(address), expand(interface), broadcast.map(expand), label.map(expand))
        case .addressAbsent(let address, let interface):
            return try checkAddressAbsent(expand(address), interface.map(expand))
        case .fileExists(let path):
            return FileSystem.exists(expand(path)) ? nil : "expect file \(expand(path)) exists: it does not"
        case .fileAbsent(let path):
            return FileSystem.exists(expand(path)) ? "expect file \(expand(path)) absent: it exists" : nil
        case .command(let command, let succeeds):
            let outcome = try shell(expand(command))
            if outcome.succeeded == succeeds { return nil }
            return succeeds
                ? "expect command succeeds \(expand(command)): \(outcome.complaint)"
                : "expect command fails \(expand(command)): it succeeded"
        case .httpGet(let url, let pattern):
            return try checkGet(expand(url), pattern)
        case .process(let pattern, let present):
            var pids = try matchingProcesses(expand(pattern))
            // A process the action signalled may still be exiting (stock SendArp's stop sends
            // SIGTERM and returns): allow it up to two seconds before calling it a survivor.
            let deadline = MonotonicClock.milliseconds() + 2000
            while !present && !pids.isEmpty && MonotonicClock.milliseconds() < deadline {
                MonotonicClock.sleep(milliseconds: 20)
                pids = try matchingProcesses(expand(pattern))
            }
            if pids.isEmpty != present { return nil }
            return present
                ? "expect process matching \(expand(pattern)): none runs"
                : "expect no process matching \(expand(pattern)): pid "
                    + pids.map(String.init).joined(separator: " ") + " runs"
        }
    }

    /// The processes whose command line matches (`pgrep -f`); in a case with a namespace, only
    /// those inside it (`ip netns pids`), so other work on the host never counts.
    private func matchingProcesses(_ pattern: String) throws(StepError) -> [Int] {
        let outcome = try system(["pgrep", "-f", "--", pattern], inNamespace: false)
        guard outcome.status == 0 || outcome.status == 1 else {
            throw StepError(message: "pgrep \(pattern): \(outcome.complaint)")
        }
        let pids = outcome.output.split(separator: "\n").compactMap { Int($0) }
        guard let namespace, !pids.isEmpty else { return pids }
        let members = try system(["ip", "netns", "pids", namespace], inNamespace: false)
        guard members.succeeded else { throw StepError(message: "ip netns pids \(namespace): \(members.complaint)") }
        let inside = Set(members.output.split(separator: "\n").compactMap { Int($0) })
        return pids.filter(inside.contains)
    }

    /// The addresses as `ip -o addr show` lists them, in the case's namespace if it has one.
    private func addresses() throws(StepError) -> [ListedAddress] {
        let outcome = try system(["ip", "-o", "addr", "show"], inNamespace: true)
        guard outcome.succeeded else { throw StepError(message: "ip -o addr show: \(outcome.complaint)") }
        return ListedAddress.parse(outcome.output)
    }

    /// `A` or `A/P` split into address and prefix.
    private func split(_ text: String) -> (address: String, prefix: Int?) {
        let parts = text.split(separator: "/", maxSplits: 1)
        return (String(parts.first ?? ""), parts.count == 2 ? Int(parts[1]) : nil)
    }

    private func checkAddressPresent(
        _ text: String, _ interface: String, _ broadcast: String?, _ label: String?
    ) throws(StepError) -> String? {
        let (address, prefix) = split(text)
        let all = try addresses()
        let family = address.contains(":") ? "inet6" : "inet"
        let onInterface = all.filter { ($0.interface == interface || $0.label == interface) && $0.family == family }
        guard let entry = onInterface.first(where: { $0.address == address && (prefix == nil || $0.prefix == prefix) })
        else {
            let seen = onInterface.map { "\($0.address)/\($0.prefix)" }.joined(separator: ", ")
            return
                "expect address \(text) present on \(interface): \(interface) has \(seen.isEmpty ? "no address" : seen)"
        }
        if let broadcast, entry.broadcast != broadcast {
            return "expect address \(text) present on \(interface) brd \(broadcast): "
                + "its broadcast is \(entry.broadcast ?? "unset")"
        }
        if let label, entry.label != label {
            return
                "expect address \(text) present on \(interface) label \(label): its label is \(entry.label ?? "unset")"
        }
        return nil
    }

    private func checkAddressAbsent(_ text: String, _ interface: String?) throws(StepError) -> String? {
        let (address, _) = split(text)
        let found = try addresses().filter {
            $0.address == address && (interface == nil || $0.interface == interface || $0.label == interface)
        }
        guard let entry = found.first else { return nil }
        let scope = interface.map { " on \($0)" } ?? ""
        return "expect address \(text) absent\(scope): \(entry.address)/\(entry.prefix) is on \(entry.interface)"
    }

    /// Fetches a URL with curl (inside the namespace, no proxy, following redirects) and matches
    /// the body against a regular expression.
    private func checkGet(_ url: String, _ pattern: String) throws(StepError) -> String? {
        let outcome = try system(
            ["curl", "--silent", "--show-error", "--location", "--max-time", "10", "--noproxy", "*", url],
            inNamespace: true)
        guard outcome.succeeded else { return "expect get \(url): \(outcome.complaint)" }
        let regex: Regex<AnyRegexOutput>
        do {
            regex = try Regex(pattern)
        } catch {
            throw StepError(message: "invalid regular expression \(pattern): \(error)")
        }
        if outcome.output.contains(regex) { return nil }
        return "expect get \(url) matches \(pattern): the body (\(outcome.output.utf8.count) bytes) does not match"
    }
}
