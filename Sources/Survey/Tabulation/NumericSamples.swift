import Statistics

/// A numeric question's answers split by group (NaN for a missing answer), for `describe` and `compare`.
public struct NumericSamples: Sendable {
    public let question: Question
    public let levels: [String]
    /// `samples[i]` holds the answers of group `levels[i]`, missing ones as NaN.
    public let samples: [[Double]]

    public init(survey: Survey, question id: String, by grouping: GroupAssignment) throws {
        guard let q = survey.questionnaire.question(id) else {
            throw SurveyError.unknownQuestion(id: id, suggestion: Suggest.nearest(id, in: survey.questionnaire.questions.map(\.id)))
        }
        guard q.type == .numeric else { throw SurveyError.notNumeric(question: q.id, type: q.type.rawValue) }
        question = q
        levels = grouping.levels
        var samples = [[Double]](repeating: [], count: grouping.levels.count)
        if case .numbers(let values)? = survey.responses.columns[q.id] {
            for (row, v) in values.enumerated() {
                let level = Int(grouping.rowLevels[row])
                if level >= 0 && level < samples.count { samples[level].append(v) }
            }
        }
        self.samples = samples
    }

    /// The group comparison (Welch, rank tests) of these samples.
    public func comparison() throws -> NumericComparison {
        try NumericComparison(samples: samples)
    }
}
