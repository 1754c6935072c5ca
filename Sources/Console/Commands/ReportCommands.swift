import ArgumentParser
import Explain
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

    /// The survey report's parts, and the disclosure cells at risk: the report publishes how many there are and
    /// whether they were suppressed, never the cells themselves (the analyst sees them at the console).
    static func surveyParts(_ session: Session, k: Int = 3, suppress: Bool = false) throws -> (parts: [Part], risky: DisclosureCheck) {
        let survey = try session.requireSurvey()
        let grouping = try session.grouping(nil)
        var parts: [Part] = []
        let sizes = grouping.levels.map { "\($0) \(grouping.size($0))" }.joined(separator: ", ")
        var sample = try SurveyCommands.groupsOutput(session).document
        // The profile's first single-answer questions, as typed crosstabs (suppressed below k when asked).
        let profile = survey.questionnaire.sections.first { !$0.compare && $0.id != "metadata" }
        for q in profile?.questions.filter({ $0.type == .single }).prefix(3) ?? [] {
            let x = try Crosstab(survey: survey, question: q.id, by: grouping)
            sample.blocks += SurveyCommands.crosstabDocument(x, includeAll: false, suppressBelow: suppress ? k : nil).blocks
        }
        let disclosure = DisclosureCheck(survey: survey, grouping: grouping, k: k)
        var control = Document()
        if disclosure.cells.isEmpty {
            control.paragraph("Scanned \(disclosure.scope): no value, or pair of values, holds fewer than \(k) respondents in a group.")
        } else {
            control.paragraph("Scanned \(disclosure.scope): \(Formatting.count(disclosure.cells.count, "cell")) (values and pairs of values) \(disclosure.cells.count == 1 ? "holds" : "hold") fewer than \(k) respondents in a group and could identify someone."
                              + (suppress ? " Counts below \(k) are shown as <\(k) in the sample tables." : " The analyst has the list; this report does not publish it."))
        }
        // A report of a cleaned survey says how it was cleaned, before any number.
        let cleaned = survey.cleaning.isEmpty ? [] : ["Cleaned before analysis: \(survey.cleaning.joined(separator: "; ")) (\(survey.respondents.count) of \(session.loadedSurvey?.respondents.count ?? survey.respondents.count) respondents kept)."]
        parts.append(Part(heading: "Sample", intro: cleaned + ["\(Formatting.count(survey.respondents.count, "respondent")) (\(sizes))."], document: sample, figures: []))
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
        parts.append(Part(heading: "Where the groups differ most", intro: [], document: try GapCommands.exposureOutput(session, group: nil).document,
                          figures: [("gap.svg", try gapChart(session))]))
        if !session.coding.project.codings.isEmpty, let open = survey.questionnaire.questions.first(where: { $0.type == .open }) {
            var themes = try ReviewCommands.themesOutput(session, question: open.id, by: nil, coder: nil).document
            themes.blocks += try ReviewCommands.quotesOutput(session, filter: nil, question: open.id, coder: nil).document.blocks
            parts.append(Part(heading: "Themes from the open question", intro: [open.text], document: themes, figures: []))
        }
        return (parts, disclosure)
    }

    static func recordParts(_ record: ValidationRecord, _ session: Session) throws -> [Part] {
        var parts = [Part(heading: "Reported and recomputed figures", intro: [record.model.intendedUse], document: try RecordCommands.metricsOutput(session, record: record.id).document,
                          figures: try RecordFigures.figures(record))]
        parts.append(Part(heading: "Validation practice", intro: [], document: try RecordCommands.auditOutput(session, record: record.id).document, figures: []))
        parts.append(Part(heading: "Explanations", intro: [], document: try ExplainCommands.explainOutput(session, .init(record: record, caseID: nil, audiences: Audience.allCases, format: nil, out: nil, library: BundledFiles.path("explanations"))).document, figures: []))
        return parts
    }

    static let report = Command(ReportCommand.self)

    struct ReportCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "report", abstract: "a self-contained report (HTML with inline figures, or Markdown with SVG files beside it)",
            usage: "report survey|gap|RECORD --out FILE.html|FILE.md [--title TEXT] [--k K] [--suppress]",
            discussion: "report survey writes the survey's results like a paper's Results section: the sample, the questions that differ between groups with adjusted p and effect sizes and their figures, where the groups differ most, exposure needs, and the themes of the open question with quotes (when codings are loaded). report gap writes the gap analysis; report RECORD a validation record's figures, audit and explanations. The survey report checks disclosure: profile cells (and pairs of profile attributes, such as age × workplace) with fewer than k respondents in a group (--k, default 3) are counted in the report and listed for the analyst at the console only; --suppress shows such counts as <k. --title sets the title. HTML is self-contained (inline SVG and CSS, no scripts, no network); Markdown gets its figures as SVG files next to it.")
        static let completes: Command.Completion = .files
        static let verbs: [String] = ["survey", "gap"]
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("out"), completion: .file()) var outOption: String?
        @Option(name: .customLong("k")) var kOption: Int?
        @Option(name: .customLong("title")) var titleOption: String?
        @Flag(name: .customLong("suppress")) var suppress = false

        func run(in session: Session) throws -> CommandOutput {
            guard let what = positional.first else { throw ConsoleError.usage(command: "report", message: "what? report survey|gap|RECORD --out FILE.html") }
            guard let out = outOption, out.hasSuffix(".html") || out.hasSuffix(".md") else {
                throw ConsoleError.usage(command: "report", message: "--out FILE.html or FILE.md is required")
            }
            var title: String
            var parts: [Part]
            // What the analyst alone sees at the console: the disclosure cells at risk.
            var console = Document()
            var atRisk: JSONValue = .null
            switch what.lowercased() {
            case "survey":
                // A title from the questionnaire; an inferred one has only the file's path, which is not a title.
                let survey = try session.requireSurvey()
                title = survey.inferred ? "Survey results" : "Survey results: \(survey.questionnaire.title)"
                let k = kOption ?? 3
                guard k >= 2 else { throw ConsoleError.usage(command: "report", message: "--k takes a whole number of at least 2") }
                let made = try surveyParts(session, k: k, suppress: suppress)
                parts = made.parts
                atRisk = .object([("k", .int(k)), ("cells", .array(made.risky.cells.map {
                    .object([("group", .string($0.group)), ("cell", .string($0.description)), ("n", .int($0.count))])
                }))])
                if !made.risky.cells.isEmpty {
                    console.table(Table(title: "For the analyst only (not in the report): cells with fewer than \(k) respondents", columns: ["group", "cell", "n"],
                                        alignments: [.left, .left, .right], rows: made.risky.cells.map { [$0.group, $0.description, String($0.count)] }))
                }
            case "gap":
                title = "Where the groups differ"
                parts = [Part(heading: "Questions ranked by effect size", intro: [], document: try GapCommands.gapOutput(session, filter: nil).document, figures: [("gap.svg", try gapChart(session))]),
                         Part(heading: "Exposure needs", intro: [], document: try GapCommands.exposureOutput(session, group: nil).document, figures: [])]
            default:
                let record = try session.record(what)
                title = "Validation record \(record.id): \(record.model.name)"
                parts = try recordParts(record, session)
            }
            if let t = titleOption { title = t }
            // A report handed on says what produced it.
            parts.append(Part(heading: "Colophon", intro: [], document: Provenance(session).document, figures: []))
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
                        // Alt text says what the figure shows (its SVG title), not its file name.
                        let alt = MarkdownRenderer.escapeHTML(Markup.title(ofSVG: f.svg) ?? f.name).replacingOccurrences(of: "[", with: "\\[").replacingOccurrences(of: "]", with: "\\]")
                        md += "![\(alt)](\((file as NSString).lastPathComponent))\n\n"
                        if let caption = Markup.caption(ofSVG: f.svg) { md += "*\(MarkdownRenderer.escapeHTML(caption).replacingOccurrences(of: "*", with: "\\*"))*\n\n" }
                    }
                }
                try FileOutput.write(md, to: out)
            }
            console.blocks.insert(.paragraph("wrote \(out) (\(Formatting.count(parts.count, "section")), \(Formatting.count(parts.reduce(0) { $0 + $1.figures.count }, "figure")))"), at: 0)
            return CommandOutput(document: console, json: .object([("out", .string(out)), ("sections", .int(parts.count)),
                                                                  ("figures", .int(parts.reduce(0) { $0 + $1.figures.count })),
                                                                  ("cells_below_k", atRisk)]))
        }
    }

    /// The figure for a question: stacked shares for single-answer and Likert questions, grouped shares for
    /// multi-answer ones.
    static func questionChart(_ session: Session, question: String, by: String?) throws -> String {
        let survey = try session.requireSurvey()
        let x = try Crosstab(survey: survey, question: question, by: try session.grouping(by))
        let groups = x.rows.enumerated().map { (name: $1, n: x.n[$0]) }
        let shares = x.counts.enumerated().map { r, row in row.map { x.n[r] > 0 ? Double($0) / Double(x.n[r]) : 0 } }
        // Each share with its 95% Wilson interval, as the tables beside the figures give it.
        let intervals = try x.counts.enumerated().map { r, row in
            try row.map { count -> ClosedRange<Double> in
                let w = try WilsonInterval(successes: count, trials: x.n[r])
                return w.lower...w.upper
            }
        }
        let title = "\(x.question.id): \(x.question.topic)"
        return x.isMultiAnswer
            ? SurveyCharts.grouped(title: title, groups: groups, options: x.columns.map(x.label), shares: shares, intervals: intervals)
            : SurveyCharts.stacked(title: title, groups: groups, answers: x.columns.map(x.label), shares: shares, intervals: intervals)
    }

    static func gapChart(_ session: Session) throws -> String {
        let survey = try session.requireSurvey()
        let g = try SurveyGap(survey: survey, grouping: try session.grouping(nil))
        return SurveyCharts.gap(title: "Where the groups differ most (\(g.rows.count) questions)", rows: g.rows.map {
            ("\($0.comparison.question.id) \($0.comparison.question.topic)", $0.comparison.effectSize, $0.interval.lowerBound, $0.interval.upperBound, $0.comparison.p < 0.05)
        })
    }

    static let plot = Command(PlotCommand.self)

    struct PlotCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "plot", abstract: "a figure as SVG (stacked or grouped bars, the gap ranking)",
            usage: "plot Q [by group|by Q] --out FILE.svg | plot gap --out FILE.svg (in a notebook --out is optional)",
            discussion: "Writes a question's figure as SVG: stacked bars of answer shares per group for single-answer questions (the paper's Figs 1 and 6), grouped bars of option shares per group for multi-answer ones (Figs 2–5). plot gap draws the questions ranked by effect size, each with a line from its 95% lower confidence bound. For the word cloud see wordcloud; for ROC, reliability and risk–coverage see report RECORD. In a notebook or the Jupyter kernel --out may be left out: the figure is shown where it is drawn.")
        static let completes: Command.Completion = .questions
        static let verbs: [String] = ["gap"]
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("out"), completion: .file()) var outOption: String?

        func run(in session: Session) throws -> CommandOutput {
            // In a notebook the figure is shown where it is drawn; elsewhere it has to go to a file.
            guard outOption != nil || session.showsFigures else { throw ConsoleError.usage(command: "plot", message: "--out FILE.svg is required") }
            let svg: String
            if positional.first?.lowercased() == "gap" {
                svg = try gapChart(session)
            } else {
                let (q, by) = try Grammar.questionAndBy(positional, command: "plot")
                svg = try questionChart(session, question: q, by: by)
            }
            guard let out = outOption else {
                var output = CommandOutput(json: .object([("out", .null)]))
                output.drawn = svg
                return output
            }
            try FileOutput.write(svg, to: out)
            session.rememberFigure(svg, at: out)
            var output = CommandOutput(document: Document([.paragraph("wrote \(out)")]), json: .object([("out", .string(out))]))
            output.figure = out
            output.drawn = svg
            return output
        }
    }
}
