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
        guard let text = try reader.text(of: path) else { throw .missing(path) }
        try reader.read(text, file: path, depth: 0)
        return reader.config
    }
}

/// What the reader needs from the file system.
struct ApacheConfigFiles: Sendable {
    /// A file's contents; `nil` when it does not exist.
    var read: @Sendable (String) throws -> String?
    /// The paths a shell pattern matches, sorted.
    var glob: @Sendable (String) -> [String]
    /// Whether a path is a directory.
    var isDirectory: @Sendable (String) -> Bool
    /// The names in a directory, sorted.
    var entries: @Sendable (String) -> [String]

    /// The real file system.
    static let system = ApacheConfigFiles(
        read: { try FileSystem.read($0) }, glob: { FileSystem.glob($0) }, isDirectory: { FileSystem.isDirectory($0) },
        entries: { FileSystem.directoryEntries($0) })
}

/// Why a configuration could not be read.
enum ApacheConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The main file does not exist.
    case missing(String)
    /// A file exists but cannot be read.
    case unreadable(String, SystemError)
    /// Includes nest deeper than Apache allows: almost surely a file including itself.
    case includeLoop(String)

    var description: String {
        switch self {
        case .missing(let path): "configuration file \(path) does not exist"
        case .unreadable(let path, let error): "cannot read \(path): \(error.message)"
        case .includeLoop(let path): "includes nest too deep at \(path) (a file including itself?)"
        }
    }
}

/// The reading state: the current server root, `Define`d variables, the last `<Location>`.
private struct ApacheConfigReader {
    /// Apache's own limit on nested includes.
    static let maximumDepth = 128

    var root: String
    var variables: [String: String]
    let files: ApacheConfigFiles
    var config = ApacheConfig()
    var location: String?

    init(root: String, variables: [String: String], files: ApacheConfigFiles) {
        self.root = root
        self.variables = variables
        self.files = files
    }

    func text(of path: String) throws(ApacheConfigError) -> String? {
        do {
            return try files.read(path)
        } catch let error as SystemError {
            throw .unreadable(path, error)
        } catch {
            throw .unreadable(path, SystemError(errno: 0, "reading \(path)"))
        }
    }

    mutating func read(_ text: String, file: String, depth: Int) throws(ApacheConfigError) {
        guard depth < Self.maximumDepth else { throw .includeLoop(file) }
        config.files.append(file)
        for line in Self.logicalLines(text) {
            let words = Self.words(substitute(line))
            guard let first = words.first else { continue }
            try apply(first.lowercased(), Array(words.dropFirst()), depth: depth)
        }
    }

    mutating func apply(_ directive: String, _ arguments: [String], depth: Int) throws(ApacheConfigError) {
        let argument = arguments.first
        switch directive {
        case "include", "includeoptional":
            guard let argument else { return }
            for path in expand(absolute(argument)) {
                if let text = try text(of: path) { try read(text, file: path, depth: depth + 1) }
            }
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
    func expand(_ path: String) -> [String] {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        if path.contains(where: { "*?[".contains($0) }) {
            return files.glob(path).flatMap { files.isDirectory($0) ? filesBelow($0) : [$0] }
        }
        return files.isDirectory(path) ? filesBelow(path) : [path]
    }

    func filesBelow(_ directory: String) -> [String] {
        files.entries(directory).flatMap { name -> [String] in
            let path = "\(directory)/\(name)"
            return files.isDirectory(path) ? filesBelow(path) : [path]
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
