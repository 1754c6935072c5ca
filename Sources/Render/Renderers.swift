/// Aligned plain-text tables for the terminal; bold headings and dim notes only when `colour` is on (a TTY).
public struct TextRenderer {
    public var colour: Bool

    public init(colour: Bool = false) { self.colour = colour }

    public func render(_ doc: Document) -> String {
        var out: [String] = []
        for block in doc.blocks {
            switch block {
            case .heading(let s): out.append(colour ? "\u{1B}[1m\(s)\u{1B}[0m" : s)
            case .paragraph(let s): out.append(s)
            case .note(let s): out.append(colour ? "\u{1B}[2m  note: \(s)\u{1B}[0m" : "  note: \(s)")
            case .table(let t): out.append(renderTable(t))
            }
        }
        return out.joined(separator: "\n")
    }

    func renderTable(_ t: Table) -> String {
        let all = [t.columns] + t.rows
        let widths = t.columns.indices.map { j in all.map { j < $0.count ? $0[j].count : 0 }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.indices.map { j in
                let cell = cells[j], pad = String(repeating: " ", count: max(0, widths[j] - cell.count))
                return t.alignments[j] == .right ? pad + cell : cell + pad
            }.joined(separator: "  ").replacingTrailingSpaces()
        }
        var lines: [String] = []
        if let title = t.title { lines.append(colour ? "\u{1B}[1m\(title)\u{1B}[0m" : title) }
        lines.append(line(t.columns))
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        lines += t.rows.map(line)
        return lines.joined(separator: "\n")
    }
}

/// GitHub-flavoured Markdown; cell text has `|` and line breaks escaped.
public struct MarkdownRenderer {
    public init() {}

    public func render(_ doc: Document) -> String {
        doc.blocks.map { block -> String in
            switch block {
            case .heading(let s): return "## \(s)\n"
            case .paragraph(let s): return s + "\n"
            case .note(let s): return "> \(s)\n"
            case .table(let t):
                var lines: [String] = []
                if let title = t.title { lines.append("**\(escape(title))**\n") }
                lines.append("| " + t.columns.map(escape).joined(separator: " | ") + " |")
                lines.append("|" + t.alignments.map { $0 == .right ? "---:" : ":---" }.joined(separator: "|") + "|")
                lines += t.rows.map { "| " + $0.map(escape).joined(separator: " | ") + " |" }
                return lines.joined(separator: "\n") + "\n"
            }
        }.joined(separator: "\n")
    }

    func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: "<br>")
    }
}

/// RFC 4180 CSV of the document's tables (a blank line between tables); headings and notes are left out so the
/// result loads straight into a spreadsheet or R.
public struct CSVRenderer {
    public init() {}

    public func render(_ doc: Document) -> String {
        doc.blocks.compactMap { block -> String? in
            guard case .table(let t) = block else { return nil }
            return ([t.columns] + t.rows).map { $0.map(Self.quote).joined(separator: ",") }.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    public static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension String {
    func replacingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}

import Foundation
