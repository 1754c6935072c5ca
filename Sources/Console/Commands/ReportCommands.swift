import Foundation
import Render
import Survey
import Thematic
import Validation

/// Figures: plot.
enum ReportCommands {
    static let all: [Command] = [plot]

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

    static func gapChart(_ session: Session, replicates: Int = 1000) throws -> String {
        let survey = try session.requireSurvey()
        let g = SurveyGap(survey: survey, grouping: try session.grouping(nil), replicates: replicates)
        return SurveyCharts.gap(title: "Where the groups differ most (\(g.rows.count) questions)", rows: g.rows.map {
            ("\($0.comparison.question.id) \($0.comparison.question.topic)", $0.comparison.effectSize, $0.interval.lowerBound, $0.interval.upperBound, $0.comparison.p < 0.05)
        })
    }

    static let plot = Command(
        name: "plot", usage: "plot Q [by group|by Q] --out FILE.svg | plot gap --out FILE.svg",
        summary: "a figure as SVG (stacked or grouped bars, the gap ranking)",
        help: "Writes a question's figure as SVG: stacked bars of answer shares per group for single-answer questions (the paper's Figs 1 and 6), grouped bars of option shares per group for multi-answer ones (Figs 2–5). plot gap draws the questions ranked by effect size with 95% bootstrap intervals. For the word cloud see wordcloud; for reliability and risk–coverage see explain --out FILE.html.",
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
        return CommandOutput(document: Document([.paragraph("wrote \(out)")]), json: .object([("out", .string(out))]))
    }
}
