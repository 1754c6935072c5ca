import Foundation
import Render

/// The values an explanation template sees: what `ViewModel` builds, typed. (Not `indirect`: lists and maps
/// already hold their elements on the heap, and boxing every string was a tenth of building a view model.)
enum TemplateValue: Sendable {
    case string(String)
    case bool(Bool)
    case list([TemplateValue])
    case map([String: TemplateValue])

    /// The same value as swift-mustache takes it (strings, booleans, arrays and string-keyed dictionaries).
    var any: Any {
        switch self {
        case .string(let s): return s
        case .bool(let b): return b
        case .list(let l): return l.map(\.any)
        case .map(let m): return m.mapValues(\.any)
        }
    }
}

/// The root of a rendering: the record's half of a view model and the case's half. Their keys are disjoint; a name
/// is looked up in the case's half first.
struct TemplateContext: Sendable {
    var record: [String: TemplateValue]
    var `case`: [String: TemplateValue]
    /// The names whose values can differ between cases (`ViewModel.caseKeys`): a rendering that looks up none of
    /// them at the root renders the same for every case of the record.
    var caseKeys: Set<String>

    init(record: [String: TemplateValue], case c: [String: TemplateValue] = [:], caseKeys: Set<String> = []) {
        self.record = record
        self.case = c
        self.caseKeys = caseKeys
    }

    /// The context of one case: a case from outside the internal population (`from_outside`) reads the record's
    /// lists of figures with those of external test sets first.
    init(record: [String: TemplateValue], case c: [String: TemplateValue], table t: FactTable, caseKeys: Set<String> = []) {
        self.init(record: record, case: c, caseKeys: caseKeys)
        if c["from_outside"]?.isTrue == true { Self.externalFirst(&self.record, table: t) }
    }

    /// The lists of figures with those of external test sets first (in their order), each list's last item marked
    /// again.
    static func externalFirst(_ values: inout [String: TemplateValue], table t: FactTable) {
        // Rows name their test set as the texts do (`FactBuilder.testSetName`, the fact's label).
        let external = Set(t.with(prefix: "test_set.").filter { $0.text == "external" }.map(\.label))
        func isExternal(_ row: TemplateValue) -> Bool {
            if case .map(let m) = row, let set = m["test_set"]?.string { return external.contains(set) }
            return false
        }
        for key in ["perf", "perf_supported", "perf_reported", "perf_contradicted"] {
            guard case .list(let rows)? = values[key] else { continue }
            values[key] = .list(ViewModel.marked(rows.filter(isExternal) + rows.filter { !isExternal($0) }))
        }
    }

    subscript(_ name: String) -> TemplateValue? { self.case[name] ?? record[name] }

    /// Both halves as one dictionary of swift-mustache values.
    var any: [String: Any] { record.merging(self.case) { _, c in c }.mapValues(\.any) }
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
    enum Node: Sendable {
        case text(String)
        case variable([String], escaped: Bool)
        case section([String], children: [Node], inverted: Bool)
        case textContent
    }

    let nodes: [Node]
    /// Where the one top-level `{{#sections}}` loop is, when `sections` is named nowhere else (nor the whole root,
    /// `{{.}}` outside any section): then what the template renders outside the loop does not depend on the list,
    /// and the rendering can be made part by part (see `render(_:_:readsCase:)`).
    let sectionsLoop: Int?

    init(nodes: [Node]) {
        self.nodes = nodes
        func mentions(_ ns: [Node], top: Bool) -> Int {
            ns.reduce(0) { count, node in
                func named(_ names: [String]) -> Int { names.first == "sections" || (top && (names.first ?? "") == "") ? 1 : 0 }
                switch node {
                case .variable(let names, _): return count + named(names)
                case .section(let names, let children, _): return count + named(names) + mentions(children, top: false)
                case .text, .textContent: return count
                }
            }
        }
        let loops = nodes.indices.filter {
            if case .section(let names, _, let inverted) = nodes[$0] { return names == ["sections"] && !inverted }
            return false
        }
        sectionsLoop = loops.count == 1 && mentions(nodes, top: true) == 1 ? loops[0] : nil
    }

    static func compile(_ source: String) -> CompiledTemplate? {
        var parser = Parser(source: Array(source.unicodeScalars))
        return parser.parse().map(CompiledTemplate.init)
    }

    /// A piece of a rendering by parts: what the template renders before its `sections` loop, for one item of the
    /// list, or after the loop.
    enum Part {
        case beforeSections
        case section(TemplateValue)
        case afterSections
    }

    /// One part of the template's rendering (`sectionsLoop` must be set): rendering the template with `sections` =
    /// [item] gives the part before, the item's part and the part after, in that order, and with the whole list the
    /// items' parts one after another. `readsCase` is set when the rendering looked up a name of `context.caseKeys`
    /// at the root, that is, when it may render differently for another case.
    func render(_ part: Part, _ context: TemplateContext, readsCase: inout Bool, tracking: Bool = true) -> String {
        guard let loop = sectionsLoop, case .section(_, let children, _) = nodes[loop] else { return "" }
        var r = Renderer(context: context)
        r.tracking = tracking
        // The content-type pragma holds from where it appears among the top-level nodes.
        let escapeAt = { (end: Int) in !self.nodes[..<end].contains { if case .textContent = $0 { return true } else { return false } } }
        switch part {
        case .beforeSections:
            r.render(nodes[..<loop], escape: true)
        case .section(let item):
            r.stack.append(item)
            r.render(children[...], escape: escapeAt(loop))
        case .afterSections:
            r.render(nodes[(loop + 1)...], escape: escapeAt(loop + 1))
        }
        if r.readsCase { readsCase = true }
        return r.out
    }

    /// The items of the `sections` list as the loop sees them (nil when the value is neither a list nor absent).
    func sectionItems(_ context: TemplateContext) -> [TemplateValue]? {
        switch context["sections"] {
        case .list(let list)?: return list
        case nil, .bool(false)?: return []
        default: return nil
        }
    }

    func render(_ context: TemplateContext) -> String {
        var r = Renderer(context: context)
        r.render(nodes[...], escape: true)
        return r.out
    }

    /// The rendering with, at each point where text was written, the facts behind it: those of the value written
    /// (`keyFacts` of a root name), of the sections it is inside, and of the list items it is in (`_facts`).
    func renderTraced(_ context: TemplateContext, keyFacts: [String: [String]]) -> (text: String, events: [(offset: Int, facts: [String])]) {
        var r = Renderer(context: context)
        r.trace = Renderer.Trace(keyFacts: keyFacts)
        r.render(nodes[...], escape: true)
        return (r.out, r.trace?.events ?? [])
    }

    /// The state of one rendering: the context stack above the root, the text so far, and whether a case's value
    /// was read.
    private struct Renderer {
        let context: TemplateContext
        var stack: [TemplateValue] = []
        var out = ""
        var readsCase = false
        /// Whether to note reads of case values (a part already known to read them need not be watched).
        var tracking = true
        /// The root name the last lookup found its value under (nil: found in a section's value).
        var lastRoot: String?
        /// When tracing (`renderTraced`): the facts of the enclosing sections and items, and what was noted.
        struct Trace {
            let keyFacts: [String: [String]]
            var sources: [[String]] = []
            var events: [(offset: Int, facts: [String])] = []
        }
        var trace: Trace?

        /// Notes the facts behind text written from `offset` for `length` bytes (at its start and at its end, so a
        /// text that crosses a sentence's end is behind both).
        mutating func note(_ extra: [String], offset: Int, length: Int) {
            // In place: a copy of `trace` would copy its events on every note.
            guard let sources = trace?.sources else { return }
            let facts = sources.flatMap { $0 } + extra
            if !facts.isEmpty {
                trace?.events.append((offset, facts))
                if length > 1 { trace?.events.append((offset + length - 1, facts)) }
            }
        }

        /// The facts a section's value (or one item of its list) pushes while its content is written.
        func facts(of item: TemplateValue?, root: String?) -> [String] {
            if case .map(let m)? = item, case .list(let ids)? = m["_facts"] { return ids.compactMap(\.string) }
            return root.flatMap { trace?.keyFacts[$0] } ?? []
        }

        mutating func push(_ facts: [String]) { trace?.sources.append(facts) }
        mutating func pop() { if trace != nil { trace?.sources.removeLast() } }

        init(context: TemplateContext) {
            self.context = context
            out.reserveCapacity(512)
        }

        mutating func render(_ nodes: ArraySlice<Node>, escape: Bool) {
            // A content-type pragma holds for the rest of the nodes it appears among (and what they contain).
            var localEscape = escape
            for node in nodes {
                switch node {
                case .text(let t):
                    if trace != nil {
                        // Text after a sentence's end (" It is not meant for") is behind the next sentence.
                        let lead = t.utf8.prefix { $0 == 0x20 || $0 == 0x0A }.count
                        if lead < t.utf8.count { note([], offset: out.utf8.count + lead, length: t.utf8.count - lead) }
                    }
                    out += t
                case .textContent:
                    localEscape = false
                case .variable(let names, let escaped):
                    guard let v = lookup(names) else { continue }
                    let root = lastRoot
                    let s: String
                    switch v {
                    case .string(let x): s = x
                    case .bool(let b): s = b ? "true" : "false"
                    case .list, .map: s = String(describing: v)
                    }
                    // Render's escaping maps the same five characters as swift-mustache: & < > " '.
                    let written = escaped && localEscape ? Markup.escape(s) : s
                    if trace != nil { note(root.flatMap { trace?.keyFacts[$0] } ?? [], offset: out.utf8.count, length: written.utf8.count) }
                    out += written
                case .section(let names, let children, let inverted):
                    let v = lookup(names)
                    let root = lastRoot
                    if inverted {
                        switch v {
                        case nil, .bool(false)?: render(children[...], escape: localEscape)
                        case .list(let items)? where items.isEmpty: render(children[...], escape: localEscape)
                        default: break
                        }
                        continue
                    }
                    switch v {
                    case nil, .bool(false)?:
                        break
                    case .bool(true)?:
                        push(facts(of: nil, root: root))
                        render(children[...], escape: localEscape)
                        pop()
                    case .list(let items)?:
                        for item in items {
                            stack.append(item)
                            push(facts(of: item, root: root))
                            render(children[...], escape: localEscape)
                            pop()
                            stack.removeLast()
                        }
                    case let value?:
                        stack.append(value)
                        push(facts(of: value, root: root))
                        render(children[...], escape: localEscape)
                        pop()
                        stack.removeLast()
                    }
                }
            }
        }

        /// "." is the current value; a dotted name starts at the nearest value on the stack that has its first part
        /// (only maps have children), then descends; a leading "." starts at the current value.
        mutating func lookup(_ names: [String]) -> TemplateValue? {
            lastRoot = nil
            guard let first = names.first else { return stack.last ?? root() }
            var current: TemplateValue?
            if first == "" {
                current = stack.last ?? root()
            } else {
                var found = false
                for object in stack.reversed() {
                    if case .map(let m) = object, let v = m[first] { current = v; found = true; break }
                }
                if !found {
                    lastRoot = first
                    if tracking && !readsCase && context.caseKeys.contains(first) { readsCase = true }
                    current = context[first]
                }
            }
            for name in names.dropFirst() {
                guard case .map(let m)? = current else { return nil }
                current = m[name]
            }
            return current
        }

        /// The whole root as one value ("{{.}}" outside any section), which includes the case's half.
        mutating func root() -> TemplateValue {
            readsCase = true
            return .map(context.record.merging(context.case) { _, c in c })
        }
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
