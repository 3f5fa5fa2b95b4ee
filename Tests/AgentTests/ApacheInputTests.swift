#if canImport(Glibc)
import Glibc
#endif
import HAKitSystem
import HAKitTestSupport
import Testing

@testable import Agents

/// The small readers the apache agent uses: environment files, test blocks, local URLs.
@Suite struct ApacheInputTests {
    @Test func environmentFileReadsAssignmentsOnly() {
        let file = EnvironmentFile(
            text: """
                unset HOME
                if [ "${APACHE_CONFDIR##/etc/apache2-}" != "${APACHE_CONFDIR}" ] ; then
                	SUFFIX="-${APACHE_CONFDIR##/etc/apache2-}"
                else
                	SUFFIX=
                fi
                export APACHE_RUN_USER=www-data
                export APACHE_PID_FILE=/var/run/apache2$SUFFIX/apache2.pid
                # export COMMENTED=1
                export LANG=C
                export LANG
                QUOTED='a $b' ; DOUBLE="x ${APACHE_RUN_USER} \\"y\\""
                FROM_ENV=$HOME/x BRACED=${NOPE}z
                """, environment: ["HOME": "/root"])
        #expect(file.variables == [
            "SUFFIX": "", "APACHE_RUN_USER": "www-data", "APACHE_PID_FILE": "/var/run/apache2/apache2.pid",
            "LANG": "C", "QUOTED": "a $b", "FROM_ENV": "/root/x",
        ])
        let double = EnvironmentFile(text: "DOUBLE=\"x ${A} \\\"y\\\"\"\n", environment: ["A": "1"])
        #expect(double.variables["DOUBLE"] == "x 1 \"y\"")
    }

    @Test func debiansEnvvarsFile() throws {
        try #require(FileSystem.exists("/etc/apache2/envvars"))
        let variables = try EnvironmentFile(paths: ["/missing", "/etc/apache2/envvars"], environment: [:]).variables
        #expect(variables["APACHE_PID_FILE"] == "/var/run/apache2/apache2.pid")
        #expect(variables["APACHE_LOCK_DIR"] == "/var/lock/apache2")
        #expect(variables["APACHE_RUN_GROUP"] == "www-data")
    }

    @Test func environmentFilesThatAreNoRegularFilesAreSkipped() throws {
        // The reference sources only `[ -f "$f" -a -r "$f" ]`: a FIFO or a device is passed over.
        let directory = try TestSupport.temporaryDirectory("envfiles")
        defer { TestSupport.removeTree(directory) }
        #expect(mkfifo("\(directory)/fifo", 0o600) == 0)
        try FileSystem.writeAtomically("\(directory)/envvars", contents: "export A=1\n")
        let paths = ["\(directory)/fifo", "/dev/zero", directory, "\(directory)/envvars"]
        #expect(try EnvironmentFile(paths: paths, environment: [:]).variables == ["A": "1"])
    }

    @Test func anEnvironmentFileAboveTheLimitIsRefused() throws {
        let directory = try TestSupport.temporaryDirectory("envfiles")
        defer { TestSupport.removeTree(directory) }
        let path = "\(directory)/envvars"
        try FileSystem.writeAtomically(path, contents: String(repeating: "A=1\n", count: FileSystem.defaultReadLimit / 4 + 1))
        #expect(throws: FileReadError.self) { try EnvironmentFile(paths: [path], environment: [:]) }
    }

    @Test func testFileBlocks() throws {
        let text = """
            # comment
            test a1
            url /webapp1_mon
            match This application is alive
            client curl
            client_opts --header 'Host: www.example.com'
            end
            test b1
              url   http://192.0.2.1/b   
            match ^ok$
            user admin
            password secret word
            end
            """
        let first = WebCheck(url: "/webapp1_mon", pattern: "This application is alive")
        #expect(try WebTestFile.check(in: text, named: nil) == first)
        #expect(
            try WebTestFile.check(in: text, named: "b1")
                == WebCheck(url: "http://192.0.2.1/b", pattern: "^ok$", user: "admin", password: "secret word"))
        #expect(throws: WebTestFileError.noTest("c1")) { try WebTestFile.check(in: text, named: "c1") }
        #expect(throws: WebTestFileError.unknownKeyword(line: 3, "regex")) {
            try WebTestFile.check(in: "test x\nurl /\nregex y\nend\n", named: nil)
        }
        #expect(throws: WebTestFileError.incomplete(nil)) {
            try WebTestFile.check(in: "test x\nurl /\nend\n", named: nil)
        }
        #expect(throws: WebTestFileError.halfCredentials("x")) {
            try WebTestFile.check(in: "test x\nurl /\nmatch y\nuser u\nend\n", named: "x")
        }
    }

    @Test func localURLFollowsListen() {
        #expect(LocalURL(listen: "8080", port: 80).base == "http://localhost:8080")
        let listening = LocalURL(listen: "192.0.2.4:81", port: 80)
        #expect(listening.status(location: "/server-status") == "http://192.0.2.4:81/server-status")
        #expect(LocalURL(listen: nil, port: 8000).status(location: nil) == "http://localhost:8000")
        let url = LocalURL(listen: "[::1]:80", port: 80)
        #expect(url.resolve("/app") == "http://[::1]:80/app")
        #expect(url.resolve("https://example.test/x") == "https://example.test/x")
        #expect(LocalURL.hasIPv6Host(url.base))
        #expect(!LocalURL.hasIPv6Host("http://192.0.2.4/::"))
    }

    @Test func extendedRegexMatchesLikeGrepEi() throws {
        let html = try ExtendedRegex("</ *html *>", caseInsensitive: true)
        #expect(html.matches("<HTML><body></body></ HTML >\n"))
        #expect(!html.matches("<html>"))
        let anchored = try ExtendedRegex("^Total Accesses: [0-9]+$")
        #expect(anchored.matches("Uptime: 3\nTotal Accesses: 12\nBusyWorkers: 1"))
        #expect(anchored.matches("binary\0Total Accesses: 1"))
        #expect(!anchored.matches("Total Accesses: many"))
        #expect(throws: RegexError.self) { try ExtendedRegex("(unclosed") }
    }

    @Test func pidFileReadsTheFirstNumber() throws {
        let directory = try TestSupport.temporaryDirectory("pidfile")
        defer { TestSupport.removeTree(directory) }
        let path = "\(directory)/x.pid"
        #expect(try PidFile.read(path) == nil)
        let cases: [(String, Int32?)] = [
            ("1234\n", 1234), (" 77", 77), ("", nil), ("abc\n", nil), ("0\n", nil), ("-5\n", nil),
        ]
        for (text, pid) in cases {
            try FileSystem.writeAtomically(path, contents: text)
            #expect(try PidFile.read(path) == pid, "\(text)")
        }
    }

    @Test func httpClientReportsMalformedRequestsWithoutTouchingTheNetwork() throws {
        let client = HTTPClient()
        for url in ["nosuchscheme://x/", "http://[::1", "file:///etc/hostname"] {
            #expect {
                try client.get(HTTPRequest(url: url, timeoutMilliseconds: 100))
            } throws: { error in
                (error as? HTTPError)?.kind == .invalidRequest
            }
        }
    }
}
