import Foundation
import Statistics
import Validation

/// What a record's per-case data say of it (`Recomputation.checks` on its predictions file): whether each reported
/// figure was reproduced, and how well calibrated the probabilities were in each range. Explanations state a
/// reported figure as fact only when the recomputation supports it, and tell the reader of a probability when the
/// model was off in that probability's range.
public struct RecordEvidence: Sendable {
    public let checks: [MetricCheck]
    /// How the predictions file was matched to the record's test sets, when that was a choice (no test_set column).
    public let note: String?

    public init(checks: [MetricCheck] = [], note: String? = nil) {
        self.checks = checks
        self.note = note
    }

    /// No per-case data: every figure is "as reported".
    public static let none = RecordEvidence()

    /// The evidence of a record: its predictions file recomputed, or none when it names no file.
    public static func of(_ record: ValidationRecord) throws -> RecordEvidence {
        guard let predictions = try Predictions.load(for: record) else { return .none }
        return RecordEvidence(checks: try Recomputation.checks(record, predictions: predictions), note: predictions.soleTestSet?.reason)
    }

    /// The check of one reported figure.
    func check(metric: String, testSet: String, subgroup: ValidationRecord.Subgroup?) -> MetricCheck? {
        checks.first { $0.metric == metric && $0.testSet == testSet && $0.subgroup?.attribute == subgroup?.attribute && $0.subgroup?.value == subgroup?.value && $0.reported != nil }
    }

    /// Where a probability falls in each test set's reliability table, and whether the model was off there: the
    /// mean predicted probability of the bin lies outside the Wilson 95% interval of the observed rate, or the test
    /// set's ECE is poor (`Levels.ece`).
    func calibration(at p: Double) -> [CalibrationAtProbability] {
        checks.compactMap { c -> CalibrationAtProbability? in
            guard c.metric == "ece", let ece = c.recomputed else { return nil }
            let last = c.reliability.count - 1
            guard let bin = c.reliability.enumerated().first(where: { k, b in p >= b.lower && (p < b.upper || (k == last && p <= b.upper)) })?.element,
                  bin.n > 0 else { return nil }
            let had = Int((bin.observed * Double(bin.n)).rounded())
            guard let w = try? WilsonInterval(successes: had, trials: bin.n) else { return nil }
            let outside = bin.meanConfidence < w.lower || bin.meanConfidence > w.upper
            return CalibrationAtProbability(testSet: c.testSet, lower: bin.lower, upper: bin.upper, n: bin.n, had: had, meanPredicted: bin.meanConfidence,
                                            observed: bin.observed, interval: w.lower...w.upper, ece: ece,
                                            off: outside || Levels.ece(ece).0 == "poor")
        }
    }
}

/// One test set's reliability-table bin around a case's probability.
public struct CalibrationAtProbability: Sendable, Equatable {
    public let testSet: String
    public let lower: Double, upper: Double
    public let n: Int
    /// Cases of the bin that had the condition.
    public let had: Int
    public let meanPredicted: Double
    public let observed: Double
    /// Wilson 95% interval of the observed rate.
    public let interval: ClosedRange<Double>
    public let ece: Double
    /// The model's estimates in this range were off in this test set.
    public let off: Bool
}

/// A reported figure as the recomputation judged it (`MetricCheck`), kept on the fact that states it.
public struct FigureCheck: Sendable, Equatable {
    public let verdict: MetricCheck.Verdict
    public let recomputed: Double?
    public let ci: ClosedRange<Double>?
    public let n: Int
    public let reason: String?
}
