/// Text from files, made safe for a terminal: control characters (C0 but tab and, where kept, line feed; DEL; C1),
/// bidirectional controls and zero-width characters are shown as visible escapes such as `\x1b` or `\u{202e}`, so
/// an answer in a survey cannot change the terminal's title, clear the screen, move the cursor, or show text other
/// than what it holds (a right-to-left override reversing what follows, a zero-width space inside a code name).
public enum TerminalText {
    public static func visible(_ s: String, keepNewlines: Bool = true) -> String {
        guard s.unicodeScalars.contains(where: { needsEscape($0, keepNewlines: keepNewlines) }) else { return s }
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            if needsEscape(scalar, keepNewlines: keepNewlines) {
                let hex = String(scalar.value, radix: 16)
                out.append(contentsOf: (scalar.value <= 0xFF ? "\\x" + (hex.count < 2 ? "0" + hex : hex) : "\\u{\(hex)}").unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    @inline(__always)
    static func needsEscape(_ s: Unicode.Scalar, keepNewlines: Bool) -> Bool {
        let v = s.value
        if v == 0x09 || (keepNewlines && v == 0x0A) { return false }
        if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) { return true }
        guard v >= 0x061C else { return false }
        // Bidi: ALM, LRM/RLM, the embeddings and overrides, the isolates. Zero-width: space, non-joiner, joiner,
        // word joiner, invisible operators, BOM, Mongolian vowel separator.
        return v == 0x061C || v == 0x180E || (0x200B...0x200F).contains(v) || (0x202A...0x202E).contains(v)
            || (0x2060...0x2064).contains(v) || (0x2066...0x2069).contains(v) || v == 0xFEFF
    }
}

/// Aligned plain-text tables for the terminal; bold headings and dim notes only when `colour` is on (a TTY). Every
/// piece of text goes through `TerminalText.visible` first.
public struct TextRenderer {
    public var colour: Bool

    public init(colour: Bool = false) { self.colour = colour }

    public func render(_ doc: Document) -> String {
        var out: [String] = []
        for block in doc.blocks {
            switch block {
            case .heading(let raw):
                let s = TerminalText.visible(raw)
                out.append(colour ? "\u{1B}[1m\(s)\u{1B}[0m" : s)
            case .paragraph(let s): out.append(TerminalText.visible(s))
            case .note(let raw):
                let s = TerminalText.visible(raw)
                out.append(colour ? "\u{1B}[2m  note: \(s)\u{1B}[0m" : "  note: \(s)")
            case .table(let t): out.append(renderTable(t))
            }
        }
        return out.joined(separator: "\n")
    }

    /// The widest a cell is shown on screen, except in the last column (which can run on without misaligning the
    /// others). Documents hold full labels, so Markdown, HTML and CSV keep them; the screen fits them at a word.
    public static let maxCellWidth = 56

    func renderTable(_ raw: Table) -> String {
        var t = raw
        t.columns = t.columns.map { TerminalText.visible($0, keepNewlines: false) }
        let last = t.columns.count - 1
        let visible = t.rows.map { $0.map { TerminalText.visible($0, keepNewlines: false) } }
        // A cell is shortened only when no other cell of its column shortens to the same text (answers that differ
        // only at the end stay whole, so the screen never shows two rows with the same label).
        var fitted = visible
        for j in 0..<max(0, last) {
            var byShort: [String: Set<String>] = [:]
            for row in visible where j < row.count { byShort[Legibility.fit(row[j], Self.maxCellWidth).text, default: []].insert(row[j]) }
            for (r, row) in visible.enumerated() where j < row.count {
                let short = Legibility.fit(row[j], Self.maxCellWidth).text
                if byShort[short]?.count == 1 { fitted[r][j] = short }
            }
        }
        t.rows = fitted
        t.title = t.title.map { TerminalText.visible($0, keepNewlines: false) }
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

/// GitHub-flavoured Markdown; cell text has `|` and line breaks escaped, and all text has its HTML escaped (`<`, `>`,
/// `&`), so a label from someone's file cannot put a script or an element into a rendered Markdown page.
public struct MarkdownRenderer {
    public init() {}

    /// Text as Markdown shows it literally where HTML would otherwise pass through.
    public static func escapeHTML(_ s: String) -> String {
        guard s.contains(where: { $0 == "<" || $0 == ">" || $0 == "&" }) else { return s }
        return s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    public func render(_ doc: Document) -> String {
        doc.blocks.map { block -> String in
            switch block {
            case .heading(let s): return "## \(Self.escapeHTML(s))\n"
            case .paragraph(let s): return Self.escapeHTML(s) + "\n"
            case .note(let s): return "> \(Self.escapeHTML(s))\n"
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
        Self.escapeHTML(s).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: "<br>")
    }
}

/// RFC 4180 CSV of the document's tables (a blank line between tables); headings and notes are left out so the
/// result loads straight into a spreadsheet or R.
public struct CSVRenderer {
    /// Keep cells that start like a spreadsheet formula as they are (`--csv-keep-formulas`); by default they are
    /// neutralised (see `cell`).
    public var keepFormulas: Bool

    public init(keepFormulas: Bool = false) { self.keepFormulas = keepFormulas }

    public func render(_ doc: Document) -> String {
        doc.blocks.compactMap { block -> String? in
            guard case .table(let t) = block else { return nil }
            return ([t.columns] + t.rows).map { $0.map { Self.cell($0, keepFormulas: keepFormulas) }.joined(separator: ",") }.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    /// One exported cell: quoted as RFC 4180 needs, and, unless `keepFormulas`, neutralised by the OWASP rule for
    /// CSV injection: a cell that starts with =, +, -, @, tab or carriage return gets a leading apostrophe, so a
    /// spreadsheet shows it as text instead of running it (`=HYPERLINK(...)` in a survey answer). Plain numbers
    /// such as -0.5 are left alone.
    public static func cell(_ s: String, keepFormulas: Bool = false) -> String {
        guard !keepFormulas, let first = s.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Double(s) == nil else {
            return quote(s)
        }
        return quote("'" + s)
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
