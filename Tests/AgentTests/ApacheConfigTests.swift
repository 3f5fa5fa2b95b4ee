#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import HAKitTestSupport
import Testing

@testable import Agents

/// Reading Apache configurations the way the reference agent reads them.
@Suite struct ApacheConfigTests {
    /// Writes files (path relative to a fresh directory → contents) and runs `body` with the directory.
    func withFiles(_ files: [String: String], _ body: (String) throws -> Void) throws {
        let directory = try TestSupport.temporaryDirectory("apache-config")
        defer { TestSupport.removeTree(directory) }
        for (path, text) in files {
            let full = "\(directory)/\(path)"
            try FileSystem.makeDirectories(String(full[..<full.lastIndex(of: "/")!]))
            try FileSystem.writeAtomically(full, contents: text)
        }
        try body(directory)
    }

    @Test func findsDirectivesThroughIncludesRelativeToServerRoot() throws {
        try withFiles([
            "main.conf": """
                # ServerRoot "/commented/out"
                ServerRoot "ROOT"
                Include ports.conf
                IncludeOptional mods-enabled/*.load
                IncludeOptional sites/
                PidFile ${RUN}/apache2.pid
                Listen 198.51.100.9:8080
                """,
            "ports.conf": "Listen 203.0.113.5:80\nListen 443\n",
            "mods-enabled/status.load": "<Location /first-status>\n  SetHandler server-status\n</Location>\n",
            "mods-enabled/other.conf": "PidFile /wrong/because/not/matched.pid\n",
            "sites/a/one.conf": "<Location \"/server-status\">\n    SETHANDLER Server-Status\n</Location>\n",
            "sites/b.conf": "<Location /info>\n  SetHandler server-info\n</Location>\nSetHandler server-status\n",
        ]) { directory in
            let main = "\(directory)/main.conf"
            let text = try #require(try FileSystem.read(main)).replacingOccurrences("ROOT", directory)
            try FileSystem.writeAtomically(main, contents: text)
            let config = try ApacheConfig.read(main, defaultServerRoot: "/nonexistent", variables: ["RUN": "/run/web"])
            #expect(config.serverRoot == directory)
            #expect(config.pidFile == "/run/web/apache2.pid")
            #expect(config.listen == "203.0.113.5:80")
            // The last Location with the status handler; a SetHandler outside any Location counts for none.
            #expect(config.statusLocation == "/server-status")
            let included = ["ports.conf", "mods-enabled/status.load", "sites/a/one.conf", "sites/b.conf"]
            #expect(config.files == [main] + included.map { "\(directory)/\($0)" })
        }
    }

    @Test func withoutServerRootIncludesAreRelativeToTheDefaultRoot() throws {
        try withFiles([
            "apache2.conf": "Define PORT 8081\nListen ${PORT}\nInclude conf/*.conf\nPort 8000\n",
            "conf/status.conf": "<Location /status>\nSetHandler server-status\n</Location>\nPidFile logs/httpd.pid\n",
        ]) { directory in
            let config = try ApacheConfig.read(
                "\(directory)/apache2.conf", defaultServerRoot: directory, variables: [:])
            #expect(config.serverRoot == nil)
            #expect(config.listen == "8081")
            #expect(config.port == 8000)
            #expect(config.pidFile == "logs/httpd.pid")
            #expect(config.statusLocation == "/status")
        }
    }

    @Test func continuationsQuotesAndUnknownVariables() throws {
        try withFiles([
            "a.conf": "Listen \\\n   \"[::1]:8443\" https\nPidFile ${UNSET}/x.pid\n\t# indented comment\n"
        ]) { directory in
            let config = try ApacheConfig.read("\(directory)/a.conf", defaultServerRoot: directory, variables: [:])
            #expect(config.listen == "[::1]:8443")
            #expect(config.pidFile == "${UNSET}/x.pid")
            #expect(config.statusLocation == nil)
        }
    }

    @Test func missingFilesAndIncludeLoops() throws {
        #expect(throws: ApacheConfigError.missing("/nonexistent/httpd.conf")) {
            try ApacheConfig.read("/nonexistent/httpd.conf", defaultServerRoot: "/", variables: [:])
        }
        let files = ["loop.conf": "Include loop.conf\n", "ok.conf": "Include missing.conf\nListen 80\n"]
        try withFiles(files) { directory in
            #expect(throws: ApacheConfigError.includeLoop("\(directory)/loop.conf")) {
                try ApacheConfig.read("\(directory)/loop.conf", defaultServerRoot: directory, variables: [:])
            }
            let config = try ApacheConfig.read("\(directory)/ok.conf", defaultServerRoot: directory, variables: [:])
            #expect(config.listen == "80")
        }
    }

    /// What reading `path` threw, or `nil` (and a recorded issue) if it read.
    func readError(_ path: String, root: String, sourceLocation: SourceLocation = #_sourceLocation) -> ApacheConfigError? {
        do {
            let config = try ApacheConfig.read(path, defaultServerRoot: root, variables: [:])
            Issue.record("expected an error, read \(config.files)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    @Test func anIncludeNamingADeviceOrAFIFOIsRefusedWithItsType() throws {
        try withFiles(["main.conf": "Include /dev/zero\nListen 80\n", "fifo.conf": "Include pipe\n"]) { directory in
            let zero = readError("\(directory)/main.conf", root: directory)
            #expect(zero?.description == "configuration file /dev/zero is a character device, not a regular file")
            #expect(mkfifo("\(directory)/pipe", 0o600) == 0)
            let fifo = readError("\(directory)/fifo.conf", root: directory)
            #expect(fifo?.description == "configuration file \(directory)/pipe is a FIFO, not a regular file")
            let main = readError("\(directory)/pipe", root: directory)
            #expect(main?.description == "configuration file \(directory)/pipe is a FIFO, not a regular file")
        }
    }

    @Test func directoriesAndWildcardsSkipWhatIsNoRegularFile() throws {
        // As the reference's `find -L DIR -type f`: FIFOs, devices and dangling links are passed over.
        let files = ["main.conf": "Include conf.d\nIncludeOptional glob/*\n", "conf.d/a.conf": "Listen 8080\n"]
        try withFiles(files) { directory in
            #expect(mkfifo("\(directory)/conf.d/b.fifo", 0o600) == 0)
            #expect(symlink("/dev/zero", "\(directory)/conf.d/c.zero") == 0)
            #expect(symlink("\(directory)/nowhere", "\(directory)/conf.d/d.dangling") == 0)
            try FileSystem.makeDirectories("\(directory)/glob")
            #expect(mkfifo("\(directory)/glob/x", 0o600) == 0)
            #expect(symlink("/dev/null", "\(directory)/glob/y") == 0)
            try FileSystem.writeAtomically("\(directory)/glob/z", contents: "PidFile run/z.pid\n")
            let config = try ApacheConfig.read("\(directory)/main.conf", defaultServerRoot: directory, variables: [:])
            #expect(config.listen == "8080")
            #expect(config.pidFile == "run/z.pid")
            #expect(config.files == ["main.conf", "conf.d/a.conf", "glob/z"].map { "\(directory)/\($0)" })
        }
    }

    @Test func symlinkLoopsInIncludedDirectoriesAreRefused() throws {
        let files = ["dir.conf": "Include conf.d\n", "glob.conf": "Include conf.d/*\n", "conf.d/a.conf": "Listen 80\n"]
        try withFiles(files) { directory in
            #expect(symlink("\(directory)/conf.d", "\(directory)/conf.d/loop") == 0)
            #expect(
                readError("\(directory)/dir.conf", root: directory)
                    == .directoryLoop("\(directory)/conf.d/loop"))
            #expect(
                readError("\(directory)/glob.conf", root: directory)
                    == .directoryLoop("\(directory)/conf.d/loop/loop"))
            #expect(
                ApacheConfigError.directoryLoop("d/loop").description
                    == "Include directory d/loop leads back to a directory that contains it (a symbolic link loop)")
        }
    }

    @Test func aFileIncludedThroughALinkToItselfIsALoop() throws {
        try withFiles(["main.conf": "Include conf.d/\n", "conf.d/a.conf": "Include self.conf\n"]) { directory in
            #expect(symlink("\(directory)/conf.d/a.conf", "\(directory)/self.conf") == 0)
            #expect(readError("\(directory)/main.conf", root: directory) == .includeLoop("\(directory)/self.conf"))
        }
    }

    @Test func aFileAboveTheLimitIsRefusedWithItsSize() throws {
        let big = String(repeating: "# padding\n", count: FileSystem.defaultReadLimit / 10 + 1)
        try withFiles(["main.conf": "Include big.conf\n", "big.conf": big]) { directory in
            let error = readError("\(directory)/main.conf", root: directory)
            #expect(
                error?.description
                    == "configuration file \(directory)/big.conf is \(big.utf8.count) bytes, over the limit of \(FileSystem.defaultReadLimit) bytes")
        }
    }

    @Test func debiansOwnConfigurationGivesTheReferenceResults() throws {
        let debian = "/etc/apache2/apache2.conf"
        try #require(FileSystem.exists(debian), "Debian's apache2 package is installed by make test")
        let variables = try EnvironmentFile(paths: ["/etc/apache2/envvars"], environment: [:]).variables
        let config = try ApacheConfig.read(debian, defaultServerRoot: "/etc/apache2", variables: variables)
        #expect(config.pidFile == "/var/run/apache2/apache2.pid")
        #expect(config.listen == "80")
        #expect(config.files.contains("/etc/apache2/ports.conf"))
        let statusEnabled = FileSystem.exists("/etc/apache2/mods-enabled/status.conf")
        #expect(config.statusLocation == (statusEnabled ? "/server-status" : nil))
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
