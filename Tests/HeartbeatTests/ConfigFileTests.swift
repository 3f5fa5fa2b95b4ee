#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import HAKitTestSupport
import Heartbeat
import Testing

/// The three files are read only when they are regular files of bounded size: a FIFO, a device or
/// a huge file is refused by name, never read (it could block the daemon or exhaust its memory).
@Suite struct ConfigFileTests {
    static let node = "node1.www.sparksupport.com"

    /// A valid configuration directory (seed 000's files).
    func withConfiguration(_ body: (String) throws -> Void) throws {
        let directory = try TestSupport.temporaryDirectory("config-files")
        defer { TestSupport.removeTree(directory) }
        try FileSystem.writeAtomically("\(directory)/ha.cf", contents: SeedFiles.sparksupportHaCf)
        try FileSystem.writeAtomically("\(directory)/haresources", contents: "\(Self.node) 203.0.113.5 httpd\n")
        try FileSystem.writeAtomically("\(directory)/authkeys", contents: "auth 2\n2 sha1 test-ha\n", mode: 0o600)
        try body(directory)
    }

    /// The one error loading `directory` gives.
    func loadError(_ directory: String, sourceLocation: SourceLocation = #_sourceLocation) -> ConfigError? {
        let errors = expectConfigErrors(
            { () throws(ConfigErrors) in try HeartbeatConfiguration.load(directory: directory, localNode: Self.node) },
            sourceLocation: sourceLocation)
        #expect(errors?.errors.count == 1, "\(errors?.description ?? "")", sourceLocation: sourceLocation)
        return errors?.errors.first
    }

    @Test(arguments: ["ha.cf", "haresources", "authkeys"])
    func fifoIsRefusedByName(file: String) throws {
        try withConfiguration { directory in
            let path = "\(directory)/\(file)"
            try FileSystem.remove(path)
            #expect(mkfifo(path, 0o600) == 0)
            let error = loadError(directory)
            #expect(error?.code == .missingFile)
            #expect(error?.description == "\(path): is a FIFO, not a regular file")
        }
    }

    @Test func devicesAndDirectoriesAreRefusedByName() throws {
        try withConfiguration { directory in
            try FileSystem.remove("\(directory)/ha.cf")
            #expect(symlink("/dev/zero", "\(directory)/ha.cf") == 0)
            #expect(loadError(directory)?.description == "\(directory)/ha.cf: is a character device, not a regular file")
        }
        try withConfiguration { directory in
            try FileSystem.remove("\(directory)/haresources")
            try FileSystem.makeDirectories("\(directory)/haresources")
            #expect(loadError(directory)?.description == "\(directory)/haresources: is a directory, not a regular file")
        }
    }

    @Test func fileAboveTheLimitIsRefusedWithItsSize() throws {
        try withConfiguration { directory in
            let limit = FileSystem.defaultReadLimit
            let comment = "# " + String(repeating: "x", count: limit - 1) + "\n"
            try FileSystem.writeAtomically("\(directory)/authkeys", contents: comment + "auth 2\n2 sha1 k\n", mode: 0o600)
            let size = comment.utf8.count + 16
            #expect(
                loadError(directory)?.description
                    == "\(directory)/authkeys: is \(size) bytes, over the limit of \(limit) bytes")
        }
    }

    @Test func readTakesAtMostTheLimitEvenWhenTheKernelSaysZero() throws {
        // /proc files have st_size 0: the limit is enforced on what is read.
        #expect(FileSystem.status("/proc/self/status")?.size == 0)
        #expect(throws: FileReadError.self) { try FileSystem.read("/proc/self/status", limit: 16) }
        do {
            _ = try FileSystem.read("/proc/self/status", limit: 16)
        } catch {
            #expect(error.code == .tooLarge)
            #expect(error.description == "/proc/self/status holds more than 16 bytes, over the limit of 16 bytes")
        }
        #expect(try FileSystem.read("/proc/self/status")?.contains("Name:") == true)
        try withConfiguration { directory in
            let path = "\(directory)/haresources"
            let size = try #require(FileSystem.status(path)?.size)
            #expect(try FileSystem.read(path, limit: size) == "\(Self.node) 203.0.113.5 httpd\n")
            #expect(throws: FileReadError.self) { try FileSystem.read(path, limit: size - 1) }
            #expect(try FileSystem.read("\(directory)/missing") == nil)
        }
    }
}
