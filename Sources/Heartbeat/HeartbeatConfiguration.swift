#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem

/// heartbeat's three files read together as the daemon reads them: `ha.cf`, `haresources` and
/// `authkeys` from one directory (`/etc/ha.d`), with every problem of all three reported at once.
public struct HeartbeatConfiguration: Sendable {
    /// ha.cf.
    public var haCf: HaCf
    /// haresources.
    public var resources: HaResources
    /// authkeys.
    public var authKeys: AuthKeys
    /// heartbeat-lite's own settings (`hakit.cf`, optional; the defaults without it).
    public var hakit = HakitCf()
    /// The directory the files came from.
    public var directory: String

    /// Every warning of the three files, in file order.
    public var warnings: [ConfigWarning] { haCf.warnings + authKeys.warnings }

    /// Reads and checks the three files for the local node `localNode`.
    ///
    /// - Throws: `ConfigErrors` with every problem found, each naming its file and line.
    /// What heartbeat's serial_new refuses when it reads ha.cf: a device that does not exist or is
    /// not a character device (the path is followed, so a symlink to a pty is fine).
    static func serialDeviceProblem(_ device: String) -> String? {
        var info = stat()
        if stat(device, &info) != 0 { return "nonexistent serial port [\(device)]" }
        if info.st_mode & S_IFMT != S_IFCHR { return "serial port [\(device)] is not a character device" }
        return nil
    }

    /// What makes a `watchdog` device unusable, found when ha.cf is read: it does not exist, or is
    /// neither a character device nor a FIFO (a stand-in that records the writes, for tests).
    static func watchdogDeviceProblem(_ device: String) -> String? {
        var info = stat()
        if stat(device, &info) != 0 {
            return "watchdog device \(device) does not exist (load the driver, e.g. modprobe softdog, or remove the line)"
        }
        let type = info.st_mode & S_IFMT
        if type != S_IFCHR && type != S_IFIFO {
            return "watchdog device \(device) is \(FileSystem.typeName(mode: info.st_mode)), not a watchdog (a character device)"
        }
        return nil
    }

    public static func load(directory: String, localNode: String) throws(ConfigErrors) -> HeartbeatConfiguration {
        var errors: [ConfigError] = []
        func text(_ name: String) -> String? {
            do { return try ConfigFile.read("\(directory)/\(name)") } catch {
                errors.append(error)
                return nil
            }
        }
        var haCf: HaCf?
        var resources: HaResources?
        var authKeys: AuthKeys?
        if let content = text("ha.cf") {
            do {
                haCf = try HaCf.parse(
                    content, path: "\(directory)/ha.cf", localNode: localNode, serialDeviceProblem: serialDeviceProblem,
                    watchdogDeviceProblem: watchdogDeviceProblem)
            } catch {
                errors += error.errors
            }
        }
        if let content = text("haresources") {
            do {
                resources = try HaResources.parse(content, path: "\(directory)/haresources", nodes: haCf?.nodes)
            } catch { errors += error.errors }
        }
        let keysPath = "\(directory)/authkeys"
        if let content = text("authkeys") {
            do { authKeys = try AuthKeys.parse(content, path: keysPath) } catch { errors += error.errors }
            var info = stat()
            if stat(keysPath, &info) == 0 {
                do {
                    try AuthKeys.checkPermissions(path: keysPath, mode: UInt32(info.st_mode), ownerUID: info.st_uid)
                } catch {
                    errors.append(ConfigError(.badPermissions, path: keysPath, line: nil, error.description))
                }
            }
        }
        var hakit = HakitCf()
        let hakitPath = "\(directory)/\(HakitCf.fileName)"
        // Optional: absent means the defaults; present, it must be readable and valid.
        if FileSystem.exists(hakitPath), let content = text(HakitCf.fileName) {
            let tokens = resources.map { Set($0.groups.flatMap { $0.resources.map(\.token) }) }
            do { hakit = try HakitCf.parse(content, path: hakitPath, tokens: tokens) } catch { errors += error.errors }
        }
        guard errors.isEmpty, let haCf, let resources, let authKeys else { throw ConfigErrors(errors) }
        return HeartbeatConfiguration(haCf: haCf, resources: resources, authKeys: authKeys, hakit: hakit, directory: directory)
    }
}

/// How heartbeat-lite runs one haresources entry: an agent spec for the runner and its parameters.
public struct PlannedResource: Hashable, Sendable, CustomStringConvertible {
    /// The entry as written in haresources.
    public var token: String
    /// The runner's agent spec: `ocf:hakit:IPaddr`, `heartbeat:NAME::ARG…`.
    public var agent: String
    /// OCF instance parameters (none for heartbeat scripts).
    public var parameters: [(name: String, value: String)]

    /// Plans a haresources entry: IP shorthands, IPaddr/IPaddr2 and `apache[::CONFIGFILE]` (the
    /// resource.d wrapper of the OCF apache agent) become HAKit's native OCF agents, everything
    /// else runs as a heartbeat v1 script (resource.d, then init.d).
    public init(_ resource: HaResource, provider: String = "hakit") {
        token = resource.token
        switch resource.kind {
        case .ipAddr: agent = "ocf:\(provider):IPaddr"
        case .ipAddr2: agent = "ocf:\(provider):IPaddr2"
        case .ipv6Addr: agent = "ocf:\(provider):IPv6addr"
        case .script where resource.script == "apache" && resource.arguments.count <= 1:
            // heartbeat's resource.d/apache is a wrapper around the OCF apache agent taking the
            // configuration file as its one argument: run the native agent directly.
            agent = "ocf:\(provider):apache"
            parameters = resource.arguments.first.map { [("configfile", $0)] } ?? []
            return
        case .script: agent = "heartbeat:" + ([resource.script] + resource.arguments).joined(separator: "::")
        }
        parameters = resource.ocfParameters
    }

    /// `ocf:hakit:IPaddr ip=… cidr_netmask=…`.
    public var description: String {
        ([agent] + parameters.map { "\($0.name)=\($0.value)" }).joined(separator: " ")
    }

    public static func == (lhs: PlannedResource, rhs: PlannedResource) -> Bool { lhs.description == rhs.description }
    public func hash(into hasher: inout Hasher) { hasher.combine(description) }
}

extension ResourceGroup {
    /// The group's resources as they will be run, in start order.
    public func plan(provider: String = "hakit") -> [PlannedResource] {
        startOrder.map { PlannedResource($0, provider: provider) }
    }
}
