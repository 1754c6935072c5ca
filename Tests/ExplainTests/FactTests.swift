import Foundation
import Testing
@testable import Explain
@testable import Validation

private let records = try! RecordLoader.load(path: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("data/validation").path)
private func record(_ id: String) -> ValidationRecord { records.first { $0.id == id }! }

@Test func recordFactsCarryValuesCIsLevelsAndSources() throws {
    let t = try FactBuilder.build(record("cspca-bpmri-v2"))
    let auc = try #require(t["perf.auc.external"])
    #expect(auc.number == 0.85 && auc.ci == 0.78...0.91 && auc.n == 220 && auc.level == "excellent" && auc.source == "performance[6]")
    #expect(t["perf.auc.internal.age_group=>=70"]?.n == nil, "a subgroup's n is not the test set's")
    #expect(t["fair.age_group.auc.internal"]?.level == "small")
    #expect(t["calib.ece"]?.level == "good" && t["calib.ece"]?.source == "calibration.ece")
    #expect(t["xai.top[0]"]?.label == "mean ADC in lesion")
    #expect(t["case.id"] == nil, "no case facts without --case")
}

@Test func missingSectionsProduceNoFacts() throws {
    let t = try FactBuilder.build(record("prostate-seg-t2w-v1"))
    #expect(t["calib.ece"] == nil && t["comparator.auc"] == nil && t["monitoring"] == nil && t["privacy"] == nil)
    #expect(t["xai.evaluated"] == nil)
    #expect(t["perf.hd95.internal"]?.unit == "mm")
}

@Test func caseFactsForQCFailureOODAndConfidence() throws {
    let failed = try FactBuilder.build(record("cspca-bpmri-v2"), caseID: "P-101")
    #expect(failed["qc.input_ok"]?.flag == false && failed["qc.flags"]?.list?.count == 2)
    #expect(failed["uq.confidence"]?.level == "low", "two labels in the conformal set")
    let ood = try FactBuilder.build(record("cspca-bpmri-v2"), caseID: "P-102")
    #expect(ood["qc.ood"]?.flag == true && ood["qc.ood"]?.level == "outside the training data")
    let clear = try FactBuilder.build(record("cspca-bpmri-v2"), caseID: "P-017")
    #expect(clear["case.probability"]?.number == 0.93 && clear["case.frequency"]?.number == 93 && clear["case.frequency"]?.unit == "in 100")
    #expect(clear["case.frequency"]?.level == "about")
    // The out-of-scope 1.5 T scanner of P-102 is matched to its out_of_scope entry.
    #expect(ood["qc.out_of_scope"]?.text == "1.5 T scanners" && ood["qc.out_of_scope"]?.source == "model.out_of_scope[2]")
    #expect(clear["qc.out_of_scope"] == nil)
    #expect(clear["uq.confidence"]?.level == "high")
    #expect(throws: ExplainError.unknownCase(record: "cspca-bpmri-v2", id: "P-17", suggestion: "P-017")) {
        try FactBuilder.build(record("cspca-bpmri-v2"), caseID: "P-17")
    }
}
