import Statistics

/// The survey gap: questions and sections ranked by how far the groups differ.
///
/// Each effect size comes with its one-sided 95% lower confidence bound by noncentral chi-square inversion (see
/// `CramersVBound`), which always lies at or below the estimate; the percentile bootstrap used before could give
/// an interval that excluded its own estimate (0.076 with 0.09–0.23).
public struct SurveyGap: Sendable {
    public struct Row: Sendable {
        public let comparison: GroupComparison
        /// From the lower confidence bound to 1.
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

    public init(survey: Survey, grouping: GroupAssignment) throws {
        let comparisons = try GroupComparison.all(survey: survey, grouping: grouping)
        let adjusted = PValueAdjustment.holm.adjust(comparisons.map(\.p))
        var rows: [Row] = []
        for (k, c) in comparisons.enumerated() {
            try Interruption.check()
            rows.append(Row(comparison: c, interval: min(c.effectLowerBound, 1)...1, pAdjusted: adjusted[k] ?? 1))
        }
        self.rows = rows.sorted { $0.comparison.effectSize > $1.comparison.effectSize }
        sections = survey.questionnaire.sections.filter(\.compare).compactMap { section in
            let mine = rows.filter { r in section.questions.contains { $0.id == r.comparison.question.id } }
            guard !mine.isEmpty else { return nil }
            let effects = mine.map(\.comparison.effectSize)
            return SectionRow(section: section, meanEffect: effects.reduce(0, +) / Double(effects.count), maxEffect: effects.max() ?? 0,
                              significant: mine.filter { $0.comparison.p < 0.05 }.count, questions: mine.count)
        }.sorted { $0.meanEffect > $1.meanEffect }
    }
}
