/// Statistical disclosure control for published tables: a cell of fewer than k respondents (1 ≤ n < k) in a group,
/// for one profile attribute or for a combination of two (age × workplace), may identify a person who is known to
/// have answered (the "over 60 and in a company" respondent). Lists such cells so a report can warn or suppress.
public struct DisclosureCheck: Sendable {
    public struct RiskyCell: Sendable, Equatable {
        public let group: String
        /// "Q1 = Over 60 years" or "Q1 = Over 60 years × Q3 = Company".
        public let description: String
        public let count: Int
        /// Answer codes, per question id, that make up the cell.
        public let codes: [String: String]
    }

    public let k: Int
    public let cells: [RiskyCell]

    /// Which attributes were scanned: the profile's, or every single-answer question when there is no profile.
    public let scope: String

    /// Profile attributes are the single-answer questions of sections left out of comparisons (`compare: false`),
    /// metadata aside. A survey without a profile (an inferred one) has its every single-answer question scanned:
    /// any of them may be what identifies someone.
    public init(survey: Survey, grouping: GroupAssignment, k: Int = 3) {
        self.k = k
        let profile = survey.questionnaire.sections.filter { !$0.compare && $0.id != "metadata" }.flatMap(\.questions).filter { $0.type == .single }
        let attributes = profile.isEmpty
            ? survey.questionnaire.sections.filter { $0.id != "metadata" }.flatMap(\.questions).filter { $0.type == .single && $0.id != grouping.variable.name }
            : profile
        scope = profile.isEmpty ? "every single-answer question (the survey has no profile section)" : "the profile's single-answer questions"
        var cells: [RiskyCell] = []
        for level in grouping.levels {
            let members = grouping.members(level, in: survey)
            func code(_ r: Respondent, _ q: Question) -> String? { r.answer(q.id).codes.first }
            for (i, a) in attributes.enumerated() {
                var single: [String: Int] = [:]
                for r in members { if let c = code(r, a) { single[c, default: 0] += 1 } }
                for (c, n) in single where n < k {
                    cells.append(RiskyCell(group: level, description: "\(a.id) = \(a.option(c)?.label ?? c)", count: n, codes: [a.id: c]))
                }
                for b in attributes[(i + 1)...] {
                    var pairs: [String: Int] = [:]
                    for r in members { if let x = code(r, a), let y = code(r, b) { pairs["\(x)\u{1F}\(y)", default: 0] += 1 } }
                    for (key, n) in pairs where n < k {
                        let parts = key.split(separator: "\u{1F}").map(String.init)
                        guard parts.count == 2 else { continue }
                        cells.append(RiskyCell(group: level, description: "\(a.id) = \(a.option(parts[0])?.label ?? parts[0]) × \(b.id) = \(b.option(parts[1])?.label ?? parts[1])",
                                               count: n, codes: [a.id: parts[0], b.id: parts[1]]))
                    }
                }
            }
        }
        self.cells = cells.sorted { ($0.group, $0.count, $0.description) < ($1.group, $1.count, $1.description) }
    }
}
