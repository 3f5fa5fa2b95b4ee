import HAKitSystem
import OCF

/// A resource that only records whether it is "running" in a state file: the example agent, and
/// the one to test managers and runners with. Behaves like resource-agents' `ocf:heartbeat:Dummy`.
public struct Dummy: ResourceAgent {
    public static let descriptor = AgentDescriptor(
        name: "Dummy",
        short: "Example stateless resource agent",
        long: """
            This is a dummy resource agent. It does nothing but record in a state file whether it \
            was started, so it is useful to test cluster managers and runners.
            """,
        parameters: [
            ParameterSpec(
                "state", unique: true,
                short: "State file",
                long: """
                    Location to store the resource state in. By default a file named \
                    Dummy-<instance>.state in HA_RSCTMP (/run/resource-agents).
                    """),
            ParameterSpec(
                "fake", reloadable: true, default: "dummy",
                short: "Fake attribute that can be changed to cause a reload",
                long: "Fake attribute that can be changed to cause a reload."),
        ],
        actions: [
            ActionSpec(.start, timeout: 20),
            ActionSpec(.stop, timeout: 20),
            ActionSpec(.monitor, timeout: 20, interval: 10, depth: 0),
            ActionSpec(.reload, timeout: 20),
            ActionSpec(.migrateTo, timeout: 20),
            ActionSpec(.migrateFrom, timeout: 20),
            ActionSpec(.metaData, timeout: 5),
            ActionSpec(.validateAll, timeout: 20),
        ])

    let context: AgentContext
    let stateFile: String
    let usesDefaultState: Bool

    public init(context: AgentContext) throws {
        self.context = context
        if let state = context.parameters.string("state") {
            stateFile = state
            usesDefaultState = false
        } else {
            stateFile = "\(context.environment.stateDirectory)/Dummy-\(context.instance).state"
            usesDefaultState = true
        }
    }

    var stateDirectory: String {
        guard let slash = stateFile.lastIndex(of: "/") else { return "." }
        return slash == stateFile.startIndex ? "/" : String(stateFile[..<slash])
    }

    public func validate() throws {
        // The default directory is ours to create; a directory the user named must exist.
        if usesDefaultState { return }
        guard FileSystem.isDirectory(stateDirectory) else {
            throw OCFError.invalidArguments("state directory \(stateDirectory) (from state=\(stateFile)) does not exist")
        }
        guard FileSystem.isWritable(stateDirectory) else {
            throw OCFError.invalidArguments("state directory \(stateDirectory) is not writable")
        }
    }

    public func start() throws {
        if try monitor() == .running { return }
        do {
            if usesDefaultState { try FileSystem.makeDirectories(stateDirectory) }
            try FileSystem.writeAtomically(stateFile, contents: context.parameters.string("fake") ?? "")
        } catch {
            throw OCFError.generic("cannot write state file: \(error)")
        }
        context.log.info("started, state in \(stateFile)")
    }

    public func stop() throws {
        do {
            try FileSystem.remove(stateFile)
        } catch {
            throw OCFError.generic("cannot remove state file: \(error)")
        }
    }

    public func monitor() throws -> ResourceState {
        FileSystem.exists(stateFile) ? .running : .notRunning
    }

    public func perform(_ action: OCFAction) throws -> OCFExitCode {
        switch action {
        case .reload:
            context.log.info("reloading: fake=\(context.parameters.string("fake") ?? "")")
            if try monitor() == .running { try start() }
            return .success
        case .migrateTo:
            context.log.info("migrating to \(context.environment.meta("migrate_target") ?? "the target node")")
            try stop()
            return .success
        case .migrateFrom:
            context.log.info("migrating from \(context.environment.meta("migrate_source") ?? "the source node")")
            try start()
            return .success
        default:
            return .unimplemented
        }
    }
}
