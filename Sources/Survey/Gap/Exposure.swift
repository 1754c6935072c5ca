import Statistics

/// Where a group would benefit from further exposure (the paper's phrase): questions where it answers "I don't
/// know", "out of my expertise" or "only if time allows" (the questionnaire's flags) more often than the other
/// group. Each row gives both groups' counts and shares with Wilson 95% intervals, the difference, and Fisher's
/// exact p for the 2 × 2 table (flagged / not, by group).
public struct Exposure: Sendable {
    public struct Row: Sendable {
        public let question: Question
        public let flaggedCodes: [String]
        public let counts: [String: (flagged: Int, n: Int)]
        public let intervals: [String: ClosedRange<Double>]
        /// The group with the larger share, and the difference in shares.
        public let higher: String
        public let difference: Double
        public let fisherP: Double?
    }

    public let rows: [Row]
    public static let flags: Set<AnswerFlag> = [.dontKnow, .outOfExpertise, .timePermitting]

    public init(survey: Survey, grouping: GroupAssignment) throws {
        var rows: [Row] = []
        for q in survey.questionnaire.sections.filter(\.compare).flatMap(\.questions) where q.isCategorical {
            let flagged = q.options.filter { $0.flag.map(Self.flags.contains) ?? false }.map(\.code)
            guard !flagged.isEmpty else { continue }
            var counts: [String: (Int, Int)] = [:]
            var intervals: [String: ClosedRange<Double>] = [:]
            // A blank multi-answer cell is an answer with nothing ticked under the MRCV convention.
            let blankAnswers = q.type == .multi && survey.blankMultiAnswer == .tickedNothing
            for level in grouping.levels {
                let answered = grouping.members(level, in: survey).filter { blankAnswers || !$0.answer(q.id).isMissing }
                let k = answered.filter { !Set($0.answer(q.id).codes).isDisjoint(with: flagged) }.count
                counts[level] = (k, answered.count)
                if let w = try? WilsonInterval(successes: k, trials: answered.count) { intervals[level] = w.lower...w.upper }
            }
            let shares = grouping.levels.map { l -> (String, Double) in
                let c = counts[l] ?? (0, 0)
                return (l, c.1 > 0 ? Double(c.0) / Double(c.1) : 0)
            }
            guard let top = shares.max(by: { $0.1 < $1.1 }), let bottom = shares.min(by: { $0.1 < $1.1 }), top.1 > bottom.1 else { continue }
            let table = grouping.levels.map { l -> [Int] in let c = counts[l] ?? (0, 0); return [c.0, c.1 - c.0] }
            let p = try (try? ContingencyTable(table)).map { try FisherExact($0).p }
            rows.append(Row(question: q, flaggedCodes: flagged, counts: counts.mapValues { (flagged: $0.0, n: $0.1) }, intervals: intervals,
                            higher: top.0, difference: top.1 - bottom.1, fisherP: p))
        }
        self.rows = rows.sorted { $0.difference > $1.difference }
    }

    public func rows(for group: String) -> [Row] { rows.filter { $0.higher == group } }
}
