import Foundation
import Render
import Statistics
import Survey
import Thematic
import Validation

/// Figures: plot.
enum ReportCommands {
    static let all: [Command] = [plot, report]

    /// A part of a report: a heading, the document a command produced, and figures (SVG).
    struct Part {
        let heading: String
        let intro: [String]
        let document: Document
        let figures: [(name: String, svg: String)]
    }

    /// The document of another command, run in this session (the report reuses the analyses, never re-implements them).
    static func run(_ line: String, _ session: Session) throws -> Document {
        try CommandTable.execute(line, in: session)?.document ?? Document()
    }

    static func surveyParts(_ session: Session, k: Int = 3, suppress: Bool = false) throws -> [Part] {
        let survey = try session.requireSurvey()
        let grouping = try session.grouping(nil)
        var parts: [Part] = []
        let sizes = grouping.levels.map { "\($0) \(grouping.size($0))" }.joined(separator: ", ")
        var sample = try run("groups", session)
        for q in survey.questionnaire.sections.first(where: { !$0.compare })?.questions.filter({ $0.type == .single }).prefix(3) ?? [] {
            sample.blocks += try run("crosstab \(q.id)", session).blocks
        }
        let disclosure = DisclosureCheck(survey: survey, grouping: grouping, k: k)
        if suppress {
            // Counts below k in the profile tables are shown as "<k" (with their share and interval).
            for (i, block) in sample.blocks.enumerated() {
                guard case .table(var t) = block else { continue }
                t.rows = t.rows.map { row in
                    row.enumerated().map { j, cell in
                        guard j > 0, let n = Int(cell.split(separator: " ").first ?? ""), cell.contains("("), n > 0, n < k else { return cell }
                        return "<\(k)"
                    }
                }
                // A suppressed count's interval would give it away: blank the CI next to it.
                t.rows = t.rows.map { row in row.enumerated().map { j, cell in j > 0 && row[j - 1] == "<\(k)" ? "" : cell } }
                sample.blocks[i] = .table(t)
            }
        }
        var control = Document()
        if disclosure.cells.isEmpty {
            control.paragraph("No published profile cell or pair of profile attributes holds fewer than \(k) respondents in a group.")
        } else {
            control.table(Table(title: "Profile cells with fewer than \(k) respondents (they could identify someone)", columns: ["group", "cell", "n"],
                                alignments: [.left, .left, .right], rows: disclosure.cells.map { [$0.group, $0.description, String($0.count)] }))
            control.note(suppress ? "small counts are suppressed in the tables above (shown as <\(k))."
                                  : "re-run with report survey --suppress to hide them, or --k to change the threshold.")
        }
        parts.append(Part(heading: "Sample", intro: ["\(survey.respondents.count) respondents (\(sizes)), from \(survey.path)."], document: sample, figures: []))
        parts.append(Part(heading: "Disclosure control (k = \(k))", intro: [], document: control, figures: []))
        let comparisons = try GroupComparison.all(survey: survey, grouping: grouping)
        let adjusted = PValueAdjustment.holm.adjust(comparisons.map(\.p))
        let significant = comparisons.enumerated().filter { $0.element.p < 0.05 }
        var table1 = Document()
        table1.table(Table(title: "Questions with p < 0.05 between groups (\(significant.count) of \(comparisons.count))",
                           columns: ["Q", "topic", "test", "p", "p (Holm)", "effect size", "driven by"],
                           alignments: [.left, .left, .left, .right, .right, .right, .left],
                           rows: significant.map { k, c in
                               [c.question.id, c.question.topic, c.test, Formatting.p(c.p), Formatting.p(adjusted[k]), Formatting.stat(c.effectSize), c.drivers.first?.code ?? ""]
                           }))
        table1.note("Pearson chi-square for single-answer questions, the MMI test (Bonferroni) for multi-answer ones; effect size Cramér's V (largest per-option V for multi-answer).")
        parts.append(Part(heading: "Comparison between the groups (Table 1)", intro: [], document: table1,
                          figures: try significant.map { (_, c) in ("\(c.question.id).svg", try questionChart(session, question: c.question.id, by: nil)) }))
        parts.append(Part(heading: "Where the groups differ most", intro: [], document: try run("exposure", session),
                          figures: [("gap.svg", try gapChart(session))]))
        if !session.coding.codings.isEmpty, let open = survey.questionnaire.questions.first(where: { $0.type == .open }) {
            var themes = try run("themes \(open.id)", session)
            themes.blocks += try run("quotes \(open.id)", session).blocks
            parts.append(Part(heading: "Themes from the open question", intro: [open.text], document: themes, figures: []))
        }
        return parts
    }

    static func recordParts(_ record: ValidationRecord, _ session: Session) throws -> [Part] {
        var parts = [Part(heading: "Reported and recomputed figures", intro: [record.model.intendedUse], document: try run("metrics \(record.id)", session), figures: [])]
        parts.append(Part(heading: "Validation practice", intro: [], document: try run("audit \(record.id)", session), figures: []))
        parts.append(Part(heading: "Explanations", intro: [], document: try run("explain \(record.id) --for all", session), figures: []))
        return parts
    }

    static let report = Command(
        name: "report", usage: "report survey|gap|RECORD --out FILE.html|FILE.md [--k K] [--suppress]",
        summary: "a self-contained report (HTML with inline figures, or Markdown with SVG files beside it)",
        help: "report survey writes the survey's results like a paper's Results section: the sample, the questions that differ between groups with adjusted p and effect sizes and their figures, where the groups differ most, exposure needs, and the themes of the open question with quotes (when codings are loaded). report gap writes the gap analysis; report RECORD a validation record's figures, audit and explanations. The survey report checks disclosure: profile cells (and pairs of profile attributes, such as age × workplace) with fewer than k respondents in a group (--k, default 3) are listed as a risk; --suppress shows such counts as <k. HTML is self-contained (inline SVG and CSS, no scripts, no network); Markdown gets its figures as SVG files next to it.",
        subcommands: ["survey", "gap"], valueOptions: ["out", "k"], flagOptions: ["suppress"], completes: .files
    ) { session, args in
        guard let what = args.positional.first else { throw ConsoleError.usage(command: "report", message: "what? report survey|gap|RECORD --out FILE.html") }
        guard let out = args.options["out"], out.hasSuffix(".html") || out.hasSuffix(".md") else {
            throw ConsoleError.usage(command: "report", message: "--out FILE.html or FILE.md is required")
        }
        let title: String
        let parts: [Part]
        switch what.lowercased() {
        case "survey":
            title = "Survey results: \(try session.requireSurvey().questionnaire.title)"
            let k = try args.int("k", command: "report") ?? 3
            guard k >= 2 else { throw ConsoleError.usage(command: "report", message: "--k takes a whole number of at least 2") }
            parts = try surveyParts(session, k: k, suppress: args.flags.contains("suppress"))
        case "gap":
            title = "Technical vs clinical gap"
            parts = [Part(heading: "Questions ranked by effect size", intro: [], document: try run("gap", session), figures: [("gap.svg", try gapChart(session))]),
                     Part(heading: "Exposure needs", intro: [], document: try run("exposure", session), figures: [])]
        default:
            let record = try session.record(what)
            title = "Validation record \(record.id): \(record.model.name)"
            parts = try recordParts(record, session)
        }
        if out.hasSuffix(".html") {
            let html = HTMLPage.render(title: title, sections: parts.map {
                HTMLPage.Section(heading: $0.heading, paragraphs: $0.intro, charts: $0.figures.map(\.svg), document: $0.document)
            })
            try FileOutput.write(html, to: out)
        } else {
            let base = (out as NSString).deletingPathExtension
            var md = "# \(MarkdownRenderer.escapeHTML(title))\n\n"
            for p in parts {
                md += "## \(MarkdownRenderer.escapeHTML(p.heading))\n\n" + p.intro.map { MarkdownRenderer.escapeHTML($0) + "\n\n" }.joined()
                    + MarkdownRenderer().render(p.document) + "\n"
                for f in p.figures {
                    // Figure names come from question ids, which come from a file's column names: reduced to a safe
                    // name, so a column named ../../x cannot place a file outside the report's folder.
                    let file = "\(base)-\(FileNames.safe(f.name))"
                    try FileOutput.write(f.svg, to: file)
                    let alt = MarkdownRenderer.escapeHTML(f.name).replacingOccurrences(of: "[", with: "\\[").replacingOccurrences(of: "]", with: "\\]")
                    md += "![\(alt)](\((file as NSString).lastPathComponent))\n\n"
                }
            }
            try FileOutput.write(md, to: out)
        }
        return CommandOutput(document: Document([.paragraph("wrote \(out) (\(parts.count) sections, \(parts.reduce(0) { $0 + $1.figures.count }) figures)")]),
                             json: .object([("out", .string(out)), ("sections", .int(parts.count))]))
    }

    /// The figure for a question: stacked shares for single-answer and Likert questions, grouped shares for
    /// multi-answer ones.
    static func questionChart(_ session: Session, question: String, by: String?) throws -> String {
        let survey = try session.requireSurvey()
        let x = try Crosstab(survey: survey, question: question, by: try session.grouping(by))
        let groups = x.rows.enumerated().map { (name: $1, n: x.n[$0]) }
        let shares = x.counts.enumerated().map { r, row in row.map { x.n[r] > 0 ? Double($0) / Double(x.n[r]) : 0 } }
        let title = "\(x.question.id): \(x.question.topic)"
        return x.isMultiAnswer
            ? SurveyCharts.grouped(title: title, groups: groups, options: x.columns.map(x.label), shares: shares)
            : SurveyCharts.stacked(title: title, groups: groups, answers: x.columns.map(x.label), shares: shares)
    }

    static func gapChart(_ session: Session) throws -> String {
        let survey = try session.requireSurvey()
        let g = try SurveyGap(survey: survey, grouping: try session.grouping(nil))
        return SurveyCharts.gap(title: "Where the groups differ most (\(g.rows.count) questions)", rows: g.rows.map {
            ("\($0.comparison.question.id) \($0.comparison.question.topic)", $0.comparison.effectSize, $0.interval.lowerBound, $0.interval.upperBound, $0.comparison.p < 0.05)
        })
    }

    static let plot = Command(
        name: "plot", usage: "plot Q [by group|by Q] --out FILE.svg | plot gap --out FILE.svg",
        summary: "a figure as SVG (stacked or grouped bars, the gap ranking)",
        help: "Writes a question's figure as SVG: stacked bars of answer shares per group for single-answer questions (the paper's Figs 1 and 6), grouped bars of option shares per group for multi-answer ones (Figs 2–5). plot gap draws the questions ranked by effect size, each with a line from its 95% lower confidence bound. For the word cloud see wordcloud; for reliability and risk–coverage see explain --out FILE.html.",
        subcommands: ["gap"], valueOptions: ["out"], flagOptions: [], completes: .questions
    ) { session, args in
        guard let out = args.options["out"] else { throw ConsoleError.usage(command: "plot", message: "--out FILE.svg is required") }
        let svg: String
        if args.positional.first?.lowercased() == "gap" {
            svg = try gapChart(session)
        } else {
            let (q, by) = try args.questionAndBy(command: "plot")
            svg = try questionChart(session, question: q, by: by)
        }
        try FileOutput.write(svg, to: out)
        session.rememberFigure(svg, at: out)
        return CommandOutput(document: Document([.paragraph("wrote \(out)")]), json: .object([("out", .string(out))]))
    }
}
