/// Escaping for text and attribute values in SVG and HTML. Every user-written string (answers, labels, codes) goes
/// through it before it reaches a document.
public enum Markup {
    /// The text of an SVG's first `<title>` (what the figure shows), unescaped: alt text for Markdown.
    public static func title(ofSVG svg: String) -> String? { element("title", ofSVG: svg) }

    /// The text of an SVG's first `<desc>` (what the figure shows, in words), unescaped: its caption.
    public static func desc(ofSVG svg: String) -> String? { element("desc", ofSVG: svg) }

    static func element(_ name: String, ofSVG svg: String) -> String? {
        guard let open = svg.range(of: "<\(name)>"), let close = svg.range(of: "</\(name)>", range: open.upperBound..<svg.endIndex) else { return nil }
        return String(svg[open.upperBound..<close.lowerBound]).replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// A figure with its caption, for HTML pages: the SVG's `<desc>`, which says what it shows; a description that
    /// lists every value of a long figure (30 questions) is cut to what it shows, the part before its list, so the
    /// figure and its caption still fit on a printed page (the values stay in the `<desc>` and the tables).
    public static func figure(_ svg: String) -> String {
        "<figure>\(svg)" + (caption(ofSVG: svg).map { "<figcaption>\(escape($0))</figcaption>" } ?? "") + "</figure>\n"
    }

    /// The caption of a figure trustgap drew (see `figure`), for HTML and Markdown.
    public static func caption(ofSVG svg: String) -> String? { desc(ofSVG: svg).map(caption) }

    static func caption(_ desc: String) -> String {
        guard desc.count > 320, let colon = desc.firstIndex(of: ":") else { return desc }
        return String(desc[..<colon]) + "."
    }

    /// Escapes &, <, >, " and ' for text and attribute values; drops control characters XML 1.0 forbids. With
    /// `encodingWhitespace`, newlines, carriage returns and tabs become character references, so they survive in
    /// attribute values (XML normalises literal ones to spaces).
    public static func escape(_ s: String, encodingWhitespace: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n" where encodingWhitespace: out += "&#10;"
            case "\r" where encodingWhitespace: out += "&#13;"
            case "\t" where encodingWhitespace: out += "&#9;"
            default:
                if ch.value < 0x20 && ch != "\t" && ch != "\n" && ch != "\r" { continue }
                // Non-characters (U+FFFE, U+FFFF, U+FDD0–U+FDEF and the last two of every plane): XML 1.0 forbids
                // the first two, and a U+FFFE from an answer once reached an SVG that browsers then refused.
                if isNonCharacter(ch) { continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// Unicode's 66 non-characters.
    public static func isNonCharacter(_ ch: Unicode.Scalar) -> Bool {
        (0xFDD0...0xFDEF).contains(ch.value) || ch.value & 0xFFFE == 0xFFFE
    }
}
