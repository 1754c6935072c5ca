import Foundation
import Render

/// The values an explanation template sees: what `ViewModel` builds, typed.
indirect enum TemplateValue: Sendable {
    case string(String)
    case bool(Bool)
    case list([TemplateValue])
    case map([String: TemplateValue])

    /// From the view model's untyped values (strings, booleans, lists and string-keyed dictionaries of them);
    /// nil for anything else, in which case the template is rendered by swift-mustache instead.
    init?(any: Any) {
        switch any {
        case let s as String: self = .string(s)
        case let b as Bool: self = .bool(b)
        case let m as [String: String]: self = .map(m.mapValues(TemplateValue.string))
        case let m as [String: Bool]: self = .map(m.mapValues(TemplateValue.bool))
        case let l as [String]: self = .list(l.map(TemplateValue.string))
        case let l as [[String: String]]: self = .list(l.map { .map($0.mapValues(TemplateValue.string)) })
        case let l as [[String: Bool]]: self = .list(l.map { .map($0.mapValues(TemplateValue.bool)) })
        case let m as [String: Any]:
            var out: [String: TemplateValue] = [:]
            for (k, v) in m {
                guard let t = TemplateValue(any: v) else { return nil }
                out[k] = t
            }
            self = .map(out)
        case let l as [Any]:
            var out: [TemplateValue] = []
            for v in l {
                guard let t = TemplateValue(any: v) else { return nil }
                out.append(t)
            }
            self = .list(out)
        default: return nil
        }
    }
}

/// A Mustache template compiled once into a tree and rendered over `TemplateValue`s.
///
/// Why not only swift-mustache (which parses every template first and has the final word): it looks every name up
/// through dynamic casts to its protocols on `Any` values, which made template rendering a third of the time of an
/// explanation (about 0.8 ms of 2.5 ms; `explain --case all` renders each template five times per explanation
/// for the required-section checks). Over typed values the same rendering takes a few microseconds.
///
/// It implements the part of Mustache the explanation templates use, with swift-mustache's semantics: variables
/// (HTML-escaped unless `{{{ }}}`, `{{& }}` or the `{{% CONTENT_TYPE: TEXT}}` pragma), sections and inverted
/// sections (false, missing and empty lists are falsy; any other value, even an empty string, is pushed as the
/// context), dotted names and `.`, comments, set delimiters, and the spec's removal of standalone tag lines.
/// `compile` returns nil for anything else (partials, inheritance, transforms such as `{{uppercased(x)}}`), and
/// the caller renders with swift-mustache. A test renders every bundled template both ways and compares.
struct CompiledTemplate: Sendable {
    indirect enum Node: Sendable {
        case text(String)
        case variable([String], escaped: Bool)
        case section([String], children: [Node], inverted: Bool)
        case textContent
    }

    let nodes: [Node]
    /// Where the one top-level `{{#sections}}` loop is, when `sections` is named nowhere else: then what the
    /// template renders outside the loop does not depend on the list, and one rendering tells what each listed
    /// section adds (see `renderBySection`).
    let sectionsLoop: Int?

    init(nodes: [Node]) {
        self.nodes = nodes
        func mentions(_ ns: [Node]) -> Int {
            ns.reduce(0) { count, node in
                switch node {
                case .variable(let names, _): return count + (names.first == "sections" ? 1 : 0)
                case .section(let names, let children, _): return count + (names.first == "sections" ? 1 : 0) + mentions(children)
                case .text, .textContent: return count
                }
            }
        }
        let loops = nodes.indices.filter {
            if case .section(let names, _, let inverted) = nodes[$0] { return names == ["sections"] && !inverted }
            return false
        }
        sectionsLoop = loops.count == 1 && mentions(nodes) == 1 ? loops[0] : nil
    }

    static func compile(_ source: String) -> CompiledTemplate? {
        var parser = Parser(source: Array(source.unicodeScalars))
        return parser.parse().map(CompiledTemplate.init)
    }

    /// One rendering that also says what each item of the `sections` list rendered and what was rendered outside
    /// the loop; nil when the template's shape does not allow it (`sectionsLoop`). Rendering the template with
    /// `sections` = [item k] alone gives `outside` with `items[k]` in the loop's place.
    func renderBySection(_ root: [String: TemplateValue]) -> (text: String, outside: String, items: [String])? {
        guard let loop = sectionsLoop, case .section(let names, let children, _) = nodes[loop] else { return nil }
        var stack: [TemplateValue] = [.map(root)]
        var escape = true
        var before = "", after = ""
        // The nodes before the loop, then the loop item by item, then the rest, with the pragma state carried.
        var localEscape = escape
        for node in nodes[..<loop] {
            if case .textContent = node { localEscape = false }
            Self.render([node], &stack, &localEscape, &before)
        }
        var items: [String] = []
        switch Self.lookup(names, stack) {
        case .list(let list)?:
            for item in list {
                var piece = ""
                var nested = localEscape
                stack.append(item)
                Self.render(children, &stack, &nested, &piece)
                stack.removeLast()
                items.append(piece)
            }
        case nil, .bool(false)?:
            break
        default:
            return nil
        }
        escape = localEscape
        for node in nodes[(loop + 1)...] {
            if case .textContent = node { escape = false }
            Self.render([node], &stack, &escape, &after)
        }
        return (before + items.joined() + after, before + after, items)
    }

    func render(_ root: [String: TemplateValue]) -> String {
        var out = ""
        var stack: [TemplateValue] = [.map(root)]
        var escape = true
        Self.render(nodes, &stack, &escape, &out)
        return out
    }

    private static func render(_ nodes: [Node], _ stack: inout [TemplateValue], _ escape: inout Bool, _ out: inout String) {
        // A content-type pragma holds for the rest of the nodes it appears among (and what they contain).
        var localEscape = escape
        for node in nodes {
            switch node {
            case .text(let t):
                out += t
            case .textContent:
                localEscape = false
            case .variable(let names, let escaped):
                guard let v = lookup(names, stack) else { continue }
                let s: String
                switch v {
                case .string(let x): s = x
                case .bool(let b): s = b ? "true" : "false"
                case .list, .map: s = String(describing: v)
                }
                // Render's escaping maps the same five characters as swift-mustache: & < > " '.
                out += escaped && localEscape ? Markup.escape(s) : s
            case .section(let names, let children, let inverted):
                let v = lookup(names, stack)
                var nested = localEscape
                if inverted {
                    switch v {
                    case nil, .bool(false)?: render(children, &stack, &nested, &out)
                    case .list(let items)? where items.isEmpty: render(children, &stack, &nested, &out)
                    default: break
                    }
                    continue
                }
                switch v {
                case nil, .bool(false)?:
                    break
                case .bool(true)?:
                    render(children, &stack, &nested, &out)
                case .list(let items)?:
                    for item in items {
                        stack.append(item)
                        render(children, &stack, &nested, &out)
                        stack.removeLast()
                    }
                case let value?:
                    stack.append(value)
                    render(children, &stack, &nested, &out)
                    stack.removeLast()
                }
            }
        }
    }

    /// "." is the current value; a dotted name starts at the nearest value on the stack that has its first part
    /// (only maps have children), then descends; a leading "." starts at the current value.
    private static func lookup(_ names: [String], _ stack: [TemplateValue]) -> TemplateValue? {
        guard let first = names.first else { return stack.last }
        var current: TemplateValue?
        if first == "" {
            current = stack.last
        } else {
            for object in stack.reversed() {
                if case .map(let m) = object, let v = m[first] { current = v; break }
            }
        }
        for name in names.dropFirst() {
            guard case .map(let m)? = current else { return nil }
            current = m[name]
        }
        return current
    }


    private struct Parser {
        let source: [Unicode.Scalar]
        var i = 0
        var open: [Unicode.Scalar] = ["{", "{"]
        var close: [Unicode.Scalar] = ["}", "}"]

        init(source: [Unicode.Scalar]) { self.source = source }

        func matches(_ s: [Unicode.Scalar], at k: Int) -> Bool {
            guard k + s.count <= source.count else { return false }
            for (j, c) in s.enumerated() where source[k + j] != c { return false }
            return true
        }

        func find(_ s: [Unicode.Scalar], from k: Int) -> Int? {
            var k = k
            while k + s.count <= source.count {
                if matches(s, at: k) { return k }
                k += 1
            }
            return nil
        }

        static func isBlank(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" }

        func string(_ r: Range<Int>) -> String {
            var s = String.UnicodeScalarView()
            s.append(contentsOf: source[r])
            return String(s)
        }

        /// Names of a tag: "." alone, else split on ".", so ".x" starts at the current value ("" first).
        static func names(_ tag: String) -> [String]? {
            let t = tag.trimmingCharacters(in: .whitespaces)
            if t == "." { return [] }
            if t.isEmpty || t.contains(where: { $0 == "(" || $0 == ")" || $0.isWhitespace }) { return nil }
            let parts = t.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            if parts.dropFirst().contains(where: \.isEmpty) { return nil }
            return parts
        }

        mutating func parse() -> [Node]? {
            // (names, inverted, nodes so far) for each open section, innermost last.
            var frames: [(names: [String]?, inverted: Bool, nodes: [Node])] = [(nil, false, [])]
            var text: [Unicode.Scalar] = []
            func flush() {
                if !text.isEmpty {
                    var s = String.UnicodeScalarView()
                    s.append(contentsOf: text)
                    frames[frames.count - 1].nodes.append(.text(String(s)))
                    text.removeAll()
                }
            }
            while i < source.count {
                guard matches(open, at: i) else { text.append(source[i]); i += 1; continue }
                let tagStart = i
                var k = i + open.count
                var kind: Unicode.Scalar = " "
                if k < source.count, "#^/!>=&{%$<".unicodeScalars.contains(source[k]) { kind = source[k]; k += 1 }
                var closeToken = close
                if kind == "{" { closeToken = ["}"] + close }
                if kind == "=" { closeToken = ["="] + close }
                guard let end = find(closeToken, from: k) else { return nil }
                let content = string(k..<end)
                let tagEnd = end + closeToken.count
                // Standalone: alone on its line (blanks around it), for every tag that renders nothing itself.
                let standaloneKind = "#^/!>=%$<".unicodeScalars.contains(kind)
                var lineStart = tagStart
                while lineStart > 0 && source[lineStart - 1] != "\n" { lineStart -= 1 }
                var after = tagEnd
                while after < source.count && Self.isBlank(source[after]) { after += 1 }
                let beforeBlank = (lineStart..<tagStart).allSatisfy { Self.isBlank(source[$0]) }
                var lineEndOK = after == source.count || source[after] == "\n"
                if !lineEndOK, after + 1 < source.count, source[after] == "\r", source[after + 1] == "\n" { lineEndOK = true }
                // The text before the tag on its line must be in `text` (not emitted before an earlier tag).
                let precededByTagOnLine = text.count < tagStart - lineStart
                let standalone = standaloneKind && beforeBlank && lineEndOK && !precededByTagOnLine
                if standalone {
                    text.removeLast(tagStart - lineStart)
                    i = after == source.count ? after : (source[after] == "\r" ? after + 2 : after + 1)
                } else {
                    i = tagEnd
                }
                switch kind {
                case "!":
                    continue
                case "=":
                    let parts = content.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == " " || $0 == "\t" })
                    guard parts.count == 2 else { return nil }
                    open = Array(parts[0].unicodeScalars)
                    close = Array(parts[1].unicodeScalars)
                case "%":
                    let pragma = content.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "")
                    guard pragma.uppercased() == "CONTENT_TYPE:TEXT" else { return nil }
                    flush()
                    frames[frames.count - 1].nodes.append(.textContent)
                case "#", "^":
                    guard let n = Self.names(content) else { return nil }
                    flush()
                    frames.append((n, kind == "^", []))
                case "/":
                    guard let n = Self.names(content), frames.count > 1, frames[frames.count - 1].names == n else { return nil }
                    flush()
                    let frame = frames.removeLast()
                    frames[frames.count - 1].nodes.append(.section(n, children: frame.nodes, inverted: frame.inverted))
                case " ", "&", "{":
                    guard let n = Self.names(content) else { return nil }
                    flush()
                    frames[frames.count - 1].nodes.append(.variable(n, escaped: kind == " "))
                default:
                    // Partials, blocks and parents: left to swift-mustache.
                    return nil
                }
            }
            flush()
            guard frames.count == 1 else { return nil }
            return frames[0].nodes
        }
    }
}
