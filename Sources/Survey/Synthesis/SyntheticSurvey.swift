import Foundation
import Statistics

/// A synthetic survey of a questionnaire's shape, for benchmarks and for trying the tool at national-survey scale:
/// the canonical wide layout (respondent id, then one column per question, multi-answer cells `;`-joined, and a
/// `group` column with the group the roles give), every value drawn from a seeded generator so a given seed always
/// gives the same file.
///
/// The model: each respondent first gets a group (technical 55%, clinical 35%, both 7%, neither 3%) and roles that
/// the questionnaire's grouping rule maps back to it. For every other question a base answer distribution is drawn
/// once; in about half of the compared questions the clinical group's distribution is tilted (each option's weight
/// times a log-normal factor), in the rest both groups answer alike, so a test has real differences to find and real
/// nulls to leave alone. Multi-answer options are ticked independently (at least one per answer). About 2% of
/// answers are left blank; 8% of open answers are filled from a small bank of texts with commas, quotes, line breaks
/// and non-ASCII letters, so the file exercises the CSV reader as real exports do.
public struct SyntheticSurvey: Sendable {
    public let questionnaire: Questionnaire
    public let respondents: Int
    public let seed: UInt64

    public init(questionnaire: Questionnaire, respondents: Int, seed: UInt64) {
        self.questionnaire = questionnaire
        self.respondents = respondents
        self.seed = seed
    }

    /// The header: the respondent id column, every question id in questionnaire order, then `group`.
    public var header: [String] {
        [questionnaire.respondentIDColumn] + questionnaire.questions.map(\.id) + (questionnaire.grouping == nil ? [] : ["group"])
    }

    static let openAnswers = [
        "Performance over time: models drift when scanners change, so monitoring after deployment matters.",
        "Fairness across sites, \"especially\" for under-represented groups.",
        "Clinical usefulness; not only AUC",
        "External validation on data from another hospital (multi-centre, prospective).",
        "Explainability that a radiologist can check in seconds.\nAnd a clear statement of the intended use.",
        "Robustness to protocol changes – e.g. slice thickness, b-values, vendor.",
        "Données de qualité et annotation par deux experts.",
        "Uncertainty per case, so that low-confidence cases go to a second reader.",
    ]

    /// How one question is answered: per group (technical, clinical, other) option weights or tick probabilities.
    enum Model {
        case roles
        case choice(codes: [String], cumulative: [[Double]])
        case ticks(codes: [String], probability: [[Double]])
        case number(mean: Double, sd: Double)
        case open
    }

    /// Calls `body` with each row's cells (unquoted), in order.
    public func generate(_ body: ([String]) throws -> Void) rethrows {
        var rng = SeededGenerator(seed: seed)
        let questions = questionnaire.questions
        let compared = Set(questionnaire.sections.filter(\.compare).flatMap(\.questions).map(\.id))
        let roleQuestion = questionnaire.grouping?.question
        let models: [Model] = questions.map { q in
            if q.id == roleQuestion { return .roles }
            let differs = compared.contains(q.id) && rng.nextUniform() < 0.5
            switch q.type {
            case .single, .likert:
                let codes = q.categories.map(\.code)
                let base = codes.map { _ in -log(1 - rng.nextUniform()) + 0.05 }
                let clinical = differs ? base.map { $0 * exp(0.6 * Self.normal(&rng)) } : base
                let cumulative = [base, clinical, base].map { w -> [Double] in
                    let total = w.reduce(0, +)
                    var run = 0.0
                    return w.map { run += $0 / total; return run }
                }
                return .choice(codes: codes, cumulative: cumulative)
            case .multi:
                let codes = q.categories.map(\.code)
                let base = codes.map { _ in 0.05 + 0.5 * rng.nextUniform() }
                let clinical = differs ? base.map { min(0.95, $0 * exp(0.5 * Self.normal(&rng))) } : base
                return .ticks(codes: codes, probability: [base, clinical, base])
            case .numeric:
                return .number(mean: 10 + 40 * rng.nextUniform(), sd: 2 + 8 * rng.nextUniform())
            case .open:
                return .open
            }
        }
        let roles = RoleSampler(questionnaire: questionnaire)
        let width = String(respondents).count
        let rule = questionnaire.grouping
        var cells = [String](repeating: "", count: questions.count + 1 + (rule == nil ? 0 : 1))
        for r in 0..<respondents {
            let digits = String(r + 1)
            cells[0] = "S" + String(repeating: "0", count: width - digits.count) + digits
            let u = rng.nextUniform()
            let group = u < 0.55 ? 0 : u < 0.90 ? 1 : u < 0.97 ? 2 : 3
            let profile = group == 1 ? 1 : group == 0 ? 0 : 2
            for (k, model) in models.enumerated() {
                let blank = rng.nextUniform() < 0.02
                switch model {
                case .roles:
                    let drawn = roles.roles(for: group, &rng)
                    cells[k + 1] = drawn.joined(separator: ";")
                    // The group the questionnaire's rule gives these roles (optional groups off), for tools that do
                    // not know the rule; empty when the roles fit no group.
                    if let rule { cells[cells.count - 1] = rule.group(for: drawn) ?? "" }
                case .choice(let codes, let cumulative):
                    let x = rng.nextUniform()
                    let c = cumulative[profile]
                    var j = 0
                    while j < c.count - 1 && x >= c[j] { j += 1 }
                    cells[k + 1] = blank ? "" : codes[j]
                case .ticks(let codes, let probability):
                    var ticked: [String] = []
                    for (j, p) in probability[profile].enumerated() where rng.nextUniform() < p { ticked.append(codes[j]) }
                    if ticked.isEmpty { ticked.append(codes[Int(rng.nextUniform() * Double(codes.count))]) }
                    cells[k + 1] = blank ? "" : ticked.joined(separator: ";")
                case .number(let mean, let sd):
                    let v = (mean + sd * Self.normal(&rng)) * 10
                    cells[k + 1] = blank ? "" : String(v.rounded() / 10)
                case .open:
                    cells[k + 1] = rng.nextUniform() < 0.08 ? Self.openAnswers[Int(rng.nextUniform() * Double(Self.openAnswers.count))] : ""
                }
            }
            try body(cells)
        }
    }

    /// A standard normal draw (Box–Muller; one of the pair is enough here).
    static func normal(_ rng: inout SeededGenerator) -> Double {
        let u = max(rng.nextUniform(), 1e-300), v = rng.nextUniform()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// Roles that the questionnaire's grouping rule maps to the wanted group: one code from each requirement of the
    /// group's rule (technical 0, clinical 1, both 2), and for "neither" (3) only codes no rule asks for.
    struct RoleSampler {
        let technical: [[String]]
        let clinical: [[String]]
        let neither: [String]

        init(questionnaire: Questionnaire) {
            let rules = questionnaire.grouping?.rules ?? []
            let required = rules.filter { !$0.optional }
            technical = required.first?.requires ?? []
            clinical = required.dropFirst().first?.requires ?? []
            let asked = Set(rules.flatMap { $0.requires.flatMap { $0 } })
            let all = questionnaire.grouping.flatMap { questionnaire.question($0.question) }?.categories.map(\.code) ?? []
            neither = all.filter { !asked.contains($0) }
        }

        func roles(for group: Int, _ rng: inout SeededGenerator) -> [String] {
            func pick(_ options: [String]) -> String? {
                options.isEmpty ? nil : options[Int(rng.nextUniform() * Double(options.count))]
            }
            var out: [String] = []
            switch group {
            case 0: out = technical.compactMap(pick)
            case 1: out = clinical.compactMap(pick)
            case 2: out = (technical + clinical).compactMap(pick)
            default: out = pick(neither).map { [$0] } ?? []
            }
            // A second role from the same side now and then, as people often hold two.
            if group < 2, rng.nextUniform() < 0.3, let extra = pick((group == 0 ? technical : clinical).flatMap { $0 }), !out.contains(extra) {
                out.append(extra)
            }
            return out
        }
    }
}
