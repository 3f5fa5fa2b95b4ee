import HAKitSystem
import OCF

/// Reads case files (the format is described in `ocf-conformance/README.md`).
public enum CaseFileParser {
    /// Reads and parses a file.
    public static func parse(path: String) throws(CaseFileError) -> CaseFile {
        let text: String?
        do {
            text = try FileSystem.read(path)
        } catch {
            throw CaseFileError(path: path, line: 0, message: "cannot read: \(error)")
        }
        guard let text else { throw CaseFileError(path: path, line: 0, message: "no such file") }
        return try parse(text, path: path)
    }

    /// Parses the text of a file; `path` names it in errors.
    public static func parse(_ text: String, path: String) throws(CaseFileError) -> CaseFile {
        var reader = CaseFileReader(path: path, lines: text.split(separator: "\n", omittingEmptySubsequences: false))
        return try reader.read()
    }
}

/// The parser's state while it walks the lines.
private struct CaseFileReader {
    /// Which header the statements being read belong to.
    enum Section {
        case none, agent, setup, cleanup
        case block(String)
        case testCase(Int)
    }

    let path: String
    let lines: [Substring]
    var index = 0
    var section = Section.none
    var agentType: String?
    var setup: [CaseStep]?
    var cleanup: [CaseStep]?
    var blocks: [String: [CaseStep]] = [:]
    var cases: [CaseDefinition] = []

    init(path: String, lines: [Substring]) {
        self.path = path
        self.lines = lines
    }

    func error(_ message: String, line: Int? = nil) -> CaseFileError {
        CaseFileError(path: path, line: line ?? index + 1, message: message)
    }

    mutating func read() throws(CaseFileError) -> CaseFile {
        while index < lines.count {
            let raw = lines[index]
            let text = raw.trimmingSpaces()
            if text.isEmpty || text.hasPrefix("#") {
                index += 1
                continue
            }
            if raw.first == " " || raw.first == "\t" {
                let indentation = raw.prefix { $0 == " " || $0 == "\t" }
                try statement(text, indentation: indentation)
            } else {
                try header(text)
            }
            index += 1
        }
        guard let agentType else { throw error("no AGENT line naming the agent type", line: 0) }
        guard !cases.isEmpty else { throw error("no CASE", line: 0) }
        return CaseFile(path: path, agentType: agentType, setup: setup ?? [], cleanup: cleanup ?? [], cases: cases)
    }

    // MARK: Headers

    mutating func header(_ text: String) throws(CaseFileError) {
        let (keyword, rest) = text.splitKeyword()
        switch keyword {
        case "AGENT":
            guard agentType == nil else { throw error("AGENT given twice") }
            let words = rest.words()
            guard words.count == 1, !words[0].contains("/"), !words[0].hasPrefix(".") else {
                throw error("AGENT takes one agent type, e.g. AGENT IPaddr2")
            }
            agentType = words[0]
            section = .agent
        case "SETUP", "CLEANUP":
            guard rest.isEmpty else { throw error("\(keyword) takes nothing after it; its steps follow, indented") }
            if keyword == "SETUP" {
                guard setup == nil else { throw error("SETUP given twice") }
                setup = []
                section = .setup
            } else {
                guard cleanup == nil else { throw error("CLEANUP given twice") }
                cleanup = []
                section = .cleanup
            }
        case "BLOCK":
            let words = rest.words()
            guard words.count == 1 else { throw error("BLOCK takes one name") }
            guard blocks[words[0]] == nil else { throw error("BLOCK \(words[0]) given twice") }
            blocks[words[0]] = []
            section = .block(words[0])
        case "CASE":
            guard !rest.isEmpty else { throw error("CASE needs a title") }
            cases.append(CaseDefinition(title: rest, line: index + 1, steps: []))
            section = .testCase(cases.count - 1)
        default:
            throw error(
                "unknown section \"\(keyword)\" "
                    + "(sections are AGENT, SETUP, CLEANUP, BLOCK and CASE; their steps are indented)"
            )
        }
    }

    // MARK: Statements

    mutating func statement(_ text: String, indentation: Substring) throws(CaseFileError) {
        let line = index + 1
        let steps: [CaseStep]
        let (keyword, rest) = text.splitKeyword()
        if keyword == "include" {
            let words = rest.words()
            guard words.count == 1 else { throw error("include takes one block name") }
            guard let block = blocks[words[0]] else {
                throw error("unknown block \"\(words[0])\" (a BLOCK must come before the steps that include it)")
            }
            if case .block(let name) = section, name == words[0] { throw error("block \(name) includes itself") }
            steps = block.map {
                CaseStep(line: $0.line, includedAt: $0.includedAt ?? line, statement: $0.statement, text: $0.text)
            }
        } else {
            let statement = try parseStatement(keyword, rest, indentation)
            steps = [CaseStep(line: line, statement: statement, text: text)]
        }
        switch section {
        case .none: throw error("a step outside any section (start one with SETUP, CLEANUP, BLOCK or CASE)", line: line)
        case .agent: throw error("AGENT has no steps; start a section with SETUP, CLEANUP, BLOCK or CASE", line: line)
        case .setup: setup?.append(contentsOf: steps)
        case .cleanup: cleanup?.append(contentsOf: steps)
        case .block(let name): blocks[name]?.append(contentsOf: steps)
        case .testCase(let number): cases[number].steps.append(contentsOf: steps)
        }
    }

    mutating func parseStatement(_ keyword: String, _ rest: String, _ indentation: Substring) throws(CaseFileError)
        -> CaseStatement
    {
        let words = rest.words()
        switch keyword {
        case "namespace":
            guard words.isEmpty else { throw error("namespace takes nothing; the name is ${NS}") }
            return .namespace
        case "interface":
            return try interface(words)
        case "address":
            guard words.count == 3, words[1] == "on" else { throw error("expected: address A/P on INTERFACE") }
            try checkVariables(words[0], words[2])
            return .address(words[0], interface: words[2])
        case "run":
            guard !rest.isEmpty else { throw error("run needs a command") }
            return .run(rest)
        case "write":
            return try write(words, indentation)
        case "sleep":
            guard words.count == 1, let duration = parseDurationMilliseconds(words[0]) else {
                throw error("expected: sleep DURATION (500ms, 2s)")
            }
            return .sleep(milliseconds: duration)
        case "env":
            let (name, value) = try assignment(rest, "env")
            guard !name.hasPrefix("OCF_") else {
                throw error("env cannot set \(name): OCF_ variables come from param, meta and instance")
            }
            return .environment(name: name, value: value)
        case "param":
            let (name, value) = try assignment(rest, "param")
            return .parameter(name: name, value: value)
        case "unset":
            guard words.count == 1 else { throw error("expected: unset PARAMETER") }
            return .unsetParameter(words[0])
        case "meta":
            let (name, value) = try assignment(rest, "meta")
            return .meta(name: name, value: value)
        case "instance":
            guard words.count == 1 else { throw error("expected: instance NAME") }
            try checkVariables(words[0])
            return .instance(words[0])
        case "action":
            return .action(try action(words))
        case "expect":
            return .expect(try expectation(rest))
        default:
            throw error(
                "unknown statement \"\(keyword)\" (namespace, interface, address, run, write, sleep, env, param, "
                    + "unset, meta, instance, include, action, expect)"
            )
        }
    }

    func interface(_ words: [String]) throws(CaseFileError) -> CaseStatement {
        guard let name = words.first else { throw error("expected: interface NAME [peer PEER] [down]") }
        var peer = name + "-p"
        var up = true
        var rest = words.dropFirst()
        while let word = rest.first {
            rest = rest.dropFirst()
            if word == "down" {
                up = false
            } else if word == "peer", let value = rest.first {
                peer = value
                rest = rest.dropFirst()
            } else {
                throw error("expected: interface NAME [peer PEER] [down]")
            }
        }
        for interface in [name, peer] where interface.count > 15 {
            throw error("interface name \(interface) is longer than 15 characters")
        }
        return .interface(name: name, peer: peer, up: up)
    }

    /// `write PATH <<TAG`, then the contents up to a line holding only TAG. The `write` line's
    /// own indentation is removed from each content line; deeper indentation is kept.
    mutating func write(_ words: [String], _ indentation: Substring) throws(CaseFileError) -> CaseStatement {
        guard words.count == 2, words[1].hasPrefix("<<"), words[1].count > 2 else {
            throw error("expected: write PATH <<TAG, the contents, then TAG alone on a line")
        }
        try checkVariables(words[0])
        let tag = String(words[1].dropFirst(2))
        let start = index + 1
        var contents: [Substring] = []
        index += 1
        while index < lines.count {
            let line = lines[index]
            if line.trimmingSpaces() == tag {
                return .write(path: words[0], contents: contents.map { $0 + "\n" }.joined())
            }
            contents.append(line.hasPrefix(indentation) ? line.dropFirst(indentation.count) : line)
            index += 1
        }
        throw error("the contents of write have no closing \(tag)", line: start)
    }

    func assignment(_ rest: String, _ keyword: String) throws(CaseFileError) -> (String, String) {
        guard let equals = rest.firstIndex(of: "="), equals != rest.startIndex else {
            throw error("expected: \(keyword) NAME=VALUE")
        }
        let name = String(rest[..<equals])
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw error("\(keyword) name \"\(name)\" has characters other than letters, digits, _ and -")
        }
        let value = String(rest[rest.index(after: equals)...])
        try checkVariables(value)
        return (name, value)
    }

    /// `action NAME EXPECTED [probe | interval=DURATION] [timeout=DURATION] [depth=N]`.
    func action(_ words: [String]) throws(CaseFileError) -> ActionStep {
        let usage = "expected: action NAME CODE[|CODE…] [probe | interval=DURATION] [timeout=DURATION] [depth=N]"
        guard words.count >= 2 else { throw error(usage) }
        var step = ActionStep(
            action: OCFAction(rawValue: words[0]), expected: try expectedCodes(words[1]), intervalMilliseconds: nil,
            timeoutMilliseconds: nil)
        for option in words.dropFirst(2) {
            if option == "probe" {
                step.intervalMilliseconds = 0
            } else if option.hasPrefix("interval="), let value = parseDurationMilliseconds(String(option.dropFirst(9)))
            {
                step.intervalMilliseconds = value
            } else if option.hasPrefix("timeout="), let value = parseDurationMilliseconds(String(option.dropFirst(8))),
                value > 0
            {
                step.timeoutMilliseconds = value
            } else if option.hasPrefix("depth="), let value = Int(option.dropFirst(6)), value >= 0 {
                // Pacemaker passes OCF_CHECK_LEVEL to monitors only (the depth of a monitor operation).
                guard step.action == .monitor else { throw error("depth= is for monitor only; \(usage)") }
                step.checkLevel = value
            } else {
                throw error("unknown action option \"\(option)\"; \(usage)")
            }
        }
        return step
    }

    /// `0`, `7|5`, `OCF_NOT_RUNNING`, `any`.
    func expectedCodes(_ text: String) throws(CaseFileError) -> ExpectedCodes {
        if text == "any" { return .any }
        var codes: [OCFExitCode] = []
        for item in text.split(separator: "|") {
            if let number = Int32(item), (0...255).contains(number) {
                codes.append(OCFExitCode(rawValue: number))
            } else if let code = OCFExitCode.standard.first(where: { $0.ocfName == String(item) }) {
                codes.append(code)
            } else if item == "OCF_RUNNING_MASTER" || item == "OCF_FAILED_MASTER" {
                codes.append(item == "OCF_RUNNING_MASTER" ? .runningPromoted : .failedPromoted)
            } else {
                throw error(
                    "\"\(item)\" is not an exit code (a number 0-255, an OCF name such as OCF_NOT_RUNNING, or any)")
            }
        }
        guard !codes.isEmpty else { throw error("no exit code after the action") }
        return .codes(codes)
    }

    func expectation(_ rest: String) throws(CaseFileError) -> Postcondition {
        let words = rest.words()
        guard let kind = words.first else { throw error("expect needs a condition") }
        switch kind {
        case "address":
            return try addressExpectation(Array(words.dropFirst()))
        case "file":
            guard words.count == 3, words[2] == "exists" || words[2] == "absent" else {
                throw error("expected: expect file PATH exists|absent")
            }
            try checkVariables(words[1])
            return words[2] == "exists" ? .fileExists(words[1]) : .fileAbsent(words[1])
        case "command":
            guard words.count >= 3, words[1] == "succeeds" || words[1] == "fails" else {
                throw error("expected: expect command succeeds|fails COMMAND")
            }
            return .command(rest.dropWords(2), succeeds: words[1] == "succeeds")
        case "get":
            guard words.count >= 4, words[2] == "matches" else { throw error("expected: expect get URL matches REGEX") }
            try checkVariables(words[1])
            let pattern = rest.dropWords(3)
            try checkPattern(pattern)
            return .httpGet(url: words[1], pattern: pattern)
        case "no", "process":
            let skip = kind == "no" ? 1 : 0
            guard words.count >= skip + 3, words[skip] == "process", words[skip + 1] == "matching" else {
                throw error("expected: expect [no] process matching REGEX")
            }
            return .process(pattern: rest.dropWords(skip + 2), present: kind != "no")
        default:
            throw error("unknown condition \"\(kind)\" (address, file, command, get, process, no process)")
        }
    }

    /// `A[/P] present on IFACE [brd B] [label L]` or `A[/P] absent [on IFACE]`.
    func addressExpectation(_ words: [String]) throws(CaseFileError) -> Postcondition {
        let usage =
            "expected: expect address A[/P] present on IFACE [brd B] [label L], or expect address A absent [on IFACE]"
        guard words.count >= 2 else { throw error(usage) }
        try checkVariables(words.joined(separator: " "))
        let address = words[0]
        if words[1] == "absent" {
            if words.count == 2 { return .addressAbsent(address: address, interface: nil) }
            guard words.count == 4, words[2] == "on" else { throw error(usage) }
            return .addressAbsent(address: address, interface: words[3])
        }
        guard words[1] == "present", words.count >= 4, words[2] == "on" else { throw error(usage) }
        var broadcast: String?
        var label: String?
        var options = words.dropFirst(4)
        while options.count >= 2, let key = options.first {
            let value = options[options.startIndex + 1]
            switch key {
            case "brd": broadcast = value
            case "label": label = value
            default: throw error(usage)
            }
            options = options.dropFirst(2)
        }
        guard options.isEmpty else { throw error(usage) }
        return .addressPresent(address: address, interface: words[3], broadcast: broadcast, label: label)
    }

    /// Rejects `${NAME}` references to variables a case does not have.
    func checkVariables(_ texts: String...) throws(CaseFileError) {
        for text in texts {
            if let unknown = CaseVariables.unknownReferences(in: text).first {
                throw error(
                    "unknown variable ${\(unknown)} (known: \(CaseVariables.names.sorted().joined(separator: ", ")))")
            }
        }
    }

    /// Rejects a regular expression that does not compile.
    func checkPattern(_ pattern: String) throws(CaseFileError) {
        do {
            _ = try Regex(pattern)
        } catch {
            throw self.error("invalid regular expression \(pattern): \(error)")
        }
    }
}
