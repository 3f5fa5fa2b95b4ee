import Conformance
import HAKitSystem
import OCF
import Testing

/// Reading case files: every statement, blocks and includes, heredocs, and `file:line` errors.
@Suite struct CaseFileParserTests {
    let good = """
        # A comment.
        AGENT IPaddr2

        SETUP
            namespace
            interface eth0
            interface eth1 peer far down
            address 192.0.2.2/24 on eth0
            env HA_RSCTMP=${CASE_DIR}

        CLEANUP
            action stop any

        BLOCK vip
            param ip=192.0.2.10
            meta notify=true

        CASE first case
            include vip
            instance vip1
            unset nic
            run ip link set eth0 up
            write ${CASE_DIR}/httpd.conf <<END
            Listen 203.0.113.10:80
              Indented line
            END
            sleep 500ms
            action start 0
            action monitor 7|OCF_ERR_INSTALLED probe timeout=5s
            action monitor 0 interval=20s
            action monitor 1 depth=10
            expect address 192.0.2.10/24 present on eth0 brd 192.0.2.255 label eth0:web
            expect address 192.0.2.10 absent on eth0
            expect address 192.0.2.11 absent
            expect file ${CASE_DIR}/x exists
            expect file /nonexistent absent
            expect command succeeds test "$(echo  a)" = a
            expect command fails false
            expect get http://127.0.0.1:8080/ matches <title>.* (ok|fine)
            expect no process matching send_arp.* 192\\.0\\.2\\.10
            expect process matching sleep  30
        """

    @Test func readsEveryStatement() throws {
        let file = try CaseFileParser.parse(good, path: "t.cases")
        #expect(file.agentType == "IPaddr2")
        #expect(file.name == "t.cases")
        #expect(
            file.setup.map(\.statement) == [
                .namespace, .interface(name: "eth0", peer: "eth0-p", up: true),
                .interface(name: "eth1", peer: "far", up: false),
                .address("192.0.2.2/24", interface: "eth0"), .environment(name: "HA_RSCTMP", value: "${CASE_DIR}"),
            ])
        #expect(file.cleanup.map(\.statement) == [.action(ActionStep(action: .stop, expected: .any))])
        #expect(file.cases.count == 1)
        let steps = file.cases[0].steps
        #expect(file.cases[0].title == "first case")
        #expect(file.cases[0].line == 18)
        #expect(
            steps.map(\.statement) == [
                .parameter(name: "ip", value: "192.0.2.10"), .meta(name: "notify", value: "true"), .instance("vip1"),
                .unsetParameter("nic"), .run("ip link set eth0 up"),
                .write(path: "${CASE_DIR}/httpd.conf", contents: "Listen 203.0.113.10:80\n  Indented line\n"),
                .sleep(milliseconds: 500),
                .action(ActionStep(action: .start, expected: .codes([.success]))),
                .action(
                    ActionStep(
                        action: .monitor, expected: .codes([.notRunning, .notInstalled]), intervalMilliseconds: 0,
                        timeoutMilliseconds: 5000)),
                .action(ActionStep(action: .monitor, expected: .codes([.success]), intervalMilliseconds: 20_000)),
                .action(ActionStep(action: .monitor, expected: .codes([.genericError]), checkLevel: 10)),
                .expect(
                    .addressPresent(
                        address: "192.0.2.10/24", interface: "eth0", broadcast: "192.0.2.255", label: "eth0:web")),
                .expect(.addressAbsent(address: "192.0.2.10", interface: "eth0")),
                .expect(.addressAbsent(address: "192.0.2.11", interface: nil)),
                .expect(.fileExists("${CASE_DIR}/x")), .expect(.fileAbsent("/nonexistent")),
                .expect(.command("test \"$(echo  a)\" = a", succeeds: true)),
                .expect(.command("false", succeeds: false)),
                .expect(.httpGet(url: "http://127.0.0.1:8080/", pattern: "<title>.* (ok|fine)")),
                .expect(.process(pattern: "send_arp.* 192\\.0\\.2\\.10", present: false)),
                .expect(.process(pattern: "sleep  30", present: true)),
            ])
    }

    @Test func includedStepsKeepTheirLineAndTheIncludeLine() throws {
        let file = try CaseFileParser.parse(good, path: "t.cases")
        #expect(file.cases[0].steps[0].line == 15)
        #expect(file.cases[0].steps[0].includedAt == 19)
        #expect(file.cases[0].steps[0].location == "15 (included at 19)")
        #expect(file.cases[0].steps[2].location == "20")
    }

    /// Each malformed file, the line of its error, and the start of the message.
    static let errors: [(text: String, line: Int, message: String)] = [
        ("CASE x\n    action start 0\n", 0, "no AGENT line"),
        ("AGENT Dummy\n", 0, "no CASE"),
        ("AGENT Dummy\nAGENT Dummy\n", 2, "AGENT given twice"),
        ("AGENT a/b\n", 1, "AGENT takes one agent type"),
        ("AGENT Dummy\n    param a=b\n", 2, "AGENT has no steps"),
        ("    param a=b\nAGENT Dummy\n", 1, "a step outside any section"),
        ("AGENT Dummy\nTEST x\n", 2, "unknown section \"TEST\""),
        ("AGENT Dummy\nCASE x\n    actoin start 0\n", 3, "unknown statement \"actoin\""),
        ("AGENT Dummy\nCASE x\n    action start\n", 3, "expected: action NAME CODE"),
        ("AGENT Dummy\nCASE x\n    action start zero\n", 3, "\"zero\" is not an exit code"),
        ("AGENT Dummy\nCASE x\n    action start 0 interval=soon\n", 3, "unknown action option \"interval=soon\""),
        ("AGENT Dummy\nCASE x\n    action monitor 0 depth=deep\n", 3, "unknown action option \"depth=deep\""),
        ("AGENT Dummy\nCASE x\n    action start 0 depth=10\n", 3, "depth= is for monitor only"),
        ("AGENT Dummy\nCASE x\n    include nothing\n", 3, "unknown block \"nothing\""),
        ("AGENT Dummy\nCASE x\n    param state=${STATE}\n", 3, "unknown variable ${STATE}"),
        ("AGENT Dummy\nCASE x\n    env OCF_ROOT=/tmp\n", 3, "env cannot set OCF_ROOT"),
        ("AGENT Dummy\nCASE x\n    param novalue\n", 3, "expected: param NAME=VALUE"),
        ("AGENT Dummy\nCASE x\n    write /tmp/x <<END\n    text\n", 3, "the contents of write have no closing END"),
        ("AGENT Dummy\nCASE x\n    expect address 192.0.2.1 here\n", 3, "expected: expect address"),
        ("AGENT Dummy\nCASE x\n    expect get http://x/ matches (\n", 3, "invalid regular expression ("),
        ("AGENT Dummy\nCASE x\n    expect file /x maybe\n", 3, "expected: expect file PATH exists|absent"),
        ("AGENT Dummy\nCASE x\n    interface averyveryverylongname\n", 3, "interface name averyveryverylongname"),
        ("AGENT Dummy\nCASE x\n    sleep forever\n", 3, "expected: sleep DURATION"),
        ("AGENT Dummy\nBLOCK b\nBLOCK b\n", 3, "BLOCK b given twice"),
        ("AGENT Dummy\nSETUP\nSETUP\n", 3, "SETUP given twice"),
    ]

    @Test(arguments: 0..<errors.count)
    func malformedFilesAreRejectedWithFileAndLine(index: Int) {
        let (text, line, message) = Self.errors[index]
        do {
            let file = try CaseFileParser.parse(text, path: "bad.cases")
            Issue.record("parsed \(file.cases.count) cases from a malformed file: \(text)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.message.hasPrefix(message), "\(error)")
            #expect(error.description.hasPrefix(line > 0 ? "bad.cases:\(line): " : "bad.cases: "))
        }
    }

    @Test func unknownShellVariablesStayInCommands() throws {
        let file = try CaseFileParser.parse("AGENT Dummy\nCASE x\n    run echo ${HOME}\n", path: "t")
        #expect(file.cases[0].steps.map(\.statement) == [.run("echo ${HOME}")])
    }

    @Test func missingFileIsAnError() {
        #expect(throws: CaseFileError(path: "/nonexistent/x.cases", line: 0, message: "no such file")) {
            try CaseFileParser.parse(path: "/nonexistent/x.cases")
        }
    }

    @Test func theReadmeExampleParses() throws {
        let readme = try #require(try FileSystem.read("\(CaseFiles.directory)/README.md"))
        let start = try #require(readme.firstRange(of: "### Layout\n\n```\n"))
        let example = readme[start.upperBound...]
        let end = try #require(example.firstRange(of: "```"))
        let file = try CaseFileParser.parse(String(example[..<end.lowerBound]), path: "README.md")
        #expect(file.cases.map(\.title) == ["start with nic given"])
        #expect(file.cases[0].steps.count == 4)
    }

    @Test func theShippedCaseFilesParse() throws {
        for name in ["Dummy", "IPaddr2", "IPaddr", "SendArp"] {
            let file = try CaseFileParser.parse(path: "\(CaseFiles.directory)/\(name).cases")
            #expect(file.agentType == name)
        }
        #expect(try CaseFileParser.parse(path: "\(CaseFiles.directory)/IPaddr2v6.cases").agentType == "IPaddr2")
        #expect(try CaseFileParser.parse(path: "\(CaseFiles.directory)/IPv6addr.cases").agentType == "IPv6addr")
        #expect(try CaseFileParser.parse(path: "\(CaseFiles.directory)/IPaddr2.cases").cases.count >= 20)
    }
}
