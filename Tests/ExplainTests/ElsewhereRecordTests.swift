import Foundation
import Testing
@testable import Explain
@testable import Validation

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
private let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/elsewhere")

/// A record shaped differently from the bundled ones (a lung-nodule classifier with no plain_language, a label on
/// every case whatever its probability, a mislabelled feature, limitations without full stops): every text still
/// agrees with the record, or is withheld.
@Test func aRecordFromElsewhereIsToldTruthfullyOrWithheld() throws {
    let r = try #require(try RecordLoader.load(path: fixture.path).first)
    let explainer = Explainer(library: try ExplanationLibrary(folder: root.appendingPathComponent("explanations").path))
    let evidence = try RecordEvidence.of(r)
    func text(_ c: String, _ a: Audience) throws -> String { try explainer.explain(try FactBuilder.build(r, caseID: c, evidence: evidence), for: a).text }
    // The condition from the glossary for the patient, from model.target for everyone, never from a case's label.
    #expect(try text("N-001", .patient).contains("out of 100 people with a result like this, about 7 have a lung spot that is cancer and about 93 do not."))
    #expect(try text("N-002", .patient).contains("fewer than 1 has a lung spot that is cancer and more than 99 do not."))
    #expect(try text("N-002", .clinician).contains("the AI estimates a <1% chance of malignant pulmonary nodule (histology or 2-year follow-up)."))
    // "malignant" at 0.07 is not the call its probability makes: a finding, and no call told.
    let dev = try text("N-001", .developer)
    #expect(dev.contains("Record inconsistency about this case, label_contradicts_probability: The case N-001 is labelled \"malignant\" with probability 0.07"))
    #expect(!(try text("N-001", .clinician)).contains("its call at"))
    // The mislabelled feature is named and not cited as a driver.
    #expect(dev.contains("Record inconsistency, feature_label_contradiction: The feature upper_lobe is labelled \"lower-lobe location\""))
    #expect(!(try text("N-001", .clinician)).contains("lower-lobe location"))
    // Sentences taken from the record are finished.
    #expect(try text("N-001", .regulator).contains("Limitation: Not validated on contrast-enhanced CT.\nLimitation: Nodules under 6 mm were excluded."))
    #expect(try text("N-001", .regulator).contains("Human oversight: A radiologist reads every scan."))
    // Contrast-enhanced CT is out of scope: told first, no estimate; the patient text is withheld, naming the key.
    #expect(try text("N-003", .clinician).hasPrefix("CHECK THE INPUT FIRST: out of scope: contrast-enhanced CT; motion artefact."))
    #expect(throws: ExplainError.plainLanguageMissing(record: "lung-nodule-ct-v1", jsonPath: "plain_language.checks[\"contrast-enhanced CT\"]", term: "contrast-enhanced CT")) {
        try text("N-003", .patient)
    }
    // Every rendering that is not withheld passes every check.
    for c in ["N-001", "N-002", "N-003"] {
        for a in Audience.allCases where !(c == "N-003" && a == .patient) {
            let e = try explainer.explain(try FactBuilder.build(r, caseID: c, evidence: evidence), for: a)
            #expect(e.warnings.isEmpty, "\(c) \(a): \(e.warnings)")
        }
    }
}
