import Crypto
import Foundation
import Render
import Statistics
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A small element tree built with Foundation's XMLParser, keeping each element's line so import errors can point
/// at it. Namespace prefixes are dropped from names: REFI-QDA files from different tools prefix differently.
final class XMLNode {
    let name: String
    let attributes: [String: String]
    let line: Int
    var children: [XMLNode] = []
    var text = ""

    init(name: String, attributes: [String: String], line: Int) {
        self.name = name
        self.attributes = attributes
        self.line = line
    }

    func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }
    func all(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }

    /// The deepest nesting accepted: REFI-QDA code trees are a few levels deep; 10,000 nested codes once crashed the
    /// import by recursion.
    static let deepestNesting = 1_000

    /// What building a tree may cost: elements, and characters of text and attribute values. Bytes alone did not
    /// bound it: a tree costs about 24 bytes per input byte, so a 2.7 MB `.qdpx` within the archive budgets ran past
    /// 3.3 GB. `raise` names the option that raises the budgets, for the error.
    struct Budget {
        var nodes = 1_000_000
        var characters = 64_000_000
        var raise = "fixed"
        static let standard = Budget()
    }

    static func parse(_ data: Data, path: String, budget: Budget = .standard) throws -> XMLNode {
        // libxml2 is handed valid UTF-8 only: one invalid byte in an element name crashed the parser underneath
        // Foundation's XMLParser.
        if let (line, column) = firstInvalidUTF8(data) {
            throw ThematicError.file(path: path, line: line, column: column, message: "invalid UTF-8; the file is not a REFI-QDA XML document as written")
        }
        let builder = Builder(budget: budget)
        // Fed as a stream: libxml2 refuses a single push of more than 10 MB without XML_PARSE_HUGE ("huge input
        // lookup", reported as malformed), which Foundation's XMLParser does not set; in chunks the parser's buffer
        // is consumed as it goes, so a 26 MB project.qde (trustgap's own export of 40,000 codings) reads.
        let parser = XMLParser(stream: InputStream(data: data))
        parser.delegate = builder
        parser.shouldProcessNamespaces = false
        // swift-corelibs' XMLParser can return true after reporting an error, so the delegate's first error decides.
        let ok = parser.parse()
        if let (line, column) = builder.tooDeep {
            throw ThematicError.file(path: path, line: line, column: column, message: "elements nested more than \(deepestNesting) deep")
        }
        if builder.interrupted { throw StatisticsError.interrupted }
        if let (what, line, column) = builder.overBudget {
            throw ThematicError.file(path: path, line: line, column: column, message: "more than \(what), the import's budget (\(budget.raise))")
        }
        if let (code, line, column) = builder.firstError ?? (ok ? nil : ((parser.parserError as NSError?)?.code ?? -1, parser.lineNumber, parser.columnNumber)) {
            throw ThematicError.file(path: path, line: max(1, line), column: max(0, column), message: "malformed XML: \(describe(code))")
        }
        guard let root = builder.root else {
            throw ThematicError.file(path: path, line: 1, column: 0, message: "malformed XML: the document is empty")
        }
        return root
    }

    /// Line and column (in bytes, 1-based) of the first byte that is not valid UTF-8, or nil.
    static func firstInvalidUTF8(_ data: Data) -> (Int, Int)? {
        // The standard library's validation first (a tenth of the time of the walk below in a debug build); the walk
        // only finds the place of a byte already known to be wrong.
        let valid = data.withUnsafeBytes { raw in String(validating: raw.bindMemory(to: UInt8.self), as: UTF8.self) != nil }
        if valid { return nil }
        return data.withUnsafeBytes { raw -> (Int, Int)? in
            let bytes = raw.bindMemory(to: UInt8.self)
            var iterator = bytes.makeIterator()
            var parser = Unicode.UTF8.ForwardParser()
            var offset = 0, line = 1, lineStart = 0
            while true {
                switch parser.parseScalar(from: &iterator) {
                case .valid(let encoded):
                    if encoded.count == 1 && encoded.first == 0x0A { line += 1; lineStart = offset + 1 }
                    offset += encoded.count
                case .emptyInput:
                    return nil
                case .error(let length):
                    _ = length
                    return (line, offset - lineStart + 1)
                }
            }
        }
    }

    /// libxml2's error numbers (xmlParserErrors) worded for the commonest mistakes.
    static func describe(_ code: Int) -> String {
        switch code {
        case 4: return "the document is empty"
        case 5: return "the document ends early (an element is not closed)"
        case 9, 10: return "a character is not allowed here"
        case 23: return "an & is not followed by an entity (write &amp;)"
        case 38, 39, 40, 41: return "an attribute value is missing or unquoted"
        case 73: return "a > is missing"
        case 76: return "a closing tag does not match the open element"
        case 201, 202: return "an undeclared namespace prefix"
        default: return "not well-formed (libxml2 error \(code))"
        }
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLNode?
        var stack: [XMLNode] = []
        var firstError: (Int, Int, Int)?
        var tooDeep: (Int, Int)?
        var overBudget: (String, Int, Int)?
        var interrupted = false
        let budget: Budget
        var nodes = 0, characters = 0

        init(budget: Budget) { self.budget = budget }

        func over(_ parser: XMLParser, _ what: String) {
            if overBudget == nil { overBudget = (what, parser.lineNumber, parser.columnNumber) }
            parser.abortParsing()
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            if firstError == nil { firstError = ((parseError as NSError).code, parser.lineNumber, parser.columnNumber) }
        }

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if stack.count >= XMLNode.deepestNesting {
                if tooDeep == nil { tooDeep = (parser.lineNumber, parser.columnNumber) }
                parser.abortParsing()
                return
            }
            nodes += 1
            // Ctrl-C at the prompt, looked at every 4,096 elements.
            if nodes & 0xFFF == 0, Interruption.isRequested { interrupted = true; parser.abortParsing(); return }
            characters += attributes.reduce(0) { $0 + $1.value.utf8.count }
            if nodes > budget.nodes { return over(parser, "\(budget.nodes) elements") }
            if characters > budget.characters { return over(parser, "\(budget.characters) bytes of text and attribute values") }
            let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
            let node = XMLNode(name: local, attributes: attributes, line: parser.lineNumber)
            if let parent = stack.last { parent.children.append(node) } else { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            _ = stack.popLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            characters += string.utf8.count
            if characters > budget.characters { return over(parser, "\(budget.characters) bytes of text and attribute values") }
            stack.last?.text += string
        }
    }
}

/// Writing XML: text and attribute values through Render's one escaping function, with whitespace encoded so
/// multi-line descriptions and answers survive in attributes.
enum XMLText {
    static func escape(_ s: String) -> String { Markup.escape(s, encodingWhitespace: true) }
}

/// Stable GUIDs (8-4-4-4-12 hex) derived from a name with two FNV-1a 64-bit hashes, so exporting the same project
/// twice gives the same file and a diff shows only real changes. Version and variant bits are set as for a
/// name-based UUID.
/// Identifiers for REFI-QDA elements: RFC 4122 version 5 UUIDs (SHA-1 of a namespace and a name), so the same
/// code, source or user gets the same GUID in every export, and GUIDs of similar names share nothing (the former
/// FNV-derived ones differed in a few digits). The namespace is trustgap's own, itself a v5 UUID of
/// "trustgap.refi-qda" in the URL namespace.
enum StableGUID {
    /// RFC 4122's URL namespace, 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
    static let urlNamespace: [UInt8] = [0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8]
    static let namespace: [UInt8] = uuid5(namespace: urlNamespace, name: "trustgap.refi-qda")

    static func uuid5(namespace: [UInt8], name: String) -> [UInt8] {
        var bytes = Array(Insecure.SHA1.hash(data: namespace + Array(name.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return bytes
    }

    /// 8-4-4-4-12 upper-case hex digits. By table: `String(format: "%02X")` per byte made GUIDs most of the time of
    /// exporting 40,000 coded answers (about 5 s of 7).
    static func format(_ b: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (k, byte) in b.prefix(16).enumerated() {
            if k == 4 || k == 6 || k == 8 || k == 10 { out.append(0x2D) }
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func make(_ name: String) -> String { format(uuid5(namespace: namespace, name: name)) }
}
