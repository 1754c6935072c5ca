import Statistics

/// The survey gap: questions and sections ranked by how far the groups differ.
///
/// Effect sizes come with a 95% percentile bootstrap interval (B resamples of respondents within each group, so
/// group sizes stay fixed; seeded, so the same data and seed give the same interval).
public struct SurveyGap: Sendable {
    public struct Row: Sendable {
        public let comparison: GroupComparison
        public let interval: ClosedRange<Double>
        public let pAdjusted: Double
    }
    public struct SectionRow: Sendable {
        public let section: Section
        public let meanEffect: Double
        public let maxEffect: Double
        public let significant: Int
        public let questions: Int
    }

    public let rows: [Row]
    public let sections: [SectionRow]
    public let replicates: Int

    public init(survey: Survey, grouping: GroupAssignment, replicates: Int = 1000, seed: UInt64 = 1) throws {
        let comparisons = try GroupComparison.all(survey: survey, grouping: grouping)
        let adjusted = PValueAdjustment.holm.adjust(comparisons.map(\.p))
        var rng = SeededGenerator(seed: seed)
        var rows: [Row] = []
        for (k, c) in comparisons.enumerated() {
            // Resample respondents with replacement within each group (group sizes fixed) and recompute the effect.
            let x = c.crosstab
            let answers = x.selections, groupIndex = x.groupIndex
            let byGroup = (0..<x.rows.count).map { g in groupIndex.indices.filter { groupIndex[$0] == g } }
            var effects: [Double] = []
            effects.reserveCapacity(replicates)
            for _ in 0..<replicates {
                try Interruption.check()
                var groups: [Int] = [], selections: [[Bool]] = []
                for (g, members) in byGroup.enumerated() where !members.isEmpty {
                    for _ in members {
                        groups.append(g)
                        selections.append(answers[members[Int(rng.nextUniform() * Double(members.count))]])
                    }
                }
                if let e = GroupComparison.effectSize(groups: groups, selections: selections, multiAnswer: x.isMultiAnswer, groupCount: x.rows.count) {
                    effects.append(e)
                }
            }
            let lo = Quantile.type7(effects, 0.025) ?? c.effectSize, hi = Quantile.type7(effects, 0.975) ?? c.effectSize
            rows.append(Row(comparison: c, interval: min(lo, hi)...max(lo, hi), pAdjusted: adjusted[k] ?? 1))
        }
        self.rows = rows.sorted { $0.comparison.effectSize > $1.comparison.effectSize }
        self.replicates = replicates
        sections = survey.questionnaire.sections.filter(\.compare).compactMap { section in
            let mine = rows.filter { r in section.questions.contains { $0.id == r.comparison.question.id } }
            guard !mine.isEmpty else { return nil }
            let effects = mine.map(\.comparison.effectSize)
            return SectionRow(section: section, meanEffect: effects.reduce(0, +) / Double(effects.count), maxEffect: effects.max() ?? 0,
                              significant: mine.filter { $0.comparison.p < 0.05 }.count, questions: mine.count)
        }.sorted { $0.meanEffect > $1.meanEffect }
    }
}
