import Foundation
import Statistics

/// One line of `metrics RECORD`: a figure as reported beside the same figure recomputed from per-case data.
public struct MetricCheck: Sendable, Encodable {
    public let metric: String
    public let testSet: String
    public let subgroup: ValidationRecord.Subgroup?
    public let reported: Double?
    public let reportedCI: ClosedRange<Double>?
    public let recomputed: Double?
    public let ci: ClosedRange<Double>?
    public let ciMethod: String
    public let n: Int
    /// Why the two disagree, or nil.
    public let flag: String?
    /// Where the reported figure sits in the record, for traceability.
    public let source: String?
    /// The reliability table behind an ECE/MCE line, and the risk–coverage curve behind an AURC line.
    public var reliability: [ClassificationMetrics.ReliabilityBin] = []
    /// What the recomputation says of the reported figure.
    public enum Verdict: String, Sendable {
        /// Recomputed, and within the reported CI (or tolerance).
        case supported
        /// Recomputed, and outside it: the reported figure could not be reproduced.
        case contradicted
        /// Reported, but the per-case data cannot give it (no rows, no column, one class).
        case cannotRecompute = "cannot_recompute"
        /// Not reported; recomputed only.
        case computedOnly = "computed_only"
    }
    public var verdict: Verdict {
        if reported == nil { return .computedOnly }
        if recomputed == nil { return .cannotRecompute }
        return flag == nil ? .supported : .contradicted
    }
    public var riskCoverage: [(coverage: Double, risk: Double)] = []

    enum CodingKeys: String, CodingKey {
        case metric, testSet = "test_set", subgroup, reported, reportedCI = "reported_ci", recomputed, ci, ciMethod = "ci_method", n, flag
        case verdict, source, reliability, riskCoverage = "risk_coverage"
    }

    /// The shape `metrics --format json` prints and the tidy CSV reads: intervals as [low, high], the subgroup as
    /// its attribute and value, and empty tables as null.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(metric, forKey: .metric)
        try c.encode(testSet, forKey: .testSet)
        try c.encodeIfPresent(subgroup.map { Named(attribute: $0.attribute, value: $0.value) }, forKey: .subgroup)
        try c.encodeIfPresent(reported, forKey: .reported)
        try c.encodeIfPresent(reportedCI.map { [$0.lowerBound, $0.upperBound] }, forKey: .reportedCI)
        try c.encodeIfPresent(recomputed, forKey: .recomputed)
        try c.encodeIfPresent(ci.map { [$0.lowerBound, $0.upperBound] }, forKey: .ci)
        try c.encode(ciMethod, forKey: .ciMethod)
        try c.encode(n, forKey: .n)
        try c.encodeIfPresent(flag, forKey: .flag)
        try c.encode(verdict.rawValue, forKey: .verdict)
        try c.encodeIfPresent(source, forKey: .source)
        try c.encodeIfPresent(reliability.isEmpty ? nil : reliability, forKey: .reliability)
        try c.encodeIfPresent(riskCoverage.isEmpty ? nil : riskCoverage.map { [$0.coverage, $0.risk] }, forKey: .riskCoverage)
    }

    /// A subgroup as {attribute, value}: the predictions column it may name is the record's business, not the result's.
    private struct Named: Encodable { let attribute: String, value: String }
}

/// Recomputes what a record reports from its predictions file, and adds what it could have reported.
///
/// Classification columns: `y_true` (0/1), `p` (positive-class probability), optional `conformal_set` (labels
/// joined by `;`). Segmentation: `dice`, `hd95`. Regression: `y_true`, `y_pred`, optional `lower`, `upper`.
/// A reported figure is flagged when the recomputed value lies outside its reported CI, or, without a CI, differs
/// by more than 0.01 (RECORDS.md) for figures on a 0–1 scale, and by more than 1% of the reported value for
/// figures in units (MSE in mL², HD95 in mm), where 0.01 would flag mere rounding.
public enum Recomputation {
    public static func checks(_ record: ValidationRecord, predictions: Predictions) throws -> [MetricCheck] {
        var out: [MetricCheck] = []
        for r in record.performance {
            if let why = predictions.cannotSelect(testSet: r.testSet, subgroup: r.subgroup) {
                out.append(check(metric: r.metric, testSet: r.testSet, subgroup: r.subgroup, reported: r.value, reportedCI: r.ci, recomputed: nil, ci: nil,
                                 method: why, n: 0, source: r.jsonPath))
                continue
            }
            let idx = try predictions.select(testSet: r.testSet, subgroup: r.subgroup)
            let (value, ci, method) = try compute(r.metric, record: record, predictions: predictions, idx: idx, threshold: r.threshold ?? 0.5,
                                                  level: r.ciLevel ?? 0.95)
            out.append(check(metric: r.metric, testSet: r.testSet, subgroup: r.subgroup, reported: r.value, reportedCI: r.ci,
                             recomputed: value, ci: ci, method: method, n: idx.count, source: r.jsonPath))
        }
        let testSets = record.testSets.map(\.id).isEmpty ? [""] : record.testSets.map(\.id)
        if record.model.task == .classification {
            for t in testSets where predictions.cannotSelect(testSet: t, subgroup: nil) == nil {
                let idx = try predictions.select(testSet: t.isEmpty ? nil : t, subgroup: nil)
                let y = try predictions.outcomes("y_true", idx), p = try predictions.numbers("p", idx)
                if !record.performance.contains(where: { $0.metric == "brier" && $0.testSet == t }), let b = ClassificationMetrics.brier(y: y, p: p) {
                    out.append(check(metric: "brier", testSet: t, subgroup: nil, reported: nil, reportedCI: nil, recomputed: b, ci: nil, method: "", n: idx.count, source: nil))
                }
                let bins = record.calibration?.bins ?? 10, binning = record.calibration?.binning ?? "equal_width"
                if let c = ClassificationMetrics.calibration(y: y, p: p, bins: bins, binning: binning) {
                    let reported = record.calibration?.testSet == t || (record.calibration?.testSet == nil && t == testSets.first) ? record.calibration?.ece : nil
                    var ece = check(metric: "ece", testSet: t, subgroup: nil, reported: reported, reportedCI: nil, recomputed: c.ece, ci: nil,
                                    method: "\(bins) \(binning.replacingOccurrences(of: "_", with: "-")) bins on p", n: idx.count, source: reported == nil ? nil : "calibration.ece")
                    ece.reliability = c.table
                    out.append(ece)
                    out.append(check(metric: "mce", testSet: t, subgroup: nil, reported: nil, reportedCI: nil, recomputed: c.mce, ci: nil,
                                     method: "\(bins) \(binning.replacingOccurrences(of: "_", with: "-")) bins on p", n: idx.count, source: nil))
                }
                if let rc = ClassificationMetrics.riskCoverage(y: y, p: p, threshold: 0.5) {
                    var aurc = check(metric: "aurc", testSet: t, subgroup: nil, reported: nil, reportedCI: nil, recomputed: rc.aurc, ci: nil,
                                     method: "confidence max(p, 1-p), threshold 0.5", n: idx.count, source: nil)
                    aurc.riskCoverage = rc.curve
                    out.append(aurc)
                }
                if predictions.has("conformal_set"), let conformal = record.uncertainty?.conformal {
                    let labels = record.classLabels
                    let sets = try predictions.texts("conformal_set", idx).map { Set($0.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }) }
                    let covered = zip(y, sets).filter { $0.1.contains($0.0 == 1 ? labels.positive : labels.negative) }.count
                    let reported = (conformal.testSet ?? testSets.first) == t ? conformal.empiricalCoverage : nil
                    let w = try? WilsonInterval(successes: covered, trials: idx.count)
                    out.append(check(metric: "conformal_coverage", testSet: t, subgroup: nil, reported: reported, reportedCI: nil,
                                     recomputed: idx.isEmpty ? nil : Double(covered) / Double(idx.count), ci: w.map { $0.lower...$0.upper },
                                     method: "Wilson; target \(String(format: "%.2f", 1 - conformal.alpha))", n: idx.count,
                                     source: reported == nil ? nil : "uncertainty.conformal.empirical_coverage"))
                }
            }
        }
        if record.model.task == .segmentation && predictions.has("dice") {
            for t in testSets where predictions.cannotSelect(testSet: t, subgroup: nil) == nil {
                let idx = try predictions.select(testSet: t.isEmpty ? nil : t, subgroup: nil)
                let d = try predictions.numbers("dice", idx)
                if let median = Quantile.type7(d, 0.5), let q1 = Quantile.type7(d, 0.25), let q3 = Quantile.type7(d, 0.75) {
                    out.append(check(metric: "dice_median", testSet: t, subgroup: nil, reported: nil, reportedCI: nil, recomputed: median, ci: nil,
                                     method: String(format: "IQR %.3f–%.3f; %d of %d below 0.7", q1, q3, d.filter { $0 < 0.7 }.count, d.count), n: idx.count, source: nil))
                }
            }
        }
        return out
    }

    static let undefinedOneClass = "undefined: only one class in this test set"

    static func compute(_ metric: String, record: ValidationRecord, predictions: Predictions, idx: [Int], threshold: Double,
                        level: Double) throws -> (Double?, ClosedRange<Double>?, String) {
        switch metric {
        case "auc":
            let y = try predictions.outcomes("y_true", idx), p = try predictions.numbers("p", idx)
            // AUC compares positives with negatives: with one class it is undefined, not merely not recomputable.
            if Set(y).count < 2 { return (nil, nil, Self.undefinedOneClass) }
            guard let d = ClassificationMetrics.delongInterval(y: y, p: p, level: level) else { return (ClassificationMetrics.auc(y: y, p: p), nil, "DeLong") }
            return (d.auc, d.ci, "DeLong")
        case "sensitivity", "specificity", "ppv", "npv", "accuracy":
            let y = try predictions.outcomes("y_true", idx), p = try predictions.numbers("p", idx)
            let c = ClassificationMetrics.confusion(y: y, p: p, threshold: threshold)
            let (k, n): (Int, Int) = switch metric {
            case "sensitivity": (c.tp, c.tp + c.fn)
            case "specificity": (c.tn, c.tn + c.fp)
            case "ppv": (c.tp, c.tp + c.fp)
            case "npv": (c.tn, c.tn + c.fn)
            default: (c.tp + c.tn, y.count)
            }
            guard n > 0 else {
                let none: String = switch metric {
                case "sensitivity": "no positive cases"
                case "specificity": "no negative cases"
                case "ppv": "no positive predictions"
                case "npv": "no negative predictions"
                default: "no cases"
                }
                return (nil, nil, "undefined: \(none) in this test set")
            }
            let w = try WilsonInterval(successes: k, trials: n, confidence: level)
            return (Double(k) / Double(n), w.lower...w.upper, "Wilson at p ≥ \(threshold)")
        case "brier":
            return (ClassificationMetrics.brier(y: try predictions.outcomes("y_true", idx), p: try predictions.numbers("p", idx)), nil, "")
        case "dice", "hd95":
            let m = ContinuousMetrics.mean(try predictions.numbers(metric, idx), level: level)
            return (m?.mean, m?.ci, "mean ± z·SD/√n")
        case "mae", "mse", "rmse":
            let y = try predictions.numbers("y_true", idx), yp = try predictions.numbers("y_pred", idx)
            let errors = zip(y, yp).map { metric == "mae" ? abs($0 - $1) : ($0 - $1) * ($0 - $1) }
            if metric == "mae", let m = ContinuousMetrics.mean(errors, level: level) { return (m.mean, m.ci, "mean ± z·SD/√n") }
            let mse = errors.reduce(0, +) / Double(max(1, errors.count))
            return (metric == "rmse" ? mse.squareRoot() : mse, nil, "")
        case "interval_coverage":
            let y = try predictions.numbers("y_true", idx), lo = try predictions.numbers("lower", idx), hi = try predictions.numbers("upper", idx)
            let k = zip(y, zip(lo, hi)).filter { $0.0 >= $0.1.0 && $0.0 <= $0.1.1 }.count
            let w = try WilsonInterval(successes: k, trials: max(1, idx.count), confidence: level)
            return (idx.isEmpty ? nil : Double(k) / Double(idx.count), w.lower...w.upper, "Wilson")
        default:
            return (nil, nil, "not recomputable from per-case data")
        }
    }

    static func check(metric: String, testSet: String, subgroup: ValidationRecord.Subgroup?, reported: Double?, reportedCI: ClosedRange<Double>?,
                      recomputed: Double?, ci: ClosedRange<Double>?, method: String, n: Int, source: String?) -> MetricCheck {
        var flag: String?
        if let rep = reported, let re = recomputed {
            if let rci = reportedCI, !rci.contains(re) {
                flag = String(format: "recomputed %.3f lies outside the reported CI [%.3f, %.3f]", re, rci.lowerBound, rci.upperBound)
            } else if reportedCI == nil {
                let unitScale = abs(rep) > 1
                let tolerance = unitScale ? 0.01 * abs(rep) : 0.01
                if abs(rep - re) > tolerance {
                    flag = String(format: "recomputed %.3f differs from the reported %.3f by more than ", re, rep) + (unitScale ? "1%" : "0.01")
                }
            }
        } else if reported != nil && recomputed == nil {
            flag = method.hasPrefix("undefined") || method.hasPrefix("cannot recompute") ? method : "cannot be recomputed from the per-case data"
        }
        return MetricCheck(metric: metric, testSet: testSet, subgroup: subgroup, reported: reported, reportedCI: reportedCI, recomputed: recomputed,
                           ci: ci, ciMethod: method, n: n, flag: flag, source: source)
    }
}
