import Foundation
import Testing
import Validation
@testable import Console

/// The ROC curve of a record's report: from (0, 0) to (1, 1), never going back, its area the AUC that
/// `Recomputation` gives (which ValidationTests check against scikit-learn), and each point's band the Wilson
/// interval of its sensitivity, holding the curve.
@Test func rocCurveIsTheRecomputedAUCsCurve() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    let session = Session()
    _ = try CommandTable.execute("load records \(root)/data/validation", in: session)
    let record = try session.record("cspca-bpmri-v2")
    let predictions = try #require(try Predictions.load(for: record))
    let checks = try Recomputation.checks(record, predictions: predictions)
    for testSet in ["internal", "external"] {
        let idx = try predictions.select(testSet: testSet, subgroup: nil)
        let points = try RecordFigures.rocPoints(y: try predictions.outcomes("y_true", idx), p: try predictions.numbers("p", idx))
        #expect(points.first.map { $0.fpr == 0 && $0.tpr == 0 } == true && points.last.map { $0.fpr == 1 && $0.tpr == 1 } == true)
        #expect(zip(points, points.dropFirst()).allSatisfy { $1.fpr >= $0.fpr && $1.tpr >= $0.tpr })
        #expect(points.allSatisfy { $0.low <= $0.tpr && $0.tpr <= $0.high })
        let auc = try #require(checks.first { $0.metric == "auc" && $0.testSet == testSet && $0.subgroup == nil }?.recomputed)
        #expect(abs(RecordFigures.area(points) - auc) < 1e-12, "\(testSet): area \(RecordFigures.area(points)), AUC \(auc)")
    }
    // No curve without both outcomes.
    #expect(try RecordFigures.rocPoints(y: [1, 1], p: [0.2, 0.9]).isEmpty)
}
