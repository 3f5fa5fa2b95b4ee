import HAKitSystem
import OCF

/// One apache resource as its parameters and its Apache configuration describe it: which binary,
/// which files, how httpd is started, and where its pages are.
struct ApacheSetup {
    /// Configuration files tried in order when `configfile` is not given (SUSE, Debian, RHEL).
    static let configCandidates = ["/etc/apache2/httpd.conf", "/etc/apache2/apache2.conf", "/etc/httpd/conf/httpd.conf"]
    /// Binaries tried in order when `httpd` is not given and its default does not exist.
    static let binaryCandidates = [
        "/sbin/httpd2", "/usr/sbin/httpd2", "/usr/sbin/apache2", "/sbin/httpd", "/usr/sbin/httpd", "/usr/sbin/apache",
        "/opt/IBMHTTPServer/bin/httpd",
    ]

    /// The configuration file.
    let configFile: String
    /// What the configuration says.
    let config: ApacheConfig
    /// The instance's processes (binary, configuration, pid file).
    let processes: HttpdProcesses
    /// httpd's arguments after the binary: `-DSTATUS`, the options, `-f` and, when the
    /// configuration has no `PidFile`, `-c "PidFile …"`.
    let arguments: [String]
    /// httpd's environment: the agent's own plus the environment files' variables.
    let environment: [String: String]
    /// Directories httpd needs that may be missing after a reboot: the pid file's, and the run,
    /// lock and log directories Debian's envvars names (created as `apache2ctl` creates them).
    let directories: [String]
    /// The server's own address, for the default status URL and relative test URLs.
    let localURL: LocalURL
    /// The URL the basic monitor fetches.
    let statusURL: String
    /// Whether pages are fetched over IPv6 from `::1`.
    let ipv6: Bool

    /// Resolves the parameters and reads the configuration.
    ///
    /// - Throws: `OCFError` `.notInstalled` for a missing binary or configuration file,
    ///   `.notConfigured` for values that cannot work anywhere.
    init(parameters: Parameters, environment: OCFEnvironment, instance: String) throws(OCFError) {
        let binary = try Self.binary(parameters)
        guard let resolvedBinary = FileSystem.resolvedPath(binary) else {
            throw .notInstalled("httpd \(binary) does not exist")
        }
        let found = Self.configCandidates.first(where: FileSystem.isRegularFile) ?? Self.configCandidates[2]
        configFile = parameters.isGiven("configfile") ? parameters.string("configfile")! : found
        // One that exists but is no regular file is refused, with its type, when it is read.
        guard FileSystem.exists(configFile) else {
            throw .notInstalled("configuration file \(configFile) not found")
        }

        // An explicitly empty envfiles reads none; only an absent one means the default.
        let envfiles = environment.variables["OCF_RESKEY_envfiles"] ?? parameters.string("envfiles") ?? ""
        let fileVariables: [String: String]
        do {
            fileVariables = try EnvironmentFile(paths: Self.words(envfiles), environment: environment.variables).variables
        } catch {
            throw .notInstalled("environment file \(error)")
        }
        self.environment = environment.variables.merging(fileVariables) { _, file in file }
        config = try Self.read(configFile, variables: self.environment)

        let serverRoot = config.serverRoot ?? Self.directory(of: configFile)
        let pidFile: String
        var arguments = ["-DSTATUS"] + Self.words(parameters.string("options") ?? "") + ["-f", configFile]
        if let configured = config.pidFile {
            pidFile = configured.hasPrefix("/") ? configured : "\(serverRoot)/\(configured)"
        } else {
            // No PidFile in the configuration: choose one and hand it to httpd, as the reference does.
            let name = Self.baseName(binary).split(separator: "-").first.map(String.init) ?? "httpd"
            var runDirectory = environment.nonEmpty("HA_VARRUN") ?? "/var/run"
            while runDirectory.count > 1 && runDirectory.hasSuffix("/") { runDirectory.removeLast() }
            pidFile = "\(runDirectory)/\(name)-\(instance).pid"
            arguments += ["-c", "PidFile \(pidFile)"]
        }
        self.arguments = arguments
        processes = HttpdProcesses(binary: resolvedBinary, configFile: configFile, pidFile: pidFile)
        let debianDirectories = ["APACHE_RUN_DIR", "APACHE_LOCK_DIR", "APACHE_LOG_DIR"].compactMap { fileVariables[$0] }
        directories = [Self.directory(of: pidFile)] + debianDirectories.filter { !$0.isEmpty }

        let port = try Self.port(parameters, config: config)
        localURL = LocalURL(listen: config.listen, port: port)
        statusURL = parameters.string("statusurl") ?? localURL.status(location: config.statusLocation)
        ipv6 = parameters.boolean("use_ipv6") || LocalURL.hasIPv6Host(statusURL)
    }

    /// The given binary, which must exist; else the default, else the first candidate that exists.
    private static func binary(_ parameters: Parameters) throws(OCFError) -> String {
        let named = parameters.string("httpd") ?? "/usr/sbin/httpd"
        if FileSystem.isExecutableFile(named) { return named }
        if parameters.isGiven("httpd") { throw .notInstalled("httpd \(named) is not an executable file") }
        guard let found = binaryCandidates.first(where: FileSystem.isExecutableFile) else {
            let tried = ([named] + binaryCandidates).joined(separator: ", ")
            throw .notInstalled("no apache httpd binary found (tried \(tried))")
        }
        return found
    }

    /// Reads the configuration. Every problem is OCF_ERR_INSTALLED, loops included: the files are
    /// this node's, and another node's copy may be sound, while OCF_ERR_CONFIGURED would keep the
    /// resource off every node (OCF RA API: "the resource is configured incorrectly").
    private static func read(_ path: String, variables: [String: String]) throws(OCFError) -> ApacheConfig {
        do {
            return try ApacheConfig.read(path, defaultServerRoot: directory(of: path), variables: variables)
        } catch {
            throw .notInstalled(error.description)
        }
    }

    /// The `port` parameter, else the configuration's `Port`, else 80. A `port` that is no TCP
    /// port is refused by `Apache.validate` (validate-all, start); here it is passed over, so that
    /// stop and monitor still find a server started with other parameters.
    private static func port(_ parameters: Parameters, config: ApacheConfig) throws(OCFError) -> Int {
        if let port = parameters.integer("port"), isTCPPort(port) { return port }
        return config.port.flatMap { isTCPPort($0) ? $0 : nil } ?? 80
    }

    static func isTCPPort(_ number: Int) -> Bool { (1...65535).contains(number) }

    static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func baseName(_ path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }
}
