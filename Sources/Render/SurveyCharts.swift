import Foundation

/// Charts like the paper's figures: stacked bars of answer shares per group (single-answer questions, Figs 1 and 6),
/// grouped bars of option shares per group (multi-answer questions, Figs 2–5), and a ranking of questions by effect
/// size with intervals (the gap). Okabe–Ito palette, a legend, the n of each group, every label escaped.
public enum SurveyCharts {
    public static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999"]

    static func f1(_ v: Double) -> String { String(format: "%.1f", v) }
    static func pct(_ v: Double) -> String { "\(Int((100 * v).rounded()))%" }

    static func svg(_ title: String, width: Int, height: Int, desc: String, body: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" role="img" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">
        <title>\(Markup.escape(title))</title>
        <desc>\(Markup.escape(desc))</desc>
        <rect width="100%" height="100%" fill="#ffffff"/>
        \(Legibility.label(title, 90, attributes: "x=\"\(width / 2)\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\""))
        \(body)</svg>
        """
    }

    /// One horizontal bar per group, split into the answers' shares (each row sums to 100%).
    /// `intervals`: each share's 95% Wilson interval, given in the legend (a stacked bar has no place for whiskers).
    public static func stacked(title: String, groups: [(name: String, n: Int)], answers: [String], shares: [[Double]],
                               intervals: [[ClosedRange<Double>]]? = nil) -> String {
        let left = 120, barWidth = 520, rowHeight = 34
        let height = 50 + groups.count * rowHeight + 30 + answers.count * 18 + 10
        var body = ""
        for (g, group) in groups.enumerated() {
            let y = 40 + g * rowHeight
            body += "<text x=\"\(left - 8)\" y=\"\(y + 12)\" text-anchor=\"end\" dominant-baseline=\"middle\">\(Markup.escape(group.name)) (n=\(group.n))</text>\n"
            var x = Double(left)
            for (a, share) in shares[g].enumerated() where share > 0 {
                let w = Double(barWidth) * share
                let fill = palette[a % palette.count]
                body += "<rect x=\"\(f1(x))\" y=\"\(y)\" width=\"\(f1(w))\" height=\"24\" fill=\"\(fill)\"><title>\(Markup.escape(answers[a])): \(pct(share))</title></rect>"
                // The value in black or white, whichever reads on this fill; a segment too narrow for it has its
                // value in the legend.
                if w > 30 { body += "<text x=\"\(f1(x + w / 2))\" y=\"\(y + 12)\" text-anchor=\"middle\" dominant-baseline=\"middle\" fill=\"\(Legibility.text(on: fill))\" font-size=\"11\">\(pct(share))</text>" }
                body += "\n"
                x += w
            }
        }
        let axisY = 40 + groups.count * rowHeight
        for k in 0...4 {
            body += "<text x=\"\(left + barWidth * k / 4)\" y=\"\(axisY + 8)\" text-anchor=\"middle\" font-size=\"10\">\(25 * k)%</text>"
        }
        // Each answer's shares by group in the legend, so values of narrow segments are printed, not only in tooltips.
        let entries = answers.enumerated().map { a, answer in
            answer + " (" + groups.enumerated().map { g, group in "\(group.name) \(pct(shares[g][a]))\(interval(intervals, g, a))" }.joined(separator: ", ") + ")"
        }
        body += "\n" + legend(entries, y: axisY + 26)
        return svg(title, width: 760, height: height, desc: "Stacked bars, one per group, of the share giving each answer"
                   + (intervals == nil ? "" : " (with its 95% Wilson interval)") + ": " + entries.joined(separator: "; ") + ".", body: body)
    }

    /// For each option, one bar per group: the share of the group's respondents who ticked it (shares of a group
    /// do not sum to 100% because respondents tick several).
    /// `intervals`: each share's 95% Wilson interval, drawn as a whisker across the bar's end.
    public static func grouped(title: String, groups: [(name: String, n: Int)], options: [String], shares: [[Double]],
                               intervals: [[ClosedRange<Double>]]? = nil) -> String {
        let left = 330, barWidth = 360, barHeight = 12
        let block = groups.count * barHeight + 10
        let axisY = 40 + options.count * block
        let height = axisY + 44 + groups.count * 18 + (intervals == nil ? 0 : 18)
        var body = ""
        for (o, option) in options.enumerated() {
            let y = 40 + o * block
            body += Legibility.label(option, 52, attributes: "x=\"\(left - 8)\" y=\"\(y + groups.count * barHeight / 2)\" text-anchor=\"end\" dominant-baseline=\"middle\" font-size=\"11\"") + "\n"
            for (g, group) in groups.enumerated() {
                let share = shares[g][o], w = Double(barWidth) * share, mid = y + g * barHeight + barHeight / 2
                body += "<rect x=\"\(left)\" y=\"\(y + g * barHeight)\" width=\"\(f1(w))\" height=\"\(barHeight - 1)\" fill=\"\(palette[g % palette.count])\"><title>\(Markup.escape(group.name)): \(pct(share))\(interval(intervals, g, o))</title></rect>"
                var end = Double(left) + w
                if let ci = intervals?[g][o] {
                    let lo = Double(left) + Double(barWidth) * ci.lowerBound, hi = Double(left) + Double(barWidth) * ci.upperBound
                    body += "<path d=\"M\(f1(lo)) \(mid)H\(f1(hi))M\(f1(lo)) \(mid - 3)V\(mid + 3)M\(f1(hi)) \(mid - 3)V\(mid + 3)\" stroke=\"#333\" fill=\"none\"/>"
                    end = max(end, hi)
                }
                body += "<text x=\"\(f1(end + 4))\" y=\"\(mid)\" dominant-baseline=\"middle\" font-size=\"10\">\(pct(share))</text>\n"
            }
        }
        // The value axis, so a bar's length reads as a share without its label.
        body += "<line x1=\"\(left)\" y1=\"\(axisY)\" x2=\"\(left + barWidth)\" y2=\"\(axisY)\" stroke=\"#333\"/>"
        for k in 0...4 {
            let x = left + barWidth * k / 4
            body += "<line x1=\"\(x)\" y1=\"\(axisY)\" x2=\"\(x)\" y2=\"\(axisY + 4)\" stroke=\"#333\"/><text x=\"\(x)\" y=\"\(axisY + 16)\" text-anchor=\"middle\" font-size=\"10\">\(25 * k)%</text>"
        }
        body += "<text x=\"\(left + barWidth / 2)\" y=\"\(axisY + 30)\" text-anchor=\"middle\" font-size=\"11\">share of the group's respondents who ticked it\(intervals == nil ? "" : " (whiskers: 95% Wilson interval)")</text>\n"
        body += legend(groups.map { "\($0.name) (n=\($0.n))" }, y: axisY + 50)
        let described = options.enumerated().map { o, option in option + " (" + groups.enumerated().map { g, group in "\(group.name) \(pct(shares[g][o]))\(interval(intervals, g, o))" }.joined(separator: ", ") + ")" }
        return svg(title, width: 760, height: height, desc: "Grouped bars, for each option, of the share of each group who ticked it"
                   + (intervals == nil ? "" : " (with its 95% Wilson interval)") + ": " + described.joined(separator: "; ") + ".", body: body)
    }

    /// " [28–53%]": a share's interval as the legend and description give it, or nothing without intervals.
    static func interval(_ intervals: [[ClosedRange<Double>]]?, _ g: Int, _ k: Int) -> String {
        guard let intervals, g < intervals.count, k < intervals[g].count else { return "" }
        let ci = intervals[g][k]
        return " [\(Int((100 * ci.lowerBound).rounded()))–\(pct(ci.upperBound))]"
    }

    /// Questions ranked by effect size, each with its interval (for the gap: from the one-sided lower bound to 1, drawn
    /// as a line from the bound through the estimate to the end of the axis); marked when p < 0.05.
    public static func gap(title: String, rows: [(label: String, effect: Double, low: Double, high: Double, significant: Bool)]) -> String {
        let left = 300, width = 360, rowHeight = 20
        let height = 60 + rows.count * rowHeight + 40
        let top = max(1.0, rows.map(\.high).max() ?? 1)
        func x(_ v: Double) -> Double { Double(left) + Double(width) * min(1, max(0, v / top)) }
        var body = ""
        for (k, r) in rows.enumerated() {
            let y = 44 + k * rowHeight
            body += Legibility.label(r.label, 44, attributes: "x=\"\(left - 8)\" y=\"\(y + 6)\" text-anchor=\"end\" dominant-baseline=\"middle\" font-size=\"11\"")
            body += "<line x1=\"\(f1(x(r.low)))\" y1=\"\(y + 6)\" x2=\"\(f1(x(r.high)))\" y2=\"\(y + 6)\" stroke=\"#555\"/>"
            body += "<circle cx=\"\(f1(x(r.effect)))\" cy=\"\(y + 6)\" r=\"4\" fill=\"\(r.significant ? palette[5] : palette[8])\"/>\n"
        }
        let axisY = 44 + rows.count * rowHeight + 4
        body += "<line x1=\"\(left)\" y1=\"\(axisY)\" x2=\"\(left + width)\" y2=\"\(axisY)\" stroke=\"#333\"/>"
        let ticks = Legibility.ticks(upTo: top)
        for v in ticks where v <= top + 1e-9 {
            body += "<text x=\"\(f1(x(v)))\" y=\"\(axisY + 14)\" text-anchor=\"middle\" font-size=\"10\">\(Legibility.tickLabel(v, step: ticks.count > 1 ? ticks[1] : 1))</text>"
        }
        body += "<text x=\"\(left + width / 2)\" y=\"\(axisY + 30)\" text-anchor=\"middle\">effect size (Cramér's V); line: from its 95% lower bound; orange: p &lt; 0.05</text>\n"
        return svg(title, width: 700, height: height + 10,
                   desc: "Questions ranked by effect size (Cramér's V), each with a line from its 95% lower bound: "
                       + rows.map { "\($0.label) " + String(format: "%.2f (≥ %.2f)", $0.effect, $0.low) + ($0.significant ? ", p < 0.05" : "") }.joined(separator: "; ") + ".", body: body)
    }

    /// One legend entry per line, labels in full (answers often differ only at the end: "…leaning towards …").
    static func legend(_ items: [String], y: Int) -> String {
        items.enumerated().map { k, item in
            let yy = y + k * 18
            return "<rect x=\"20\" y=\"\(yy - 9)\" width=\"12\" height=\"12\" fill=\"\(palette[k % palette.count])\"/>"
                + Legibility.label(item, 118, attributes: "x=\"38\" y=\"\(yy + 1)\" font-size=\"11\"")
        }.joined(separator: "\n") + "\n"
    }
}
