import ArgumentParser
import Foundation
import Render
import Statistics
import Survey

/// The technical-versus-clinical gap: gap, exposure, priorities.
enum GapCommands {
    static let all: [Command] = [gap, exposure, priorities]

    static func percent(_ v: Double) -> String { String(format: "%.0f%%", 100 * v) }

    static let gap = Command(GapCommand.self)

    struct GapCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "gap", abstract: "questions and topics ranked by how far the groups differ",
            usage: "gap [Q|SECTION]",
            discussion: "Ranks the comparable questions by effect size (Cramér's V; for multi-answer questions the largest per-option V) with its one-sided 95% lower confidence bound (noncentral chi-square inversion, as R's effectsize::cramers_v with alternative = \"greater\": the groups differ at least this much), the test and its Holm-adjusted p, and the answers that drive the difference with each group's share. Then the sections ranked by mean effect. Give a question or section id to see only it.")
        static let completes: Command.Completion = .questions
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            return try gapOutput(session, filter: positional.first)
        }
    }

    /// The ranked gap, for one question or section (`filter`) or all.
    static func gapOutput(_ session: Session, filter: String?) throws -> CommandOutput {
        let survey = try session.requireSurvey()
        let grouping = try session.grouping(nil)
        let g = try SurveyGap(survey: survey, grouping: grouping)
        var rows = g.rows
        if let filter {
            let section = survey.questionnaire.sections.first { $0.id.caseInsensitiveCompare(filter) == .orderedSame }
            rows = rows.filter { r in section.map { s in s.questions.contains { $0.id == r.comparison.question.id } } ?? (r.comparison.question.id.caseInsensitiveCompare(filter) == .orderedSame) }
            if rows.isEmpty {
                throw SurveyError.unknownQuestion(id: filter, suggestion: Suggest.nearest(filter, in: g.rows.map(\.comparison.question.id) + survey.questionnaire.sections.map(\.id)))
            }
        }
        func drivers(_ c: GroupComparison) -> String {
            c.drivers.prefix(2).map { d in "\(d.code): " + grouping.levels.map { "\($0) \(percent(d.shares[$0] ?? 0))" }.joined(separator: " vs ") }.joined(separator: "; ")
        }
        var doc = Document()
        doc.heading("Survey gap by \(grouping.variable.name): questions ranked by effect size, with its 95% lower confidence bound")
        doc.table(Table(columns: ["#", "Q", "topic", "effect", "95% bound", "test", "p", "p (Holm)", "driven by"],
                        alignments: [.right, .left, .left, .right, .right, .left, .right, .right, .left],
                        rows: rows.enumerated().map { k, r in
                            [String(k + 1), r.comparison.question.id, r.comparison.question.topic, Formatting.stat(r.comparison.effectSize),
                             "≥ " + String(format: "%.2f", r.interval.lowerBound), r.comparison.test,
                             Formatting.p(r.comparison.p), Formatting.p(r.pAdjusted), drivers(r.comparison)]
                        }))
        if filter == nil {
            doc.heading("Sections (topics) ranked by mean effect")
            doc.table(Table(columns: ["section", "mean effect", "max effect", "p < 0.05"], alignments: [.left, .right, .right, .right],
                            rows: g.sections.map { [$0.section.title, Formatting.stat($0.meanEffect), Formatting.stat($0.maxEffect), "\($0.significant) of \($0.questions)"] }))
        }
        doc.note("with \(grouping.levels.map { "\($0) \(grouping.size($0))" }.joined(separator: " and ")) respondents only large differences are detectable (power --power 0.8 --df 1)")
        let json: JSONValue = .object([
            ("questions", .array(rows.enumerated().map { k, r in
                .object([("rank", .int(k + 1)), ("question", .string(r.comparison.question.id)), ("topic", .string(r.comparison.question.topic)), ("test", .string(r.comparison.test)),
                         ("effect_size", .double(r.comparison.effectSize)), ("ci", .array([.double(r.interval.lowerBound), .double(r.interval.upperBound)])),
                         ("ci_method", .string("one-sided 95% lower bound by noncentral chi-square inversion (effectsize::cramers_v, alternative = greater)")),
                         ("p", .double(r.comparison.p)), ("p_adjusted", .double(r.pAdjusted)),
                         ("drivers", .array(r.comparison.drivers.map { d in .object([("code", .string(d.code)), ("group", .string(d.group)),
                                                                                     ("shares", .object(grouping.levels.map { ($0, .double(d.shares[$0])) }))]) }))])
            })),
            ("sections", .array(g.sections.enumerated().map { k, s in
                .object([("rank", .int(k + 1)), ("section", .string(s.section.id)), ("title", .string(s.section.title)),
                         ("mean_effect", .double(s.meanEffect)), ("max_effect", .double(s.maxEffect)),
                         ("significant", .int(s.significant)), ("questions", .int(s.questions))])
            })),
            ("groups", .object(grouping.levels.map { ($0, .int(grouping.size($0))) })),
            // The level at which a section's questions count as significant ("p < 0.05").
            ("significance_level", .number(0.05)),
        ])
        return CommandOutput(document: doc, json: json)
    }

    static let exposure = Command(ExposureCommand.self)

    struct ExposureCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "exposure", abstract: "where a group answers \"don't know\", \"out of my expertise\" or \"only if time allows\" more",
            usage: "exposure [GROUP]",
            discussion: "Lists the questions where one group gives the flagged answers (I don't know, out of my expertise, only if time allows / when time permits) more often than the other: the paper's \"would benefit from further exposure\". Counts and shares per group with Wilson 95% intervals, the difference, and Fisher's exact p. Give a group (TG or CG) to see only where it is the higher one.")
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            return try exposureOutput(session, group: positional.first)
        }
    }

    /// Exposure needs, for both groups or where `group` is the higher one.
    static func exposureOutput(_ session: Session, group: String?) throws -> CommandOutput {
        let survey = try session.requireSurvey()
        let grouping = try session.grouping(nil)
        let e = try Exposure(survey: survey, grouping: grouping)
        var rows = e.rows
        if let g = group {
            guard let level = grouping.levels.first(where: { $0.caseInsensitiveCompare(g) == .orderedSame }) else {
                throw ConsoleError.usage(command: "exposure", message: "no group \(g)\(ErrorMessages.didYouMean(Suggest.nearest(g, in: grouping.levels))) (groups: \(grouping.levels.joined(separator: ", ")))")
            }
            rows = e.rows(for: level)
        }
        var doc = Document()
        doc.heading("Exposure needs by \(grouping.variable.name)\(group.map { ": where \($0) answers so more often" } ?? "")")
        doc.table(Table(columns: ["Q", "topic", "higher"] + grouping.levels.flatMap { ["\($0) flagged", "95% CI"] } + ["difference", "Fisher p"],
                        alignments: [.left, .left, .left] + grouping.levels.flatMap { _ in [Table.Alignment.right, .right] } + [.right, .right],
                        rows: rows.map { r in
                            [r.question.id, r.question.topic, r.higher]
                                + grouping.levels.flatMap { l -> [String] in
                                    let c = r.counts[l] ?? (0, 0)
                                    return ["\(c.flagged)/\(c.n) (\(percent(c.n > 0 ? Double(c.flagged) / Double(c.n) : 0)))",
                                            r.intervals[l].map { "\(percent($0.lowerBound))–\(percent($0.upperBound))" } ?? "NA"]
                                }
                                + [String(format: "%+.0f pts", 100 * r.difference), Formatting.p(r.fisherP)]
                        }))
        doc.note("flagged answers: \(Exposure.flags.map(\.rawValue).sorted().joined(separator: ", ")) (the questionnaire's flags)")
        let json: JSONValue = .array(rows.map { r in
            .object([("question", .string(r.question.id)), ("topic", .string(r.question.topic)), ("higher", .string(r.higher)),
                     ("confidence_level", .number(0.95)),
                     ("flagged_codes", .strings(r.flaggedCodes)),
                     ("groups", .object(grouping.levels.map { l in
                         let c = r.counts[l] ?? (0, 0)
                         return (l, .object([("flagged", .int(c.flagged)), ("n", .int(c.n)), ("share", .double(c.n > 0 ? Double(c.flagged) / Double(c.n) : nil)),
                                             ("ci", r.intervals[l].map { .array([.double($0.lowerBound), .double($0.upperBound)]) } ?? .null)]))
                     })),
                     ("difference", .double(r.difference)), ("fisher_p", .double(r.fisherP))])
        })
        return CommandOutput(document: doc, json: json)
    }

    static let priorities = Command(PrioritiesCommand.self)

    struct PrioritiesCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "priorities", abstract: "each group's ranking of trust factors (Q10) and explanation strategies (Q11)",
            usage: "priorities",
            discussion: "Ranks, for each group, the trust factors (Q10) and explanation strategies (Q11) by the share of the group choosing them. The explanation generator orders each audience's text by these priorities.")
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            let survey = try session.requireSurvey()
            let grouping = try session.grouping(nil)
            let (trust, strategies) = try GroupPriorities.forExplanations(survey: survey, grouping: grouping)
            var doc = Document()
            var json: [(String, JSONValue)] = []
            for p in [trust, strategies] {
                let q = survey.questionnaire.question(p.question)
                doc.heading("\(p.question): \(q?.topic ?? "")")
                let depth = p.ranking.values.map(\.count).max() ?? 0
                doc.table(Table(columns: ["rank"] + grouping.levels.flatMap { [$0, "%"] },
                                alignments: [.right] + grouping.levels.flatMap { _ in [Table.Alignment.left, .right] },
                                rows: (0..<depth).map { k in
                                    // The share in a column of its own: a long label is shortened, never its share.
                                    [String(k + 1)] + grouping.levels.flatMap { l -> [String] in
                                        guard let r = p.ranking[l], k < r.count else { return ["", ""] }
                                        return [r[k].label, percent(r[k].share)]
                                    }
                                }))
                json.append((p.question, .object(grouping.levels.map { l in
                    (l, .array((p.ranking[l] ?? []).enumerated().map { k, f in .object([("rank", .int(k + 1)), ("code", .string(f.code)), ("label", .string(f.label)), ("share", .double(f.share)), ("count", .int(f.count)), ("n", .int(f.n))]) }))
                })))
            }
            return CommandOutput(document: doc, json: .object(json))
        }
    }
}
