// The apache agent's configuration reading, on a table of files instead of the file system:
// Debian's envvars (EnvironmentFile), then the main file and what it includes (ApacheConfig:
// Include/IncludeOptional with wildcards and directories, ServerRoot, Define and ${NAME},
// continuations, quoting, <Location> with SetHandler server-status), then the status URL.
//
// Input: NUL-separated chunks. The first is /etc/apache2/envvars, the second the main file
// /etc/apache2/apache2.conf; each further one is a file, its first line its path (relative to
// /etc/apache2, or absolute) and the rest its contents.
import Glibc

@testable import Agents
import HAKitSystem

/// Files by normalized absolute path, and the directories that hold them.
struct FileTable {
    var files: [String: String] = [:]
    var directories: Set<String> = ["/"]

    mutating func add(_ path: String, _ text: String) {
        let path = Self.normalized(path)
        files[path] = text
        var parent = path
        while let slash = parent.lastIndex(of: "/"), slash != parent.startIndex {
            parent = String(parent[..<slash])
            directories.insert(parent)
        }
    }

    /// `//` and `/./` collapsed and `..` resolved, as the kernel walks a path.
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }

    var access: ApacheConfigFiles {
        let table = self
        return ApacheConfigFiles(
            read: { table.files[Self.normalized($0)] },
            glob: { pattern in
                // glob(3) matches existing paths component by component, as fnmatch with FNM_PATHNAME does.
                (Array(table.files.keys) + table.directories).filter {
                    fnmatch(pattern, $0, FNM_PATHNAME | FNM_PERIOD) == 0
                }.sorted()
            },
            status: { path in
                // Each table path is its own file: its identity is its place in the sorted table.
                let normal = Self.normalized(path)
                let names = (Array(table.files.keys) + table.directories).sorted()
                guard let index = names.firstIndex(of: normal) else { return nil }
                let isDirectory = table.directories.contains(normal)
                return FileStatus(
                    mode: isDirectory ? S_IFDIR | 0o755 : S_IFREG | 0o644,
                    identity: FileIdentity(device: 1, inode: UInt64(index)), size: table.files[normal]?.utf8.count ?? 0)
            },
            entries: { directory in
                let prefix = Self.normalized(directory) == "/" ? "/" : Self.normalized(directory) + "/"
                let children = (Array(table.files.keys) + table.directories).filter {
                    $0.hasPrefix(prefix) && $0.count > prefix.count && !$0.dropFirst(prefix.count).contains("/")
                }
                return children.map { String($0.dropFirst(prefix.count)) }.sorted()
            })
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let chunks = UnsafeBufferPointer(start: data, count: size).split(separator: 0, omittingEmptySubsequences: false)
    let text = { (index: Int) in index < chunks.count ? String(decoding: chunks[index], as: UTF8.self) : "" }
    let environment = ["PATH": "/usr/sbin:/usr/bin", "LANG": "C"]
    let envvars = EnvironmentFile(text: text(0), environment: environment)
    var table = FileTable()
    table.add("/etc/apache2/envvars", text(0))
    table.add("/etc/apache2/apache2.conf", text(1))
    for index in chunks.indices.dropFirst(2) {
        let file = text(index)
        let newline = file.firstIndex(of: "\n") ?? file.endIndex
        let name = String(file[..<newline])
        guard !name.isEmpty else { continue }
        table.add(name.hasPrefix("/") ? name : "/etc/apache2/" + name, String(file[newline...].dropFirst()))
    }
    let config: ApacheConfig
    do {
        config = try ApacheConfig.read(
            "/etc/apache2/apache2.conf", defaultServerRoot: "/etc/apache2",
            variables: environment.merging(envvars.variables) { _, file in file }, files: table.access)
    } catch {
        _ = error.description
        return 0
    }
    precondition(config.files.first == "/etc/apache2/apache2.conf", "the main file is not read first")
    precondition(config.files.count <= 1 + 128 * table.files.count, "more files read than includes allow")
    let local = LocalURL(listen: config.listen, port: config.port.flatMap { (1...65535).contains($0) ? $0 : nil } ?? 80)
    let status = local.status(location: config.statusLocation)
    _ = LocalURL.hasIPv6Host(status)
    _ = local.resolve("/server-status")
    return 0
}
