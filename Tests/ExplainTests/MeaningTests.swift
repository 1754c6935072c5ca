import Foundation
import Testing
@testable import Explain
@testable import Validation

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
private let library = try! ExplanationLibrary(folder: root.appendingPathComponent("explanations").path)

private func record(_ id: String) throws -> ValidationRecord {
    try #require(try RecordLoader.load(path: root.appendingPathComponent("data/validation").path).first { $0.id == id })
}

private func explain(_ r: ValidationRecord, _ caseID: String?, _ audience: Audience, evidence: Bool = true) throws -> Explanation {
    try Explainer(library: library).explain(try FactBuilder.build(r, caseID: caseID, evidence: evidence ? try RecordEvidence.of(r) : .none), for: audience)
}

/// 1. The estimate is the chance of the named condition, whatever label was predicted; patients read a natural
/// frequency out of 100 when out of 10 would round to 0 or 10.
@Test func probabilitiesAreTheChanceOfTheCondition() throws {
    let r = try record("cspca-bpmri-v2")
    let p080 = try explain(r, "P-080", .patient)
    #expect(p080.text.contains("out of 100 men with a result like this, about 4 have a prostate cancer that needs treatment and about 96 do not."))
    let p073 = try explain(r, "P-073", .patient)
    #expect(p073.text.contains("out of 10 men with a result like this, about 1 has a prostate cancer that needs treatment and about 9 do not."))
    let p052 = try explain(r, "P-052", .clinician)
    #expect(p052.text.contains("the AI estimates a 46% chance of clinically significant prostate cancer"))
    #expect(p052.text.contains("its call at the record's threshold of 50% is no csPCa"))
    // The operating point and the calibration per test set that a model card gives.
    let dev = try explain(r, "P-052", .developer)
    #expect(dev.text.contains("Calibration recomputed from the per-case data: internal ECE 0.0417, MCE 0.237 (n = 320); external ECE 0.0856, MCE 0.454 (n = 220)."))
    for a in Audience.allCases {
        for c in ["P-017", "P-052", "P-080"] {
            let e = try explain(r, c, a)
            #expect(!e.text.contains("answer is"), "\(c) \(a)")
            #expect(!e.text.contains("likelihood"), "\(c) \(a)")
        }
    }
}

/// 2. A reported figure the recomputation contradicts is given with the recomputed value to every audience that
/// sees figures; without per-case data, figures are "as reported".
@Test func recomputationWins() throws {
    let r = try record("cspca-bpmri-v2")
    #expect(try explain(r, "P-017", .clinician).text.contains("Not reproduced: the record reports sensitivity 91% at a threshold of 50% on the external test set, but the per-case data give 71% (95% CI 59–81%)."))
    #expect(try explain(r, "P-017", .developer).text.contains("sensitivity external 0.91 (95% CI 0.86–0.95) at threshold 0.5, n = 220, NOT REPRODUCED (recomputed 0.712, 95% CI 0.594–0.807)"))
    #expect(try explain(r, nil, .regulator).text.contains("sensitivity (external) 0.91 [95% CI 0.86–0.95] at threshold 0.5, n = 220, NOT REPRODUCED: the per-case data give 0.712"))
    let unchecked = try explain(r, "P-017", .clinician, evidence: false)
    #expect(unchecked.text.contains("Performance as reported (not checked against per-case data):"))
    #expect(!unchecked.text.contains("reproduced from the per-case data"))
}

/// 3. Drivers are told relative to the condition; a recorded direction against the value's sign is a warning and
/// no sentence.
@Test func directionsAreRelativeToTheCondition() throws {
    let r = try record("cspca-bpmri-v2")
    let p052 = try explain(r, "P-052", .clinician)
    #expect(p052.text.contains("Pointing towards csPCa: bright signal on high-b DWI, PSA density. Pointing away from csPCa: ADC within the normal range."))
    var raw = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("data/validation/cspca-bpmri-v2.json"))) as? [String: Any] ?? [:]
    var cases = raw["cases"] as? [[String: Any]] ?? []
    var attributions = cases[0]["attributions"] as? [[String: Any]] ?? []
    attributions[0]["value"] = -0.2
    cases[0]["attributions"] = attributions
    raw["cases"] = cases
    let flipped = try RecordLoader.parse(raw, path: "flipped.json")
    for a in [Audience.clinician, .developer] {
        let e = try explain(flipped, "P-017", a, evidence: false)
        #expect(e.warnings.contains { $0.hasPrefix("record: cases[0].attributions[0] (low ADC in the lesion): the direction \"towards\" contradicts the value -0.2") }, "\(e.warnings)")
        #expect(!e.text.contains("low ADC in the lesion"))
    }
}

/// 4. Where the model was off in the case's probability range, the readers of the probability are told.
@Test func calibrationReachesTheReaderOfAProbability() throws {
    let r = try record("cspca-bpmri-v2")
    let facts = try FactBuilder.build(r, caseID: "P-052", evidence: try RecordEvidence.of(r))
    let off = try #require(facts.with(prefix: "calib.case[").first { $0.level == "off" })
    #expect(off.n == 10 && off.number == 0)
    #expect(try explain(r, "P-052", .clinician).text.contains("Caution on this estimate: on the external test set, cases given about 45% had the condition in 0% (0 of 10; 95% CI 0–28%)"))
    #expect(try explain(r, "P-052", .patient).text.contains("In earlier tests, the program was not always right about results like this one."))
    // A case in a well-calibrated range is told nothing of the kind.
    #expect(!(try explain(r, "P-080", .clinician).text.contains("Caution on this estimate")))
    #expect(try explain(r, "P-017", .clinician).text.contains("on the external test set, cases given about 97% had the condition in 86% (19 of 22; 95% CI 67–95%)"))
}

/// 5. A failed input check comes first, makes confidence low, holds back the patient's frequency and the drivers,
/// and keeps every specific reason.
@Test func aFailedInputCheckGovernsTheRest() throws {
    let r = try record("cspca-bpmri-v2")
    let patient = try explain(r, "P-101", .patient)
    #expect(patient.text.hasPrefix("Please note first: there was a problem with your scan for the computer program (the patient moved during one part of the scan; one set of pictures is missing)."))
    #expect(!patient.text.contains("out of 10") && !patient.text.contains("out of 100"))
    #expect(patient.text.contains("we do not show the program's result for you"))
    let clinician = try explain(r, "P-101", .clinician)
    #expect(clinician.text.contains("What drove it: not shown, because the input check failed"))
    #expect(!clinician.text.contains("bright signal on high-b DWI"))
    #expect(clinician.text.contains("How sure it is: low confidence"))
    // The out-of-scope scanner of P-102 is named, not replaced by a generic line.
    #expect(try explain(r, "P-102", .clinician).text.hasPrefix("CHECK THE INPUT FIRST: scanner not seen in training (1.5 T); the scan is outside the data"))
    let seg = try explain(try record("prostate-seg-t2w-v1"), "S-011", .clinician)
    #expect(seg.text.contains("field-of-view cuts the apex; severe susceptibility artefact"))
}

/// 6 and 7. Tasks have their own claims, and the regulator's checklist lists every item with its status and path.
@Test func tasksAndTheRegulatorChecklist() throws {
    let seg = try explain(try record("prostate-seg-t2w-v1"), "S-003", .clinician)
    #expect(seg.text.contains("the AI drew the contour, giving a volume of 46 mL; its estimated contour quality (Dice) is 0.9."))
    #expect(seg.text.contains("Where the AI is least sure: gland boundary at the base."))
    let reg = try explain(try record("gland-volume-reg-v1"), "V-003", .clinician)
    #expect(reg.text.contains("the AI reports a prostate gland volume of 38.2 mL (interval 27.1–49.3 mL, level not reported)."))
    #expect(reg.text.contains("Raising the estimate: antero-posterior gland length."))
    let regulator = try explain(try record("cspca-bpmri-v2"), nil, .regulator).text
    for item in ["(a)", "(b)(i)", "(b)(ii)", "(b)(iii)", "(b)(iv)", "(b)(v)", "(b)(vi)", "(b)(vii)", "(c)", "(d)", "(e)", "(f)"] {
        #expect(regulator.contains("\n\(item) "), "Art. 13(3)\(item) listed")
    }
    #expect(regulator.contains("(c) Pre-determined changes to the system and its performance: missing (the record has no changes)."))
    // A digest shorter than a full SHA-256 is partial.
    var raw = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("data/validation/cspca-bpmri-v2.json"))) as? [String: Any] ?? [:]
    var data = raw["data"] as? [String: Any] ?? [:]
    var training = data["training"] as? [String: Any] ?? [:]
    training["sha256"] = "3f1c0e6f0f"
    data["training"] = training
    raw["data"] = data
    let short = try Explainer(library: library).explain(try FactBuilder.build(try RecordLoader.parse(raw, path: "short.json")), for: .regulator)
    #expect(short.text.contains("Traceability: partial (provenance.code_commit; missing data.training.sha256 (full SHA-256))."))
}

/// 9. Writing: a template that ends a list with ";" or starts a line in lower case is caught by name, and so is a
/// template that words a probability as a frequency of the program's answers.
@Test func writingChecksCatchBrokenSentences() throws {
    let warnings = MeaningChecks.writing("Fine line.\nsimilar cases: T-1;\n(b)(ii) Accuracy: covered.\n(c) changes: missing")
    #expect(warnings.contains { $0.hasPrefix("writing: a line starts in lower case: \"similar cases") })
    #expect(warnings.contains { $0.hasPrefix("writing: a list ends with \";\"") })
    #expect(warnings.contains { $0.hasPrefix("writing: a line starts in lower case: \"(c) changes") })
    #expect(warnings.contains { $0.hasPrefix("writing: a line does not end with a full stop") })
    #expect(warnings.count == 4, "\(warnings)")
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("meaning-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.copyItem(at: root.appendingPathComponent("explanations"), to: dir)
    let template = dir.appendingPathComponent("templates/patient.mustache")
    try String(contentsOf: template, encoding: .utf8)
        .replacingOccurrences(of: "What it found: out of", with: "What it found: in about {{frequency}} in 10, The program's answer is yes. Out of")
        .write(to: template, atomically: true, encoding: .utf8)
    let r = try record("cspca-bpmri-v2")
    let e = try Explainer(library: try ExplanationLibrary(folder: dir.path)).explain(try FactBuilder.build(r, caseID: "P-052"), for: .patient)
    #expect(e.warnings.contains { $0.contains("\"the program's answer is\" does not say what the estimate is the chance of") }, "\(e.warnings)")
}

/// 8. A record without the condition in plain words is named for what it is: the patient would read its code.
@Test func aPatientTextWithoutPlainWordsIsFlagged() throws {
    var r = try record("cspca-bpmri-v2")
    #expect(try explain(r, "P-052", .patient).warnings.isEmpty)
    r.plainLanguage?.condition = nil
    let e = try explain(r, "P-052", .patient)
    #expect(e.warnings.contains { $0.hasPrefix("record: plain_language.condition is missing, so the patient reads the condition as \"clinically significant prostate cancer (ISUP >= 2)\"") }, "\(e.warnings)")
    #expect(try explain(r, "P-052", .clinician).warnings.allSatisfy { !$0.contains("plain_language") })
    // An input check without plain words is named too.
    r.plainLanguage?.checks["motion artefact on DWI"] = nil
    let p101 = try explain(r, "P-101", .patient)
    #expect(p101.warnings.contains("record: plain_language.checks has no words for \"motion artefact on DWI\", so the patient reads it as recorded; give it in plain words"), "\(p101.warnings)")
}

/// 3, 6, 7 and 8 as named checks: templates edited to say the wrong thing are caught on the rendering, each by a
/// warning that names what is wrong (the bundled templates give none, in `everyBundledRenderingIsClean`).
@Test func namedChecksCatchTemplatesThatSayTheWrongThing() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("meaning-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.copyItem(at: root.appendingPathComponent("explanations"), to: dir)
    func edit(_ audience: String, _ edits: [(String, String)]) throws {
        let file = dir.appendingPathComponent("templates/\(audience).mustache")
        var text = try String(contentsOf: file, encoding: .utf8)
        for (old, new) in edits {
            #expect(text.contains(old), "\(audience) template lacks \(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        try text.write(to: file, atomically: true, encoding: .utf8)
    }
    try edit("clinician", [
        ("its estimated contour quality (Dice) is {{quality}}", "it is confident: its estimated contour quality (Dice) is {{quality}}"),
        ("Where the AI is least sure: {{unsure_region}}", "What drove the result: {{unsure_region}}"),
        ("{{#value_interval}} ({{#interval_level}}{{interval_level}} {{/interval_level}}interval {{value_interval}}{{^interval_level}}, level not reported{{/interval_level}}){{/value_interval}}", ""),
        ("the AI reports {{#measure}}a {{measure}} of {{/measure}}{{value}}", "the AI reports {{value}}"),
        ("{{#threshold}} at a threshold of {{threshold}}{{/threshold}} on the {{test_set}} test set{{#subgroup}} ({{subgroup}}){{/subgroup}}{{^last}};",
         " on the {{test_set}} test set{{#subgroup}} ({{subgroup}}){{/subgroup}}{{^last}};"),
        ("{{#perf_supported}} {{name}} {{value}}", "{{#perf_supported}} {{name}} {{value}}%"),
        ("{{#sure_but_off}}, by its own uncertainty estimate; its estimates in this range were off (see the caution above){{/sure_but_off}}", ""),
    ])
    try edit("patient", [("Your doctor looks at your scan too", "Reading grade 6. Your doctor looks at your scan too"),
                         ("Your data: {{privacy_text}}", "Your data are safe.")])
    try edit("regulator", [("{{#provider}} Provider: {{provider}}{{#contact}}, contact {{contact}}{{/contact}}.{{/provider}}", ""),
                           ("{{#ai_act}}{{item}}: {{status}} ({{evidence}}).\n{{/ai_act}}", "{{#ai_act}}{{^last}}{{item}}: {{status}} ({{evidence}}).\n{{/last}}{{/ai_act}}")])
    let explainer = Explainer(library: try ExplanationLibrary(folder: dir.path))
    func warnings(_ id: String, _ caseID: String?, _ audience: Audience) throws -> [String] {
        let r = try record(id)
        return try explainer.explain(try FactBuilder.build(r, caseID: caseID, evidence: try RecordEvidence.of(r)), for: audience).warnings
    }
    let seg = try warnings("prostate-seg-t2w-v1", "S-003", .clinician)
    #expect(seg.contains { $0.hasPrefix("meaning: the contour's estimated quality is told as confidence") }, "\(seg)")
    #expect(seg.contains { $0.hasPrefix("meaning: the uncertainty map's region gland boundary at the base is told as something other") }, "\(seg)")
    let reg = try warnings("gland-volume-reg-v1", "V-003", .clinician)
    #expect(reg.contains { $0.hasPrefix("meaning: the measurement 38.2 mL is given without its case interval 27.1–49.3 mL") }, "\(reg)")
    #expect(reg.contains("meaning: the measurement 38.2 mL is given without saying what it measures (prostate gland volume)"), "\(reg)")
    let cls = try warnings("cspca-bpmri-v2", "P-052", .clinician)
    #expect(cls.contains { $0.hasPrefix("meaning: the clinician reads AUC as a percentage") }, "\(cls)")
    #expect(cls.contains { $0.hasPrefix("meaning: sensitivity 80%") && $0.hasSuffix("is given without its threshold") }, "\(cls)")
    // 4. A confidence told alone where the estimates in this range were off.
    let triage = try warnings("pirads-triage-ext-v1", "T-07", .clinician)
    #expect(triage.contains { $0.hasPrefix("meaning: the model's confidence is told without saying that its estimates in this range were off") }, "\(triage)")
    let patient = try warnings("cspca-bpmri-v2", "P-052", .patient)
    #expect(patient.contains("meaning: the patient's text shows a reading score (reading grade)"), "\(patient)")
    #expect(patient.contains("meaning: the patient's text lacks the record's privacy sentence"), "\(patient)")
    let regulator = try warnings("cspca-bpmri-v2", nil, .regulator)
    #expect(regulator.contains("meaning: the checklist item \"(f) Mechanisms to collect, store and interpret logs\" is not listed"), "\(regulator)")
    #expect(regulator.contains { $0.hasPrefix("meaning: (a) Identity and contact details of the provider is told covered, but its model.") }, "\(regulator)")
    // 3. A driver whose direction disagrees with its sign, had the builder let one through, is named.
    let flipped = FactTable(record: "r", caseID: "c", facts: [Fact(id: "xai.attr[0]", label: "PSA density", value: .number(-0.2), level: "towards", source: "cases[0].attributions[0]")])
    #expect(MeaningChecks.directions(flipped) == ["meaning: the driver \"PSA density\" is told as pointing towards although its value is -0.2"])
}

/// 8. A case from outside the internal population reads the external figures first; other cases keep the record's
/// order, also when explained after it (the shared parts are not reused across the two).
@Test func externalFiguresComeFirstForACaseFromOutside() throws {
    let r = try record("cspca-bpmri-v2")
    #expect(r.cases.first { $0.id == "P-045" }?.testSet == "external")
    let evidence = try RecordEvidence.of(r)
    let prepared = try Explainer(library: library).prepare(try FactBuilder.build(r, evidence: evidence), for: .clinician)
    let inside1 = prepared.explain(try FactBuilder.build(r, caseID: "P-052", evidence: evidence))
    let outside = prepared.explain(try FactBuilder.build(r, caseID: "P-045", evidence: evidence))
    let inside2 = prepared.explain(try FactBuilder.build(r, caseID: "P-052", evidence: evidence))
    #expect(outside.text.contains("This case comes from the external test set, centre E (Philips 3 T), outside the internal population, so figures on external test sets come first."))
    #expect(outside.text.contains("Performance reproduced from the per-case data: AUC 0.85 (95% CI 0.78–0.91) on the external test set; specificity 84%"))
    #expect(outside.warnings.isEmpty, "\(outside.warnings)")
    for inside in [inside1, inside2] {
        #expect(inside.text.contains("Performance reproduced from the per-case data: AUC 0.96 (95% CI 0.93–0.98) on the internal test set;"))
        #expect(!inside.text.contains("comes from"))
    }
    #expect(inside1.text == inside2.text)
    // A case naming a test set the record does not have is an error at its path.
    var raw = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("data/validation/cspca-bpmri-v2.json"))) as? [String: Any] ?? [:]
    var cases = raw["cases"] as? [[String: Any]] ?? []
    cases[0]["test_set"] = "centre-z"
    raw["cases"] = cases
    #expect(throws: (any Error).self) { try RecordLoader.parse(raw, path: "z.json") }
    do { _ = try RecordLoader.parse(raw, path: "z.json") } catch { #expect("\(error)".contains("cases[0].test_set"), "\(error)") }
}

/// Claims behind each sentence: for every case of every bundled record and every audience, the sentences make up
/// the text; each sentence that states a number the template does not write itself rests on at least one claim,
/// every claim names the record path it came from, and a sentence that says a figure was not reproduced carries
/// the contradicted figure.
@Test func everySentenceCarriesTheClaimsBehindIt() throws {
    let records = try RecordLoader.load(path: root.appendingPathComponent("data/validation").path)
    let explainer = Explainer(library: library)
    var sentences = 0
    for r in records {
        let evidence = try RecordEvidence.of(r)
        let base = try FactBuilder.build(r, evidence: evidence)
        for audience in Audience.allCases {
            let bound = try explainer.prepare(base, for: audience)
            let template = try #require(library.templates[audience])
            for k in r.cases.indices {
                let t = FactBuilder.build(r, case: k, onto: base, evidence: evidence)
                let e = bound.explain(t)
                let list = bound.sentences(t)
                let squeeze = { (s: String) in s.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
                #expect(squeeze(list.map(\.text).joined(separator: " ")) == squeeze(e.text), "\(r.id) \(t.caseID ?? "") \(audience)")
                for s in list {
                    sentences += 1
                    let own = UTF8Text.numberTokens(s.text).filter { !template.sourceNumbers.contains($0) }
                    if !own.isEmpty { #expect(!s.claims.isEmpty, "\(r.id) \(t.caseID ?? "") \(audience): no claim behind \"\(s.text)\"") }
                    for c in s.claims { #expect(!c.source.isEmpty && c.kind != .other, "\(c.fact) in \(r.id)") }
                    if s.text.lowercased().contains("not reproduced") {
                        #expect(s.claims.contains { $0.verdict == "contradicted" && $0.kind == .metric }, "\(r.id) \(audience): \(s.text)")
                    }
                }
            }
        }
    }
    #expect(sentences > 2_000)
    // The estimate's sentence rests on the probability and the condition, with their paths.
    let r = try record("cspca-bpmri-v2")
    let claims = try Explainer(library: library).prepare(try FactBuilder.build(r), for: .clinician)
        .sentences(try FactBuilder.build(r, caseID: "P-052")).first?.claims ?? []
    #expect(claims.contains { $0.fact == "case.probability" && $0.kind == .estimate && $0.source == "cases[5].prediction.probability" && $0.value == "0.46" })
    #expect(claims.contains { $0.fact == "condition" && $0.kind == .condition })
}
