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
    /// What the record says twice in ways that cannot both be true (`RecordConsistency`).
    public let findings: [RecordFinding]
    /// Each test set's true contour quality (the `dice` column), sorted: where a case's estimated Dice falls.
    public let dice: [String: [Double]]

    public init(checks: [MetricCheck] = [], note: String? = nil, findings: [RecordFinding] = [], dice: [String: [Double]] = [:]) {
        self.checks = checks
        self.note = note
        self.findings = findings
        self.dice = dice
    }

    /// No per-case data: every figure is "as reported".
    public static let none = RecordEvidence()

    /// The evidence of a record: its predictions file recomputed, or none when it names no file.
    public static func of(_ record: ValidationRecord) throws -> RecordEvidence {
        guard let predictions = try Predictions.load(for: record) else {
            return RecordEvidence(findings: RecordConsistency.findings(record, predictions: nil))
        }
        var dice: [String: [Double]] = [:]
        if record.model.task == .segmentation, predictions.has("dice") {
            for t in record.testSets where predictions.cannotSelect(testSet: t.id, subgroup: nil) == nil {
                let values = try predictions.numbers("dice", try predictions.select(testSet: t.id, subgroup: nil))
                if !values.isEmpty { dice[t.id] = values.sorted() }
            }
        }
        return RecordEvidence(checks: try Recomputation.checks(record, predictions: predictions), note: predictions.soleTestSet?.reason,
                              findings: RecordConsistency.findings(record, predictions: predictions), dice: dice)
    }

    /// The check of one reported figure.
    func check(metric: String, testSet: String, subgroup: ValidationRecord.Subgroup?) -> MetricCheck? {
        checks.first { $0.metric == metric && $0.testSet == testSet && $0.subgroup?.attribute == subgroup?.attribute && $0.subgroup?.value == subgroup?.value && $0.reported != nil }
    }

    /// Where a probability falls in each test set's reliability table, and whether the model was off there: the
    /// case's own estimate lies outside the Wilson 95% interval of the observed rate of its bin. A test set's overall
    /// ECE says nothing of one bin, so it never makes a caution (a bin that agrees with the estimate is not "off"
    /// because other bins were).
    func calibration(at p: Double) -> [CalibrationAtProbability] {
        checks.compactMap { c -> CalibrationAtProbability? in
            guard c.metric == "ece", let ece = c.recomputed else { return nil }
            let last = c.reliability.count - 1
            guard let bin = c.reliability.enumerated().first(where: { k, b in p >= b.lower && (p < b.upper || (k == last && p <= b.upper)) })?.element,
                  bin.n > 0 else { return nil }
            let had = Int((bin.observed * Double(bin.n)).rounded())
            guard let w = try? WilsonInterval(successes: had, trials: bin.n) else { return nil }
            let direction: CalibrationAtProbability.Direction = p < w.lower ? .moreOften : p > w.upper ? .lessOften : .agrees
            return CalibrationAtProbability(testSet: c.testSet, lower: bin.lower, upper: bin.upper, n: bin.n, had: had, meanPredicted: bin.meanConfidence,
                                            observed: bin.observed, interval: w.lower...w.upper, ece: ece, direction: direction)
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
    /// How the observed rate stands to the case's estimate: the condition more often than estimated (the Wilson
    /// interval lies above the estimate), less often (below it), or in agreement (the interval holds it).
    public enum Direction: String, Sendable { case moreOften = "more_often", lessOften = "less_often", agrees }
    public let direction: Direction
    /// The model's estimate for this case lies outside what its bin observed on this test set.
    public var off: Bool { direction != .agrees }
}

/// A reported figure as the recomputation judged it (`MetricCheck`), kept on the fact that states it.
public struct FigureCheck: Sendable, Equatable {
    public let verdict: MetricCheck.Verdict
    public let recomputed: Double?
    public let ci: ClosedRange<Double>?
    public let n: Int
    public let reason: String?
}
