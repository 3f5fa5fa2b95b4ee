/// A minimal, strict XML reader: enough to check that meta-data is well-formed and to read it.
///
/// It accepts a prolog, comments, processing instructions, a DOCTYPE (with an internal subset),
/// CDATA, the five predefined entities and character references. It rejects anything not
/// well-formed with the line it found the problem on. It does not validate against a DTD.
public struct XMLElement: Sendable, Hashable {
    /// The tag name.
    public var name: String
    /// Attributes in document order.
    public var attributes: [(name: String, value: String)]
    /// Child elements in document order.
    public var children: [XMLElement]
    /// The concatenated character data directly inside this element.
    public var text: String
    /// The line the start tag is on.
    public var line: Int

    /// The value of an attribute.
    public func attribute(_ name: String) -> String? { attributes.first { $0.name == name }?.value }

    /// The first child element with a name.
    public func child(_ name: String) -> XMLElement? { children.first { $0.name == name } }

    /// All child elements with a name.
    public func children(_ name: String) -> [XMLElement] { children.filter { $0.name == name } }

    public static func == (lhs: XMLElement, rhs: XMLElement) -> Bool {
        lhs.name == rhs.name && lhs.children == rhs.children && lhs.text == rhs.text
            && lhs.attributes.map(\.name) == rhs.attributes.map(\.name)
            && lhs.attributes.map(\.value) == rhs.attributes.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(children)
    }
}

/// Why a document is not well-formed, and where.
public struct XMLError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The 1-based line.
    public var line: Int
    /// What is wrong.
    public var message: String

    /// `line 3: …`.
    public var description: String { "line \(line): \(message)" }
}

/// Parses a whole XML document and returns its root element.
public func parseXML(_ text: String) throws(XMLError) -> XMLElement {
    var reader = XMLReader(Array(text.utf8))
    return try reader.document()
}

private struct XMLReader {
    let bytes: [UInt8]
    var position = 0
    var line = 1

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func fail(_ message: String) -> XMLError { XMLError(line: line, message: message) }

    var atEnd: Bool { position >= bytes.count }

    func peek(_ literal: String) -> Bool {
        let utf8 = Array(literal.utf8)
        return position + utf8.count <= bytes.count && Array(bytes[position..<position + utf8.count]) == utf8
    }

    mutating func advance(_ count: Int = 1) {
        for _ in 0..<count where position < bytes.count {
            if bytes[position] == UInt8(ascii: "\n") { line += 1 }
            position += 1
        }
    }

    mutating func skipSpace() {
        while !atEnd, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[position]) { advance() }
    }

    mutating func skip(past terminator: String, what: String) throws(XMLError) {
        let start = line
        while !atEnd && !peek(terminator) { advance() }
        guard !atEnd else { throw XMLError(line: start, message: "unterminated \(what)") }
        advance(terminator.utf8.count)
    }

    /// Skips comments, processing instructions, white space and (once) a DOCTYPE.
    mutating func misc(allowDoctype: Bool) throws(XMLError) {
        while true {
            skipSpace()
            if peek("<!--") {
                try skip(past: "-->", what: "comment")
            } else if peek("<?") {
                try skip(past: "?>", what: "processing instruction")
            } else if allowDoctype && peek("<!DOCTYPE") {
                try doctype()
            } else {
                return
            }
        }
    }

    mutating func doctype() throws(XMLError) {
        let start = line
        var depth = 0
        while !atEnd {
            let byte = bytes[position]
            advance()
            if byte == UInt8(ascii: "[") { depth += 1 }
            if byte == UInt8(ascii: "]") { depth -= 1 }
            if byte == UInt8(ascii: ">") && depth == 0 { return }
        }
        throw XMLError(line: start, message: "unterminated DOCTYPE")
    }

    mutating func document() throws(XMLError) -> XMLElement {
        if peek("\u{FEFF}") { advance(3) }
        try misc(allowDoctype: true)
        guard peek("<") else { throw fail(atEnd ? "no root element" : "text before the root element") }
        let root = try element()
        try misc(allowDoctype: false)
        guard atEnd else { throw fail("content after the root element") }
        return root
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x30 && byte <= 0x39)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
            || byte == UInt8(ascii: ".") || byte >= 0x80
    }

    mutating func name() throws(XMLError) -> String {
        let start = position
        while !atEnd && Self.isNameByte(bytes[position]) { advance() }
        guard position > start else { throw fail("expected a name") }
        let first = bytes[start]
        guard !(first >= 0x30 && first <= 0x39) && first != UInt8(ascii: "-") && first != UInt8(ascii: ".") else {
            throw fail("a name may not start with \(Character(Unicode.Scalar(first)))")
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    mutating func element() throws(XMLError) -> XMLElement {
        let startLine = line
        advance()  // <
        let tag = try name()
        var attributes: [(name: String, value: String)] = []
        while true {
            let hadSpace = !atEnd && [0x20, 0x09, 0x0a, 0x0d].contains(bytes[position])
            skipSpace()
            guard !atEnd else { throw fail("unterminated start tag <\(tag)>") }
            if peek("/>") {
                advance(2)
                return XMLElement(name: tag, attributes: attributes, children: [], text: "", line: startLine)
            }
            if peek(">") {
                advance()
                break
            }
            guard hadSpace else { throw fail("expected white space before an attribute in <\(tag)>") }
            let attribute = try name()
            skipSpace()
            guard peek("=") else { throw fail("attribute \(attribute) in <\(tag)> has no value") }
            advance()
            skipSpace()
            guard !atEnd, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") else {
                throw fail("attribute \(attribute) in <\(tag)> is not quoted")
            }
            let quote = bytes[position]
            advance()
            var value = ""
            while !atEnd && bytes[position] != quote {
                if bytes[position] == UInt8(ascii: "<") { throw fail("'<' in the value of attribute \(attribute)") }
                value += try characterData(until: [quote, UInt8(ascii: "<")])
            }
            guard !atEnd else { throw fail("unterminated value of attribute \(attribute)") }
            advance()
            guard !attributes.contains(where: { $0.name == attribute }) else {
                throw fail("attribute \(attribute) appears twice in <\(tag)>")
            }
            attributes.append((attribute, value))
        }
        var children: [XMLElement] = []
        var text = ""
        while true {
            guard !atEnd else { throw XMLError(line: startLine, message: "element <\(tag)> is not closed") }
            if peek("</") {
                advance(2)
                let closing = try name()
                guard closing == tag else { throw fail("</\(closing)> closes <\(tag)> (opened on line \(startLine))") }
                skipSpace()
                guard peek(">") else { throw fail("malformed end tag </\(closing)") }
                advance()
                return XMLElement(name: tag, attributes: attributes, children: children, text: text, line: startLine)
            } else if peek("<!--") {
                try skip(past: "-->", what: "comment")
            } else if peek("<![CDATA[") {
                advance(9)
                let start = position
                while !atEnd && !peek("]]>") { advance() }
                guard !atEnd else { throw fail("unterminated CDATA section") }
                text += String(decoding: bytes[start..<position], as: UTF8.self)
                advance(3)
            } else if peek("<?") {
                try skip(past: "?>", what: "processing instruction")
            } else if peek("<") {
                children.append(try element())
            } else {
                text += try characterData(until: [UInt8(ascii: "<")])
            }
        }
    }

    /// Reads text up to one of the stop bytes, decoding entity and character references.
    mutating func characterData(until stops: [UInt8]) throws(XMLError) -> String {
        var out: [UInt8] = []
        while !atEnd && !stops.contains(bytes[position]) {
            if bytes[position] == UInt8(ascii: "&") {
                let start = position
                while !atEnd && bytes[position] != UInt8(ascii: ";") && position - start < 12 { advance() }
                guard !atEnd, bytes[position] == UInt8(ascii: ";") else { throw fail("malformed entity reference") }
                let entity = String(decoding: bytes[(start + 1)..<position], as: UTF8.self)
                advance()
                out += Array(try decodeEntity(entity).utf8)
            } else {
                out.append(bytes[position])
                advance()
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    func decodeEntity(_ entity: String) throws(XMLError) -> String {
        switch entity {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            var number: UInt32?
            if entity.hasPrefix("#x") {
                number = UInt32(entity.dropFirst(2), radix: 16)
            } else if entity.hasPrefix("#") {
                number = UInt32(entity.dropFirst())
            }
            guard let number, let scalar = Unicode.Scalar(number) else { throw fail("unknown entity &\(entity);") }
            return String(Character(scalar))
        }
    }
}
