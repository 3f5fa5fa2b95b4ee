extension HaResources {
    /// Parses haresources text: `NODE RESOURCE…` per logical line, `\` continuing a line, `#` comments.
    ///
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - path: the file name used in messages, e.g. `/etc/ha.d/haresources`.
    ///   - nodes: the ha.cf nodes; when given, a line naming another node is an error, as in heartbeat.
    /// - Throws: every problem found, each with the path and the line the group starts on.
    public static func parse(_ text: String, path: String = "haresources", nodes: [String]? = nil) throws(ConfigErrors)
        -> HaResources
    {
        var errors: [ConfigError] = []
        var groups: [ResourceGroup] = []
        var keyLines: [String: Int] = [:]
        let known = nodes.map { Set($0.map { $0.lowercased() }) }
        for logical in logicalLines(text) {
            let words = ConfigText.tokens(logical.text[...])
            guard let nodeWord = words.first else { continue }
            let node = nodeWord.lowercased()
            let line = logical.number
            if let known, !known.contains(node) {
                errors.append(
                    ConfigError(.unknownNode, path: path, line: line, "node \"\(node)\" is not listed in ha.cf")
                )
            }
            guard words.count > 1 else {
                errors.append(
                    ConfigError(.missingResources, path: path, line: line, "node \"\(node)\" has no resources")
                )
                continue
            }
            var resources: [HaResource] = []
            for word in words.dropFirst() {
                switch HaResource.parse(word) {
                case .success(let resource): resources.append(resource)
                case .failure(let failure):
                    errors.append(ConfigError(failure.code, path: path, line: line, failure.message))
                }
            }
            guard resources.count == words.count - 1 else { continue }
            let group = ResourceGroup(node: node, resources: resources, line: line)
            if let first = keyLines[group.key] {
                errors.append(
                    ConfigError(
                        .duplicateGroup,
                        path: path,
                        line: line,
                        "resource group \"\(group.key)\" is already defined on line \(first)"
                    )
                )
                continue
            }
            keyLines[group.key] = line
            groups.append(group)
        }
        if !errors.isEmpty { throw ConfigErrors(errors) }
        return HaResources(groups: groups)
    }

    /// Joins `\`-continued lines, after cutting `#` comments, keeping the number of the first line.
    static func logicalLines(_ text: String) -> [(number: Int, text: String)] {
        var result: [(number: Int, text: String)] = []
        var pending: (number: Int, text: String)?
        for line in ConfigText.lines(text) {
            var body = ConfigText.stripComment(line.text)
            while let last = body.last, ConfigText.isWhitespace(last) { body = body.dropLast() }
            let continues = body.last == "\\"
            if continues { body = body.dropLast() }
            if var joined = pending {
                joined.text += " " + body
                pending = joined
            } else {
                pending = (line.number, String(body))
            }
            if !continues, let done = pending {
                result.append(done)
                pending = nil
            }
        }
        if let done = pending { result.append(done) }
        return result
    }
}

/// Why a resource token was refused.
struct ResourceProblem: Error {
    let code: ConfigError.Code
    let message: String
}

extension HaResource {
    /// Classifies one haresources token as heartbeat's ResourceManager does.
    static func parse(_ word: Substring) -> Result<HaResource, ResourceProblem> {
        let token = String(word)
        guard let separator = word.firstRange(of: "::") else {
            if IPAddressSpec.matchesShorthand(word) {
                return address(token: token, script: "IPaddr", argument: word, arguments: [token])
            }
            return script(token: token, name: word, arguments: [])
        }
        let name = word[..<separator.lowerBound]
        // ResourceManager turns every `::` into a space and lets the shell split the words, so empty
        // arguments (`name::` or `a::::b`) disappear.
        let arguments = word[separator.upperBound...].split(separator: "::").map(String.init)
        let rest = word[separator.upperBound...]
        // An IPv6 address has a colon before any "/" (eth0:label comes after one), and is no
        // dotted quad followed by "::" arguments (`IPaddr::1.2.3.4::eth0`).
        let restIsIPv6 =
            rest.prefix { $0 != "/" }.contains(":") && !IPv4Text.isValid((arguments.first ?? "").prefix { $0 != "/" })
        if (name == "IPaddr2" && restIsIPv6) || name == "IPv6addr" {
            // An IPv6 address: `IPaddr2::2001:db8::10/64/eth0`, `IPv6addr::2001:db8::10/64`.
            // ResourceManager would split it at each `::` (and heartbeat 3.0.6's IPaddr2 wrapper
            // sets lvs_support, which IPv6 refuses): heartbeat runs neither with a compressed
            // address, so the whole rest is the one argument.
            switch IPAddressSpec.parseIPv6(rest) {
            case .success(let spec):
                let kind: Kind = name == "IPv6addr" ? .ipv6Addr(spec) : .ipAddr2(spec)
                return .success(HaResource(token: token, script: String(name), arguments: [String(rest)], kind: kind))
            case .failure(let problem):
                return .failure(ResourceProblem(code: .invalidAddress, message: "\(name): \(problem.message)"))
            }
        }
        if name == "IPaddr" || name == "IPaddr2" {
            if restIsIPv6 {
                return .failure(
                    ResourceProblem(
                        code: .invalidAddress,
                        message: "IPaddr manages IPv4 addresses only; use IPaddr2::\(rest) for IPv6"))
            }
            guard arguments.count == 1 else {
                return .failure(
                    ResourceProblem(
                        code: .invalidResource,
                        message: "\(name) takes one argument, ip[/bits[/interface[/broadcast]]], in \"\(token)\""
                    )
                )
            }
            return address(token: token, script: String(name), argument: arguments[0][...], arguments: arguments)
        }
        return script(token: token, name: name, arguments: arguments)
    }

    private static func address(token: String, script: String, argument: Substring, arguments: [String])
        -> Result<HaResource, ResourceProblem>
    {
        let isIPaddr2 = script == "IPaddr2"
        switch IPAddressSpec.parse(argument, allowsLabel: isIPaddr2) {
        case .success(let spec):
            let kind: Kind = isIPaddr2 ? .ipAddr2(spec) : .ipAddr(spec)
            return .success(HaResource(token: token, script: script, arguments: arguments, kind: kind))
        case .failure(let problem):
            return .failure(ResourceProblem(code: .invalidAddress, message: "\(script): \(problem.message)"))
        }
    }

    private static func script(token: String, name: Substring, arguments: [String]) -> Result<
        HaResource, ResourceProblem
    > {
        guard !name.isEmpty else {
            return .failure(
                ResourceProblem(code: .invalidResource, message: "\"\(token)\" has no script name before \"::\"")
            )
        }
        // The name is looked up as resource.d/<name> and init.d/<name>; a slash would leave those directories.
        guard !name.contains("/") else {
            return .failure(
                ResourceProblem(code: .invalidResource, message: "script name \"\(name)\" must not contain \"/\"")
            )
        }
        // …and a leading dot would name a hidden file (or `..`, the parent), which the runner refuses.
        guard !name.hasPrefix(".") else {
            return .failure(
                ResourceProblem(code: .invalidResource, message: "script name \"\(name)\" must not start with \".\"")
            )
        }
        return .success(HaResource(token: token, script: String(name), arguments: arguments, kind: .script))
    }
}
