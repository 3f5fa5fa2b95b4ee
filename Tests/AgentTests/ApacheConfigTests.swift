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

    @Test func debiansOwnConfigurationGivesTheReferenceResults() throws {
        let debian = "/etc/apache2/apache2.conf"
        try #require(FileSystem.exists(debian), "Debian's apache2 package is installed by make test")
        let variables = EnvironmentFile(paths: ["/etc/apache2/envvars"], environment: [:]).variables
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
