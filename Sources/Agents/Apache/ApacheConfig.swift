import HAKitSystem

/// What the agent needs from an Apache configuration, found as resource-agents' apache finds it:
/// the first `ServerRoot`, `PidFile`, `Listen` and `Port`, and the last `<Location>` that holds
/// `SetHandler server-status`, reading `Include`/`IncludeOptional` files as they come.
///
/// Like the reference it does not evaluate `<IfModule>`/`<IfDefine>`/`<VirtualHost>`: every line
/// counts. `${NAME}` is replaced from the given variables and `Define`s, as Apache does.
struct ApacheConfig: Equatable, Sendable {
    /// The first `ServerRoot`.
    var serverRoot: String?
    /// The first `PidFile`, as written (relative paths are relative to the server root).
    var pidFile: String?
    /// The first argument of the first `Listen`: `80`, `192.0.2.1:80`, `[::1]:8080`.
    var listen: String?
    /// The first `Port` (Apache 1.3).
    var port: Int?
    /// The path of the last `<Location>` holding `SetHandler server-status`.
    var statusLocation: String?
    /// Every file read, in order.
    var files: [String] = []

    /// Reads a configuration file and what it includes.
    ///
    /// - Parameters:
    ///   - defaultServerRoot: the root relative paths use until a `ServerRoot` line sets one.
    ///   - variables: what `${NAME}` expands to (Apache uses its environment).
    ///   - files: where the files are read from; the file system unless a test or the fuzzer
    ///     (fuzz/apacheconf.swift) hands in a table.
    static func read(
        _ path: String, defaultServerRoot: String, variables: [String: String], files: ApacheConfigFiles = .system
    ) throws(ApacheConfigError) -> ApacheConfig {
        var reader = ApacheConfigReader(root: defaultServerRoot, variables: variables, files: files)
        guard try reader.read(path, depth: 0) else { throw .missing(path) }
        return reader.config
    }
}

/// The file access a configuration read needs: the file system, or a table (the fuzzer's).
struct ApacheConfigFiles: Sendable {
    /// A file's contents (a regular file of bounded size only); `nil` when it does not exist.
    var read: @Sendable (String) throws(FileReadError) -> String?
    /// The paths a shell pattern matches, sorted.
    var glob: @Sendable (String) -> [String]
    /// What a path is (following links); `nil` when it does not exist.
    var status: @Sendable (String) -> FileStatus?
    /// The names in a directory, sorted.
    var entries: @Sendable (String) -> [String]

    /// The real file system.
    static let system = ApacheConfigFiles(
        read: { (path: String) throws(FileReadError) -> String? in try FileSystem.read(path) },
        glob: { FileSystem.glob($0) }, status: { FileSystem.status($0) },
        entries: { FileSystem.directoryEntries($0) })
}

/// Why a configuration could not be read.
enum ApacheConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The main file does not exist.
    case missing(String)
    /// A file exists but is not read: not a regular file, larger than the limit, or unreadable.
    case unreadable(FileReadError)
    /// A file includes itself, directly or through other files.
    case includeLoop(String)
    /// A directory an `Include` reads reaches itself again through a symbolic link.
    case directoryLoop(String)
    /// The includes go beyond what any real configuration needs (depth, files, bytes).
    case tooMuch(String)

    var description: String {
        switch self {
        case .missing(let path): "configuration file \(path) does not exist"
        case .unreadable(let error): "configuration file \(error)"
        case .includeLoop(let path): "\(path) is included again while it is being read (a file including itself)"
        case .directoryLoop(let path):
            "Include directory \(path) leads back to a directory that contains it (a symbolic link loop)"
        case .tooMuch(let text): text
        }
    }
}

/// The reading state: the current server root, `Define`d variables, the last `<Location>`.
private struct ApacheConfigReader {
    /// Apache's own limit on nested includes.
    static let maximumDepth = 128
    /// How deep directories below an `Include` directory may nest.
    static let maximumDirectoryDepth = 32
    /// How many files one configuration may read in all, includes counted.
    static let maximumFiles = 4096
    /// How many bytes all the files together may hold.
    static let maximumBytes = 64 << 20

    var root: String
    var variables: [String: String]
    var config = ApacheConfig()
    var location: String?
    /// The files being read, from the main file to the current one, by identity: reading one of
    /// them again, under any name, is a loop.
    var reading: Set<FileIdentity> = []
    var bytesRead = 0

    let files: ApacheConfigFiles

    init(root: String, variables: [String: String], files: ApacheConfigFiles) {
        self.files = files
        self.root = root
        self.variables = variables
    }

    /// Reads a file and what it includes; `false` when it does not exist.
    mutating func read(_ path: String, depth: Int) throws(ApacheConfigError) -> Bool {
        guard depth < Self.maximumDepth else {
            throw .tooMuch("includes nest more than \(Self.maximumDepth) deep at \(path)")
        }
        guard config.files.count < Self.maximumFiles else {
            throw .tooMuch("the configuration includes more than \(Self.maximumFiles) files (at \(path))")
        }
        let identity = files.status(path)?.identity
        if let identity, reading.contains(identity) { throw .includeLoop(path) }
        let text: String
        do {
            guard let read = try files.read(path) else { return false }
            text = read
        } catch {
            throw .unreadable(error)
        }
        bytesRead += text.utf8.count
        guard bytesRead <= Self.maximumBytes else {
            throw .tooMuch("the configuration's files hold more than \(Self.maximumBytes) bytes (at \(path))")
        }
        config.files.append(path)
        if let identity { reading.insert(identity) }
        defer { if let identity { reading.remove(identity) } }
        for line in Self.logicalLines(text) {
            let words = Self.words(substitute(line))
            guard let first = words.first else { continue }
            try apply(first.lowercased(), Array(words.dropFirst()), depth: depth)
        }
        return true
    }

    mutating func apply(_ directive: String, _ arguments: [String], depth: Int) throws(ApacheConfigError) {
        let argument = arguments.first
        switch directive {
        case "include", "includeoptional":
            guard let argument else { return }
            // A missing file is passed over, as the reference passes it over (`ls PATTERN 2>/dev/null`).
            for path in try expand(absolute(argument)) { _ = try read(path, depth: depth + 1) }
        case "serverroot":
            guard let argument else { return }
            root = argument
            if config.serverRoot == nil { config.serverRoot = argument }
        case "pidfile": if config.pidFile == nil { config.pidFile = argument }
        case "listen": if config.listen == nil { config.listen = argument }
        case "port": if config.port == nil, let argument { config.port = Int(argument) }
        case "define":
            if let argument { variables[argument] = arguments.dropFirst().first ?? "" }
        case "<location":
            location = argument.map { $0.hasSuffix(">") ? String($0.dropLast()) : $0 }
        case "</location>":
            location = nil
        case "sethandler":
            if argument?.lowercased() == "server-status", let location { config.statusLocation = location }
        default:
            return
        }
    }

    /// A path relative to the server root made absolute.
    func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : "\(root.hasSuffix("/") ? String(root.dropLast()) : root)/\(path)"
    }

    /// What an `Include` argument names: the files a wildcard matches, every file in a directory
    /// (recursively, sorted, as Apache reads it), or the file itself.
    ///
    /// As the reference expands them (`find -L DIR -type f`), a directory or a wildcard yields only
    /// regular files: FIFOs, devices, sockets and dangling links in it are passed over. A path named
    /// on its own is returned whatever it is, so that `read` refuses it if it is not a regular file.
    func expand(_ path: String) throws(ApacheConfigError) -> [String] {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        var found: [String] = []
        guard path.contains(where: { "*?[".contains($0) }) else {
            guard let status = files.status(path), status.isDirectory else { return [path] }
            try collect(path, status, outside: [], into: &found)
            return found
        }
        for match in files.glob(path) {
            guard let status = files.status(match) else { continue }
            try collect(match, status, outside: [], into: &found)
        }
        return found
    }

    /// Adds `path` to `found` if it is a regular file, or the regular files below it if it is a
    /// directory. `outside` holds the directories being walked that contain it: meeting one of them
    /// again (a link such as `conf.d/loop -> .`) is a loop, refused rather than followed forever.
    func collect(
        _ path: String, _ status: FileStatus, outside: Set<FileIdentity>, into found: inout [String]
    ) throws(ApacheConfigError) {
        if status.isRegularFile {
            guard found.count < Self.maximumFiles else {
                throw .tooMuch("Include finds more than \(Self.maximumFiles) files (at \(path))")
            }
            found.append(path)
            return
        }
        guard status.isDirectory else { return }
        guard !outside.contains(status.identity) else { throw .directoryLoop(path) }
        guard outside.count < Self.maximumDirectoryDepth else {
            throw .tooMuch("Include directories nest more than \(Self.maximumDirectoryDepth) deep at \(path)")
        }
        let walking = outside.union([status.identity])
        for name in files.entries(path) {
            let entry = "\(path)/\(name)"
            guard let entryStatus = files.status(entry) else { continue }
            try collect(entry, entryStatus, outside: walking, into: &found)
        }
    }

    /// `${NAME}` replaced by its value; unknown names stay as written, as Apache leaves them.
    func substitute(_ line: String) -> String {
        guard line.contains("${") else { return line }
        var out = ""
        var rest = Substring(line)
        while let open = rest.firstRange(of: "${") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                rest = rest[open.lowerBound...]
                break
            }
            let name = String(rest[open.upperBound..<close])
            out += variables[name] ?? "${\(name)}"
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// Lines with comments dropped and backslash continuations joined. Apache only knows
    /// comments that start a line.
    static func logicalLines(_ text: String) -> [String] {
        var lines: [String] = []
        var pending = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if line.hasSuffix("\\") {
                line.removeLast()
                pending += line + " "
                continue
            }
            line = pending + line
            pending = ""
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if !trimmed.isEmpty && !trimmed.hasPrefix("#") { lines.append(String(trimmed)) }
        }
        return lines
    }

    /// Splits a line into words; double or single quotes group words, as Apache's `ap_getword_conf`.
    static func words(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == " " || character == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else if (character == "\"" || character == "'") && !inWord {
                quote = character
                inWord = true
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
