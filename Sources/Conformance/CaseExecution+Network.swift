import HAKitSystem

extension CaseExecution {
    /// Creates the case's network namespace with its loopback up, and the agent spec that runs
    /// actions inside it.
    mutating func createNamespace() throws(StepError) {
        guard namespace == nil else { throw StepError(message: "the case already has a namespace") }
        try ip(["netns", "add", namespaceName], "create namespace \(namespaceName)")
        namespace = namespaceName
        try ip(["-n", namespaceName, "link", "set", "lo", "up"], "bring lo up in \(namespaceName)")
        var spec = agent
        spec.commandPrefix = [SystemCommand.locate("ip"), "netns", "exec", namespaceName]
        namespacedAgent = spec
    }

    /// A veth pair inside the namespace (never on the host).
    func createInterface(_ name: String, peer: String, up: Bool) throws(StepError) {
        let namespace = try requireNamespace("interface")
        try ip(
            ["-n", namespace, "link", "add", name, "type", "veth", "peer", "name", peer], "create interface \(name)")
        guard up else { return }
        try ip(["-n", namespace, "link", "set", name, "up"], "bring \(name) up")
        try ip(["-n", namespace, "link", "set", peer, "up"], "bring \(peer) up")
    }

    /// A base address inside the namespace (never on the host).
    func addAddress(_ address: String, on interface: String) throws(StepError) {
        let namespace = try requireNamespace("address")
        try ip(["-n", namespace, "addr", "add", address, "dev", interface], "add \(address) to \(interface)")
    }

    /// Deletes the namespace (ending what still runs in it is up to the clean-up steps: processes
    /// keep a deleted namespace alive until they exit) and the scratch directory.
    mutating func tearDown() {
        if let namespace {
            _ = try? ip(["netns", "delete", namespace], "delete namespace \(namespace)")
            self.namespace = nil
            namespacedAgent = nil
        }
        if !caseDirectory.isEmpty { Host.removeScratchDirectory(caseDirectory) }
    }

    private func requireNamespace(_ statement: String) throws(StepError) -> String {
        guard let namespace else {
            throw StepError(message: "\(statement) needs the case's namespace: put a namespace step first")
        }
        return namespace
    }

    private func ip(_ arguments: [String], _ what: String) throws(StepError) {
        let outcome = try system(["ip"] + arguments, inNamespace: false)
        guard outcome.succeeded else { throw StepError(message: "cannot \(what): \(outcome.complaint)") }
    }
}
