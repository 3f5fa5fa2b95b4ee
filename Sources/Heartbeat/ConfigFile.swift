import HAKitSystem

/// Reading one of heartbeat's configuration files, with the refusal as a `ConfigError`.
public enum ConfigFile {
    /// The contents of the file at `path`.
    ///
    /// - Throws: `ConfigError` `.missingFile` naming `path` when it does not exist, or is a FIFO, a
    ///   device or a huge file (refused, not read: it could block or exhaust memory).
    public static func read(_ path: String) throws(ConfigError) -> String {
        let content: String?
        do { content = try FileSystem.read(path) } catch {
            throw ConfigError(.missingFile, path: path, line: nil, error.reason)
        }
        guard let content else { throw ConfigError(.missingFile, path: path, line: nil, "file not found") }
        return content
    }
}
