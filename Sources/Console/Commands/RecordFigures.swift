import Explain
import Render
import Statistics
import Validation

/// The figures a validation paper prints, drawn from a record's per-case predictions for its report: per test set,
/// the ROC curve with a confidence band, the reliability diagram and the risk–coverage curve. Records without
/// predictions, or of another task, have none.
enum RecordFigures {
    static let band = "95% Wilson interval of the sensitivity at each threshold"

    static func figures(_ record: ValidationRecord) throws -> [(name: String, svg: String)] {
        guard record.model.task == .classification, let predictions = try Predictions.load(for: record) else { return [] }
        let checks = try Recomputation.checks(record, predictions: predictions)
        let testSets = record.testSets.map(\.id).isEmpty ? [""] : record.testSets.map(\.id)
        var out: [(name: String, svg: String)] = []
        for t in testSets where predictions.cannotSelect(testSet: t, subgroup: nil) == nil {
            let idx = try predictions.select(testSet: t.isEmpty ? nil : t, subgroup: nil)
            let y = try predictions.outcomes("y_true", idx), p = try predictions.numbers("p", idx)
            let named = t.isEmpty ? "" : " (\(t))", file = t.isEmpty ? "" : "-\(FileNames.safe(t))"
            let points = try rocPoints(y: y, p: p)
            if points.count > 2 {
                let auc = checks.first { $0.metric == "auc" && $0.testSet == t && $0.subgroup == nil && $0.recomputed != nil }
                out.append(("roc\(file).svg", Charts.roc(title: "ROC\(named), n = \(y.count)", points: points, auc: auc?.recomputed ?? area(points),
                                                        aucCI: auc?.ci, band: band)))
            }
            if let c = checks.first(where: { $0.metric == "ece" && $0.testSet == t && !$0.reliability.isEmpty }) {
                out.append(("reliability\(file).svg", Charts.reliability(title: "Reliability\(named), \(record.calibration?.bins ?? 10) bins",
                                                                         bins: c.reliability.map { ($0.meanConfidence, $0.observed, $0.n) })))
            }
            if let c = checks.first(where: { $0.metric == "aurc" && $0.testSet == t && !$0.riskCoverage.isEmpty }) {
                out.append(("risk-coverage\(file).svg", Charts.riskCoverage(title: "Risk–coverage\(named)", points: c.riskCoverage)))
            }
        }
        return out
    }

    /// The ROC curve at every distinct score, from (0, 0) to (1, 1), each point with the 95% Wilson interval of its
    /// sensitivity (true positives of all positives). Tied scores move both rates at once, as `roc_curve` does. No
    /// curve (empty) without both outcomes.
    static func rocPoints(y: [Int], p: [Double]) throws -> [Charts.ROCPoint] {
        let positives = y.filter { $0 == 1 }.count, negatives = y.count - positives
        guard positives > 0, negatives > 0 else { return [] }
        let order = p.indices.sorted { p[$0] > p[$1] }
        var points = [Charts.ROCPoint(fpr: 0, tpr: 0, low: 0, high: try WilsonInterval(successes: 0, trials: positives).upper)]
        var tp = 0, fp = 0, k = 0
        while k < order.count {
            let score = p[order[k]]
            while k < order.count, p[order[k]] == score {
                if y[order[k]] == 1 { tp += 1 } else { fp += 1 }
                k += 1
            }
            let w = try WilsonInterval(successes: tp, trials: positives), tpr = Double(tp) / Double(positives)
            // At 0 and at all positives the interval ends at the estimate; rounding can leave it a hair inside.
            points.append(Charts.ROCPoint(fpr: Double(fp) / Double(negatives), tpr: tpr, low: min(w.lower, tpr), high: max(w.upper, tpr)))
        }
        return points
    }

    /// The area under the points (trapezoids): the AUC when the record's check has none.
    static func area(_ points: [Charts.ROCPoint]) -> Double {
        zip(points, points.dropFirst()).reduce(0) { $0 + ($1.1.fpr - $1.0.fpr) * ($1.0.tpr + $1.1.tpr) / 2 }
    }
}
