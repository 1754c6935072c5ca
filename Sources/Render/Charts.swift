import Foundation

/// Small SVG charts, self-contained (no scripts, no external fonts), with a title, axis labels and the Okabe–Ito
/// colour-blind-safe palette. Every label passes through `Markup.escape`.
public enum Charts {
    static let blue = "#0072B2", orange = "#D55E00", grey = "#999999", green = "#009E73"

    /// `desc`: what the figure shows, for readers who cannot see it (the SVG's <desc>).
    static func frame(_ title: String, width: Int = 420, height: Int = 320, desc: String, body: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" role="img" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">
        <title>\(Markup.escape(title))</title>
        <desc>\(Markup.escape(desc))</desc>
        <rect width="100%" height="100%" fill="#ffffff"/>
        <text x="\(width / 2)" y="18" text-anchor="middle" font-size="14" font-weight="bold">\(Markup.escape(title))</text>
        \(body)</svg>
        """
    }

    /// Axes for the unit square plotted at (60, 40)–(380, 280).
    static func unitAxes(x: String, y: String, yMax: Double = 1) -> String {
        var s = "<line x1=\"60\" y1=\"280\" x2=\"380\" y2=\"280\" stroke=\"#333\"/><line x1=\"60\" y1=\"40\" x2=\"60\" y2=\"280\" stroke=\"#333\"/>\n"
        for k in 0...5 {
            let v = Double(k) / 5
            s += String(format: "<text x=\"%.0f\" y=\"296\" text-anchor=\"middle\">%.1f</text>", 60 + 320 * v, v)
        }
        // The y axis at round steps up to yMax (0, 0.05, 0.10, …), not at fifths of an odd maximum.
        let ticks = Legibility.ticks(upTo: yMax)
        for v in ticks where v <= yMax + 1e-9 {
            s += "<text x=\"54\" y=\"\(f1(280 - 240 * v / yMax))\" text-anchor=\"end\" dominant-baseline=\"middle\">\(Legibility.tickLabel(v, step: ticks.count > 1 ? ticks[1] : 1))</text>\n"
        }
        s += "<text x=\"220\" y=\"314\" text-anchor=\"middle\">\(Markup.escape(x))</text>"
        s += "<text x=\"16\" y=\"160\" text-anchor=\"middle\" transform=\"rotate(-90 16 160)\">\(Markup.escape(y))</text>\n"
        return s
    }

    /// One decimal, for coordinates. Interpolation rather than String(format:) with %@, which can crash on Linux
    /// when an argument is a Swift String.
    static func f1(_ v: Double) -> String { String(format: "%.1f", v) }

    static func px(_ x: Double) -> Double { 60 + 320 * min(1, max(0, x)) }
    static func py(_ y: Double) -> Double { 280 - 240 * min(1, max(0, y)) }

    /// Reliability diagram: observed frequency against mean predicted probability per bin (dot area ∝ n), with the
    /// diagonal of perfect calibration.
    public static func reliability(title: String, bins: [(meanPredicted: Double, observed: Double, n: Int)]) -> String {
        let maxN = Double(bins.map(\.n).max() ?? 1)
        var body = unitAxes(x: "mean predicted probability", y: "observed frequency")
        body += "<line x1=\"60\" y1=\"280\" x2=\"380\" y2=\"40\" stroke=\"\(grey)\" stroke-dasharray=\"4 4\"/>\n"
        body += "<polyline fill=\"none\" stroke=\"\(blue)\" stroke-width=\"2\" points=\"" + bins.map { String(format: "%.1f,%.1f", px($0.meanPredicted), py($0.observed)) }.joined(separator: " ") + "\"/>\n"
        for b in bins {
            body += "<circle cx=\"\(f1(px(b.meanPredicted)))\" cy=\"\(f1(py(b.observed)))\" r=\"\(f1(3 + 6 * (Double(b.n) / maxN).squareRoot()))\" fill=\"\(blue)\"><title>n = \(b.n)</title></circle>\n"
        }
        // Grey lines, but text in a grey that reads (7:1 on white; #999999 is 2.8:1).
        body += "<text x=\"372\" y=\"270\" text-anchor=\"end\" fill=\"#595959\">dashed: perfect calibration</text>\n"
        let worst = bins.max { abs($0.observed - $0.meanPredicted) < abs($1.observed - $1.meanPredicted) }
        return frame(title, desc: "Reliability diagram: the observed frequency of the condition against the mean predicted probability in \(bins.count) bins; "
                     + (worst.map { String(format: "the largest gap is at a mean prediction of %.2f, observed %.2f (n = %d).", $0.meanPredicted, $0.observed, $0.n) } ?? ""), body: body)
    }

    /// Risk–coverage curve: error rate among the most confident cases as coverage grows.
    public static func riskCoverage(title: String, points: [(coverage: Double, risk: Double)]) -> String {
        // The axis ends at a round tick above the highest risk.
        let top = Legibility.ticks(upTo: max(0.05, (points.map(\.risk).max() ?? 0.1) * 1.05)).last ?? 1
        var body = unitAxes(x: "coverage (share of cases the model keeps)", y: "risk (error rate among kept cases)", yMax: top)
        body += "<polyline fill=\"none\" stroke=\"\(orange)\" stroke-width=\"2\" points=\"" + points.map { String(format: "%.1f,%.1f", px($0.coverage), py($0.risk / top)) }.joined(separator: " ") + "\"/>\n"
        return frame(title, desc: "Risk–coverage curve: the error rate among the cases the model is most confident about, as more cases are kept"
                     + (points.last.map { String(format: "; %.3f when all are kept.", $0.risk) } ?? "."), body: body)
    }

    /// Horizontal bars of signed contributions, towards (orange) and against (blue) the result.
    public static func attributions(title: String, items: [(label: String, value: Double)]) -> String {
        let maxAbs = max(1e-9, items.map { abs($0.value) }.max() ?? 1)
        let height = 50 + 34 * items.count
        // Labels in their own column (right-aligned at 220); bars either side of the axis at 350, at most 120 wide.
        var body = "<line x1=\"350\" y1=\"34\" x2=\"350\" y2=\"\(height - 10)\" stroke=\"#333\"/>\n"
        for (k, it) in items.enumerated() {
            let y = 40 + 34 * k, w = 120 * abs(it.value) / maxAbs
            let x = it.value >= 0 ? 350 : 350 - w
            body += Legibility.label(it.label, 34, attributes: "x=\"220\" y=\"\(y + 11)\" text-anchor=\"end\" dominant-baseline=\"middle\"")
            body += "<rect x=\"\(f1(x))\" y=\"\(y)\" width=\"\(f1(w))\" height=\"22\" fill=\"\(it.value >= 0 ? orange : blue)\"/>"
            // Values right of the bar end, or right of the axis for bars that go left.
            body += "<text x=\"\(f1(it.value >= 0 ? x + w + 4 : 354))\" y=\"\(y + 11)\" dominant-baseline=\"middle\">\(String(format: "%+.3f", it.value))</text>\n"
        }
        return frame(title, width: 540, height: height,
                     desc: "Bars of each feature's contribution, to the right towards the condition and to the left away from it: "
                         + items.map { "\($0.label) " + String(format: "%+.3f", $0.value) }.joined(separator: "; ") + ".", body: body)
    }

    /// An icon array of `total` people (10 a row), the first `highlighted` filled, with a legend naming both kinds
    /// and a caption wrapped at words so that every line fits inside the figure. Both fills keep a contrast of at
    /// least 3:1 with the white background (WCAG 1.4.11): Okabe–Ito vermilion (3.9:1) and a grey of 4.5:1.
    public static func iconArray(title: String, highlighted: Int, total: Int, caption: String, legend: (has: String, hasNot: String)) -> String {
        let perRow = 10, rows = (total + perRow - 1) / perRow
        let captionLines = wrap(caption, width: 58)
        let legendTop = 34 + rows * 34 + 8
        let height = legendTop + 2 * 20 + captionLines.count * 16 + 12
        var body = ""
        for k in 0..<total {
            let x = 40 + (k % perRow) * 34, y = 34 + (k / perRow) * 34
            let fill = k < highlighted ? orange : iconGrey
            body += "<circle cx=\"\(x + 12)\" cy=\"\(y + 7)\" r=\"6\" fill=\"\(fill)\"/><rect x=\"\(x + 6)\" y=\"\(y + 14)\" width=\"12\" height=\"14\" rx=\"4\" fill=\"\(fill)\"/>\n"
        }
        for (k, (fill, label)) in [(orange, legend.has), (iconGrey, legend.hasNot)].enumerated() {
            let y = legendTop + k * 20
            body += "<rect x=\"40\" y=\"\(y)\" width=\"12\" height=\"12\" fill=\"\(fill)\"/><text x=\"58\" y=\"\(y + 10)\">\(Markup.escape(label))</text>\n"
        }
        for (k, line) in captionLines.enumerated() {
            body += "<text x=\"210\" y=\"\(legendTop + 2 * 20 + 12 + k * 16)\" text-anchor=\"middle\">\(Markup.escape(line))</text>\n"
        }
        return frame(title, height: height, desc: caption, body: body)
    }

    /// The grey of the icons not highlighted: 4.5:1 on white.
    static let iconGrey = "#767676"

    /// Text cut into lines of at most `width` characters, at spaces (a longer word keeps its own line).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}

/// A self-contained HTML page: inline CSS and SVG, no scripts, no network. Text is escaped here; SVG comes from
/// `Charts`, which escapes its own labels.
public enum HTMLPage {
    public struct Section {
        public let heading: String
        public let paragraphs: [String]
        public let notes: [String]
        public let charts: [String]
        /// Tables and further text, rendered after the paragraphs.
        public let document: Document
        public init(heading: String, paragraphs: [String], notes: [String] = [], charts: [String] = [], document: Document = Document()) {
            self.heading = heading
            self.paragraphs = paragraphs
            self.notes = notes
            self.charts = charts
            self.document = document
        }
    }

    public static func render(title: String, sections: [Section]) -> String {
        var s = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Markup.escape(title))</title>
        <style>body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}
        h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:2em}.note{color:#555;font-size:.9em}
        figure{display:inline-block;margin:.5em}table{border-collapse:collapse;margin:1em 0;font-size:.85em}
        th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}td.num{text-align:right}caption{font-weight:bold;text-align:left}
        h3{font-size:1.05em}figcaption{font-size:.85em;color:#444;max-width:45em}
        @media print{body{max-width:none;margin:0}figure{display:block;margin:.5em 0}svg{max-width:100%;height:auto}
        figure,table,tr{break-inside:avoid;page-break-inside:avoid}h2,h3,caption{break-after:avoid;page-break-after:avoid}}</style></head><body>
        <h1>\(Markup.escape(title))</h1>

        """
        for section in sections {
            s += "<section><h2>\(Markup.escape(section.heading))</h2>\n"
            s += section.paragraphs.map { "<p>\(Markup.escape($0))</p>\n" }.joined()
            s += HTMLRenderer().render(section.document)
            s += section.charts.map(Markup.figure).joined()
            s += section.notes.map { "<p class=\"note\">\(Markup.escape($0))</p>\n" }.joined()
            s += "</section>\n"
        }
        return s + "</body></html>\n"
    }
}

/// HTML for a `Document`: headings, paragraphs, tables and notes, every string escaped.
public struct HTMLRenderer {
    public init() {}

    public func render(_ doc: Document) -> String {
        doc.blocks.map { block -> String in
            switch block {
            case .heading(let s): return "<h3>\(Markup.escape(s))</h3>\n"
            case .paragraph(let s): return s.split(separator: "\n").map { "<p>\(Markup.escape(String($0)))</p>\n" }.joined()
            case .note(let s): return "<p class=\"note\">\(Markup.escape(s))</p>\n"
            case .table(let t):
                var h = "<table>\n"
                if let title = t.title { h += "<caption>\(Markup.escape(title))</caption>\n" }
                h += "<tr>" + t.columns.map { "<th>\(Markup.escape($0))</th>" }.joined() + "</tr>\n"
                for row in t.rows {
                    h += "<tr>" + row.enumerated().map { j, c in
                        "<td\(j < t.alignments.count && t.alignments[j] == .right ? " class=\"num\"" : "")>\(Markup.escape(c))</td>"
                    }.joined() + "</tr>\n"
                }
                return h + "</table>\n"
            }
        }.joined()
    }
}
