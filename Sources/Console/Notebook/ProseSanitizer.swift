import Foundation
import Render

/// Makes the HTML that Ink renders from a notebook's prose safe to open: Markdown passes raw HTML through, so a
/// notebook from someone else could put a script, an iframe or an event handler into the page. Only the elements
/// Markdown itself produces survive, with only their own attributes; every other tag is shown as text, and links
/// and images keep http, https, mailto and relative addresses only (a `javascript:` link is dropped).
enum ProseSanitizer {
    /// Elements Markdown produces, with the attributes each may keep.
    static let allowed: [String: Set<String>] = [
        "p": [], "h1": ["id"], "h2": ["id"], "h3": ["id"], "h4": ["id"], "h5": ["id"], "h6": ["id"], "em": [], "strong": [],
        "code": ["class"], "pre": [], "blockquote": [], "ul": [], "ol": ["start"], "li": [], "a": ["href", "title"],
        "img": ["src", "alt", "title"], "hr": [], "br": [], "table": [], "thead": [], "tbody": [], "tr": [],
        "th": ["align"], "td": ["align"], "del": [], "s": [],
    ]

    private static let attribute = try? NSRegularExpression(
        pattern: #"([A-Za-z_:][-A-Za-z0-9_:.]*)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"#)

    /// Prose as Ink is given it: every `<` is a private-use character, turned back into `&lt;` in Ink's HTML
    /// (`restoringAngles`). Ink 0.6.0 loops for ever, growing memory, on `<p` or `<pre` that is not a complete tag,
    /// even in an indented code block (found by the fuzz harness: a notebook whose prose was `<p` took 4 GB). Raw
    /// HTML is shown as text anyway, and Ink has no autolinks, so nothing a notebook may do is lost; in code spans
    /// and code blocks the character comes back as the `<` it was.
    static func protectingAngles(_ markdown: String) -> String {
        String(String.UnicodeScalarView(markdown.unicodeScalars.map { $0 == "<" ? placeholder : $0 == placeholder ? "\u{FFFD}" : $0 }))
    }

    static func restoringAngles(_ html: String) -> String {
        html.replacingOccurrences(of: String(Character(placeholder)), with: "&lt;")
    }

    private static let placeholder: Unicode.Scalar = "\u{E000}"

    static func clean(_ html: String) -> String {
        var out = ""
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: ">") else {
                out += Markup.escape(String(rest[open...]))
                return out
            }
            let tag = rest[open...close]
            out += rebuilt(tag) ?? Markup.escape(String(tag))
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return out
    }

    /// The tag with its allowed attributes only, or nil when the element is not allowed.
    private static func rebuilt(_ tag: Substring) -> String? {
        var inner = tag.dropFirst().dropLast()
        let closing = inner.first == "/"
        if closing { inner = inner.dropFirst() }
        let name = String(inner.prefix { $0.isLetter || $0.isNumber }).lowercased()
        guard !name.isEmpty, let keep = allowed[name] else { return nil }
        if closing { return "</\(name)>" }
        var result = "<\(name)"
        let attributes = String(inner.dropFirst(name.count))
        let range = NSRange(attributes.startIndex..., in: attributes)
        for match in attribute?.matches(in: attributes, range: range) ?? [] {
            guard let n = Range(match.range(at: 1), in: attributes) else { continue }
            let key = attributes[n].lowercased()
            guard keep.contains(key) else { continue }
            let value = (2...4).lazy.compactMap { Range(match.range(at: $0), in: attributes).map { String(attributes[$0]) } }.first ?? ""
            if (key == "href" || key == "src") && !isSafeAddress(value) { continue }
            result += " \(key)=\"\(value.replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "<", with: "&lt;"))\""
        }
        return result + (tag.hasSuffix("/>") ? " />" : ">")
    }

    /// http, https, mailto, or relative (no scheme before the first /, ? or #); anything else, an entity before the
    /// scheme's colon included, is refused.
    static func isSafeAddress(_ value: String) -> Bool {
        let compact = value.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }.map(Character.init)
        let text = String(compact).lowercased()
        let head = text.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if head.contains("&") { return false }
        guard let colon = head.firstIndex(of: ":") else { return true }
        return ["http", "https", "mailto"].contains(String(head[..<colon]))
    }
}

/// How deeply a notebook's prose nests what Ink parses by recursion, bounded before Ink sees it: Ink 0.6.0's link
/// parser is exponential in nested `[` (56 bytes of them hung a render for minutes; 10,000 overflowed the stack), and
/// quotes (`>`) nest by recursion too. Prose deeper than this is refused with its line and column. Four: Ink's cost
/// per byte grows about twofold with each level (measured on the debug build: 13 µs per byte of prose at 3 levels,
/// 18 µs at 4, 143 µs at 8, where plain prose costs 4 µs), and a link whose text holds an image needs only two.
enum ProseNesting {
    static let deepest = 4

    /// The line and column (1-based) where the text first nests deeper than `deepest`, and what nests there.
    /// Brackets are counted through a paragraph (a blank line ends it), not inside fenced code.
    static func tooDeep(_ text: String) -> (line: Int, column: Int, what: String)? {
        var line = 0, brackets = 0, inFence = false
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            line += 1
            let trimmed = raw.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { inFence.toggle(); brackets = 0; continue }
            if inFence { continue }
            if trimmed.isEmpty { brackets = 0; continue }
            var column = 0, quotes = 0, atLineStart = true, escaped = false
            for scalar in raw.unicodeScalars {
                column += 1
                defer { escaped = !escaped && scalar == "\\" }
                if atLineStart {
                    if scalar == ">" {
                        quotes += 1
                        if quotes > deepest { return (line, column, "quotes (>)") }
                        continue
                    }
                    if scalar != " " && scalar != "\t" { atLineStart = false }
                }
                guard !escaped else { continue }
                if scalar == "[" {
                    brackets += 1
                    if brackets > deepest { return (line, column, "brackets ([)") }
                } else if scalar == "]" {
                    brackets = max(0, brackets - 1)
                }
            }
        }
        return nil
    }
}
