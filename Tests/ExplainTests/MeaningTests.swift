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
/// frequency always out of 100 (one denominator for every case).
@Test func probabilitiesAreTheChanceOfTheCondition() throws {
    let r = try record("cspca-bpmri-v2")
    let p080 = try explain(r, "P-080", .patient)
    #expect(p080.text.contains("out of 100 men with a result like this, about 4 have a prostate cancer that needs treatment and about 96 do not."))
    let p073 = try explain(r, "P-073", .patient)
    #expect(p073.text.contains("out of 100 men with a result like this, about 9 have a prostate cancer that needs treatment and about 91 do not."))
    let p052 = try explain(r, "P-052", .clinician)
    #expect(p052.text.contains("the AI estimates a 46% chance of clinically significant prostate cancer"))
    #expect(p052.text.contains("its call at the record's threshold of 50% is no csPCa"))
    // The operating point and the calibration per test set that a model card gives, test sets by their names.
    let dev = try explain(r, "P-052", .developer)
    #expect(dev.text.contains("Calibration recomputed from the per-case data, overall per test set: internal test set at centres A-D (held out), ECE 0.0417, MCE 0.237, n = 320; external test set at centre E (Philips 3 T), ECE 0.0856, MCE 0.454, n = 220."))
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
    #expect(try explain(r, "P-017", .clinician).text.contains("Not reproduced: the record reports sensitivity 91% at a threshold of 50% on the external test set at centre E (Philips 3 T), but the per-case data give 71% (95% CI 59–81%)."))
    #expect(try explain(r, "P-017", .developer).text.contains("sensitivity, external test set at centre E (Philips 3 T): 0.91, 95% CI 0.86–0.95, at threshold 0.5, n = 220, NOT REPRODUCED: recomputed 0.712, 95% CI 0.594–0.807"))
    #expect(try explain(r, nil, .regulator).text.contains("sensitivity, external test set at centre E (Philips 3 T): 0.91, 95% CI 0.86–0.95, at threshold 0.5, n = 220, NOT REPRODUCED: the per-case data give 0.712"))
    let unchecked = try explain(r, "P-017", .clinician, evidence: false)
    #expect(unchecked.text.contains("Performance as reported (not checked against per-case data):"))
    #expect(!unchecked.text.contains("reproduced from the per-case data"))
}

/// 3. Drivers are told relative to the condition; a recorded direction against the value's sign is a warning and
/// no sentence.
@Test func directionsAreRelativeToTheCondition() throws {
    let r = try record("cspca-bpmri-v2")
    let p052 = try explain(r, "P-052", .clinician)
    // Towards the condition (the target), never towards a label.
    #expect(p052.text.contains("Pointing towards clinically significant prostate cancer: bright signal on high-b DWI, PSA density. Pointing away from clinically significant prostate cancer: ADC within the normal range."))
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

/// 4. Calibration per test set and per bin, in the direction the data show: a caution only where the Wilson interval
/// of the case's own bin excludes its estimate; the patient reads the estimate, then the observed frequency.
@Test func calibrationReachesTheReaderOfAProbability() throws {
    let r = try record("cspca-bpmri-v2")
    let facts = try FactBuilder.build(r, caseID: "P-052", evidence: try RecordEvidence.of(r))
    let off = try #require(facts.with(prefix: "calib.case[").first { $0.level == "less_often" })
    #expect(off.n == 10 && off.number == 0)
    #expect(try explain(r, "P-052", .clinician).text.contains("Caution on this estimate: on the external test set at centre E (Philips 3 T), patients given 40–50% had the condition in 0% (0 of 10; 95% CI 0–28%), less often than this estimate of 46%."))
    #expect(try explain(r, "P-052", .patient).text.contains("But in earlier tests, men with results like this had it less often than the program says: none of the 10 in those tests, not 46 in 100."))
    // A case whose bins hold its estimate is told nothing of the kind, whatever the overall ECE.
    #expect(!(try explain(r, "P-080", .clinician).text.contains("Caution on this estimate")))
    // P-017 (0.93): the external bin 90–100% saw 86% (19 of 22; 95% CI 67–95%), which holds 0.93: no caution.
    #expect(!(try explain(r, "P-017", .clinician).text.contains("Caution on this estimate")))
    // The issue's T-09: scored 3%, at centre D 22 of 142 men in its bin had the condition (15%; 95% CI 10–22%).
    let triage = try record("pirads-triage-ext-v1")
    let t09 = try explain(triage, "T-09", .patient).text
    #expect(t09.contains("out of 100 men with a result like this, about 3 have a prostate cancer that needs treatment and about 97 do not.\nBut in earlier tests, men with results like this had it more often than the program says: 15 in 100, not 3 in 100."))
    #expect(try explain(triage, "T-09", .clinician).text.contains("Caution on this estimate: on the external test set at centre D, patients given 0–10% had the condition in 15% (22 of 142; 95% CI 10–22%), more often than this estimate of 3%."))
    // T-02 (0.81): the record's ECE is 0.145 ("poor"), but its own bin agrees: no caution, and "quite sure" alone.
    #expect(!(try explain(triage, "T-02", .clinician).text.contains("Caution")))
    #expect(!(try explain(triage, "T-02", .patient).text.contains("earlier tests")))
    // Overall calibration is told as overall, per test set, to the clinician and the regulator.
    #expect(try explain(r, "P-080", .clinician).text.contains("Calibration overall, from the per-case data (average gap between estimated and observed rates, and the largest gap in one range): 4%, largest 24% on the internal test set at centres A-D (held out) (n = 320); 9%, largest 45% on the external test set at centre E (Philips 3 T) (n = 220)."))
    #expect(try explain(r, nil, .regulator).text.contains("external test set at centre E (Philips 3 T), ECE 0.0856, MCE 0.454, n = 220."))
}

/// 2. One denominator, no false certainty: out of 100 for every case, "fewer than 1" and "more than 99" at the ends
/// for the patient, "<1%" and ">99%" for the clinician.
@Test func theEndsOfTheScaleAreBoundsNotCertainties() throws {
    let base = try record("cspca-bpmri-v2")
    func with(_ p: Double) throws -> (patient: String, clinician: String) {
        var r = base
        r.cases[0].probability = p
        return (try explain(r, "P-017", .patient, evidence: false).text, try explain(r, "P-017", .clinician, evidence: false).text)
    }
    let low = try with(0.004)
    #expect(low.patient.contains("out of 100 men with a result like this, fewer than 1 has a prostate cancer that needs treatment and more than 99 do not."), "\(low.patient)")
    #expect(low.clinician.contains("the AI estimates a <1% chance of"))
    let high = try with(0.995)
    #expect(high.patient.contains("more than 99 have a prostate cancer that needs treatment and fewer than 1 does not."), "\(high.patient)")
    #expect(high.clinician.contains("the AI estimates a >99% chance of"))
    // 0.949 and 0.951 are told with the same denominator; 5% is 5 in 100, not "1 in 10".
    #expect(try with(0.949).patient.contains("about 95 have"))
    #expect(try with(0.951).patient.contains("about 95 have"))
    #expect(try with(0.05).patient.contains("out of 100 men with a result like this, about 5 have"))
    for p in [0.004, 0.05, 0.5, 0.949, 0.995] {
        let text = try with(p).patient
        #expect(!text.contains("out of 10 ") && !text.contains("about 0 ") && !text.contains("about 100 "), "\(p): \(text)")
    }
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
    #expect(clinician.text.contains("What drove it: not shown, because of the input problem above"))
    #expect(!clinician.text.contains("bright signal on high-b DWI"))
    // No estimate, no confidence in it, no similar cases, for any audience.
    #expect(clinician.text.contains("Result for P-101: not given, because of the input problem above."))
    #expect(clinician.text.contains("How sure it is: not given, because of the input problem above."))
    #expect(clinician.text.contains("Similar reference cases: not shown, because of the input problem above."))
    let p101 = try #require(r.cases.first { $0.id == "P-101" }?.probability)
    for a in Audience.allCases {
        let text = try explain(r, "P-101", a).text
        let percent = Int((p101 * 100).rounded())
        for estimate in ["\(percent)% chance", "p = \(p101)", "about \(percent) have", "about \(percent) has"] { #expect(!text.contains(estimate), "\(a): \(text)") }
        #expect(!text.contains("Similar reference cases: T-"), "\(a)")
    }
    // 6. P-102's 1.5 T scanner is listed in out_of_scope: every audience is told so first, in those words.
    #expect(try explain(r, "P-102", .clinician).text.hasPrefix("CHECK THE INPUT FIRST: out of scope: 1.5 T scanners; scanner not seen in training (1.5 T); the scan is outside the data"))
    #expect(try explain(r, "P-102", .developer).text.hasPrefix("INPUT CHECK: out of scope: 1.5 T scanners;"))
    #expect(try explain(r, "P-102", .regulator).text.hasPrefix("Case-level input check failed: out of scope: 1.5 T scanners;"))
    #expect(try explain(r, "P-102", .patient).text.hasPrefix("Please note first: there was a problem with your scan for the computer program (the program is not meant for scans like this one;"))
    #expect(try explain(r, "P-102", .developer).text.contains("Case P-102: output withheld, because of the input problem above."))
    let seg = try explain(try record("prostate-seg-t2w-v1"), "S-011", .clinician)
    #expect(seg.text.contains("field-of-view cuts the apex; severe susceptibility artefact"))
}

/// 6 and 7. Tasks have their own claims, and the regulator's checklist lists every item with its status and path.
@Test func tasksAndTheRegulatorChecklist() throws {
    let seg = try explain(try record("prostate-seg-t2w-v1"), "S-003", .clinician)
    #expect(seg.text.contains("Result for S-003: the AI drew the contour, giving a volume of 46 mL."))
    #expect(seg.text.contains("Where the AI is least sure: gland boundary at the base."))
    // 3. A contour's quality is placed against the test set's contours, never called confidence.
    #expect(seg.text.contains("Contour quality: estimated Dice 0.9, in the middle half of contours on the internal test set (median Dice 0.898)."))
    let s008 = try explain(try record("prostate-seg-t2w-v1"), "S-008", .clinician).text
    #expect(s008.contains("Contour quality: estimated Dice 0.79, in the lowest 10% of contours on the internal test set (median Dice 0.898). Check the contour, above all where the AI is least sure (apex and base), before using the 66 mL volume."))
    for a in Audience.allCases {
        let text = try explain(try record("prostate-seg-t2w-v1"), "S-008", a).text.lowercased()
        #expect(!text.contains("confiden") && !text.contains("quite sure") && !text.contains("how sure"), "\(a)")
    }
    // The regression interval's level comes from the record (performance[].nominal), with its observed coverage.
    let reg = try explain(try record("gland-volume-reg-v1"), "V-003", .clinician)
    #expect(reg.text.contains("the AI reports a prostate gland volume of 38.2 mL (90% interval 27.1–49.3 mL; such intervals held the true value in 89% of cases on the internal test set)."))
    #expect(!reg.text.contains("level not reported"))
    #expect(reg.text.contains("Raising the estimate: antero-posterior gland length."))
    let regulator = try explain(try record("cspca-bpmri-v2"), nil, .regulator).text
    for item in ["(a)", "(b)(i)", "(b)(ii)", "(b)(iii)", "(b)(iv)", "(b)(v)", "(b)(vi)", "(b)(vii)", "(c)", "(d)", "(e)", "(f)"] {
        #expect(regulator.contains("\n\(item) "), "Art. 13(3)\(item) listed")
    }
    #expect(regulator.contains("(c) Pre-determined changes to the system and its performance: missing; the record has no changes."))
    // A digest shorter than a full SHA-256 is partial.
    var raw = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("data/validation/cspca-bpmri-v2.json"))) as? [String: Any] ?? [:]
    var data = raw["data"] as? [String: Any] ?? [:]
    var training = data["training"] as? [String: Any] ?? [:]
    training["sha256"] = "3f1c0e6f0f"
    data["training"] = training
    raw["data"] = data
    let short = try Explainer(library: library).explain(try FactBuilder.build(try RecordLoader.parse(raw, path: "short.json")), for: .regulator)
    #expect(short.text.contains("Traceability: partial; provenance.code_commit; missing data.training.sha256 (full SHA-256)."))
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

/// 5. No codes for patients: a record without plain words for the condition gets them from the glossary; with no
/// glossary entry either, the patient text is withheld with an error naming the missing key, never shipped with a
/// note. The same for an input-check finding the patient must be told.
@Test func aPatientTextWithoutPlainWordsIsWithheld() throws {
    var r = try record("cspca-bpmri-v2")
    #expect(try explain(r, "P-052", .patient).warnings.isEmpty)
    r.plainLanguage?.condition = nil
    let glossary = try explain(r, "P-052", .patient)
    #expect(glossary.text.contains("about 46 have a prostate cancer that needs treatment"), "\(glossary.text)")
    #expect(try FactBuilder.build(r, caseID: "P-052")["condition.plain"]?.source == "glossary (docs/records.md)")
    r.model.target = "ISUP grade group 2 or higher"
    r.model.positiveLabel = "ISUP2+"
    #expect(throws: ExplainError.plainLanguageMissing(record: "cspca-bpmri-v2", jsonPath: "plain_language.condition", term: "ISUP grade group 2 or higher")) {
        try explain(r, "P-052", .patient)
    }
    // Other audiences read the record's own words.
    #expect(try explain(r, "P-052", .clinician).text.contains("chance of ISUP grade group 2 or higher"))
    // An input check the patient must be told, without plain words: withheld, naming the key.
    r = try record("cspca-bpmri-v2")
    r.plainLanguage?.checks["motion artefact on DWI"] = nil
    #expect(throws: ExplainError.plainLanguageMissing(record: "cspca-bpmri-v2", jsonPath: "plain_language.checks[\"motion artefact on DWI\"]", term: "motion artefact on DWI")) {
        try explain(r, "P-101", .patient)
    }
    // A finding the patient is not told (the input passed) needs no words.
    #expect(try explain(r, "P-052", .patient).warnings.isEmpty)
}

/// Each glossary entry reads right for a patient: in its sentence, no forbidden word, no code (capitals, digits,
/// brackets, underscores), reading grade ≤ 8.
@Test func everyGlossaryEntryReadsRight() throws {
    let profile = try #require(library.profiles[.patient])
    let hyphenator = try Hyphenator()
    for (term, plain) in Glossary.conditions.sorted(by: { $0.key < $1.key }) {
        let sentence = "Out of 100 people with a result like this, about 7 have \(plain) and about 93 do not."
        for word in profile.forbidden { #expect(!ForbiddenWords.occurs(word.lowercased(), in: sentence.lowercased()), "\(term): \(word)") }
        #expect(plain.allSatisfy { $0.isLowercase || $0 == " " || $0 == "-" }, "\(term) → \(plain)")
        #expect(Readability(sentence, hyphenator: hyphenator).fleschKincaidGrade <= 8, "\(term) → \(plain)")
        #expect(Glossary.condition(term.uppercased() + " (reference standard)") == plain)
    }
    for (term, plain) in Glossary.checks.sorted(by: { $0.key < $1.key }) {
        let sentence = "There was a problem with your scan for the computer program (\(plain))."
        for word in profile.forbidden { #expect(!ForbiddenWords.occurs(word.lowercased(), in: sentence.lowercased()), "\(term): \(word)") }
        #expect(plain.allSatisfy { $0.isLowercase || $0 == " " || $0 == "-" }, "\(term) → \(plain)")
        #expect(Readability(sentence, hyphenator: hyphenator).fleschKincaidGrade <= 8, "\(term) → \(plain)")
    }
    // A term is found whole, never half translated.
    #expect(Glossary.condition("malignant pulmonary nodule (histology or 2-year follow-up)") == "a lung spot that is cancer")
    #expect(Glossary.condition("malignant melanoma") == nil)
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
        ("Contour quality: estimated Dice {{quality}}", "Contour quality, with high confidence: estimated Dice {{quality}}"),
        ("Where the AI is least sure: {{unsure_region}}", "What drove the result: {{unsure_region}}"),
        ("{{#value_interval}} ({{#interval_level}}{{interval_level}} {{/interval_level}}interval {{value_interval}}{{^interval_level}}, level not reported{{/interval_level}}{{#interval_observed}}; such intervals held the true value in {{interval_observed}} of cases on the {{interval_observed_set}}{{/interval_observed}}){{/value_interval}}", ""),
        ("the AI reports {{#measure}}a {{measure}} of {{/measure}}{{value}}", "the AI reports {{value}}"),
        ("{{#threshold}} at a threshold of {{threshold}}{{/threshold}} on the {{test_set}}{{#subgroup}}, {{subgroup}}{{/subgroup}}{{^last}};",
         " on the {{test_set}}{{#subgroup}}, {{subgroup}}{{/subgroup}}{{^last}};"),
        ("{{#perf_supported}} {{name}} {{value}}", "{{#perf_supported}} {{name}} {{value}}%"),
        ("{{#sure_but_off}}, by its own uncertainty estimate; its estimates in this range were off (see the caution above){{/sure_but_off}}", ""),
        // 4. The caution dropped: the case's bin excludes its estimate and the text says nothing of it.
        ("Caution on this estimate: on the {{test_set}}, patients given {{range}} had the condition in {{observed}} ({{had}} of {{n}}; 95% CI {{observed_ci}}), {{direction}} than this estimate of {{chance}}.", ""),
        // 8. Nested brackets of raw codes.
        ("{{#perf_reported}} {{name}} {{value}}{{#unit}} {{unit}}{{/unit}}{{#ci}} (95% CI {{ci}}){{/ci}}", "{{#perf_reported}} {{name}} {{value}}{{#unit}} {{unit}}{{/unit}}{{#ci}} (95% CI {{ci}} (reported)){{/ci}}"),
        // 5. A driver told towards the label, not the condition.
        ("{{#last}} {{towards_words}}:{{/last}}", "{{#last}} Pointing towards {{condition_label}}:{{/last}}"),
    ])
    try edit("patient", [("Your doctor looks at your scan too", "Reading grade 6. Your doctor looks at your scan too"),
                         ("Your data: {{privacy_text}}", "Your data are safe."),
                         // 4. The observed frequency told in the wrong direction.
                         ("had it {{direction}} than the program says", "had it less often than the program says"),
                         // 2. Another denominator.
                         ("What it found: out of {{denominator}} {{people}}", "What it found: out of 10 {{people}}")])
    try edit("regulator", [("{{#provider}} Provider: {{provider}}{{#contact}}, contact {{contact}}{{/contact}}.{{/provider}}", ""),
                           ("{{#ai_act}}{{item}}: {{status}}; {{evidence}}.\n{{/ai_act}}", "{{#ai_act}}{{^last}}{{item}}: {{status}}; {{evidence}}.\n{{/last}}{{/ai_act}}"),
                           // 4. A status written by the template rather than earned.
                           ("{{#future_ai}}{{item}}: {{status}};", "{{#future_ai}}{{item}}: covered;"),
                           // 6. The input problem told last, after the record's findings.
                           ("{{#qc_problem}}Case-level input check failed: {{qc_problem}}. No output of this case is given.\n{{/qc_problem}}", "")])
    // 7. The record's inconsistencies left out of the developer's text.
    try edit("developer", [("{{#findings}}Record inconsistency, {{name}}: {{text}}\n{{/findings}}", ""),
                           // 3. The interval's level told as not reported although the record gives it.
                           ("{{#interval_level}} at nominal coverage {{interval_level}}{{/interval_level}}{{^interval_level}}, nominal coverage not reported{{/interval_level}}", ", nominal coverage not reported")])
    let explainer = Explainer(library: try ExplanationLibrary(folder: dir.path))
    func warnings(_ id: String, _ caseID: String?, _ audience: Audience) throws -> [String] {
        let r = try record(id)
        return try explainer.explain(try FactBuilder.build(r, caseID: caseID, evidence: try RecordEvidence.of(r)), for: audience).warnings
    }
    let triage09 = try warnings("pirads-triage-ext-v1", "T-09", .clinician)
    #expect(triage09.contains { $0.hasPrefix("meaning: on the external test set at centre D the case's bin excludes its estimate") && $0.hasSuffix("the text gives no observed rate beside the estimate") }, "\(triage09)")
    #expect(triage09.contains { $0.hasPrefix("writing: nested brackets: \"Performance as reported (not checked") }, "\(triage09)")
    #expect(triage09.contains { $0.hasPrefix("meaning: a driver's direction is told towards the label \"csPCa likely\"") } == false, "T-09's drivers point away")
    let triage01 = try warnings("pirads-triage-ext-v1", "T-01", .clinician)
    #expect(triage01.contains("meaning: a driver's direction is told towards the label \"csPCa likely\", not the condition clinically significant prostate cancer in a PI-RADS 3 lesion"), "\(triage01)")
    let patient09 = try warnings("pirads-triage-ext-v1", "T-09", .patient)
    #expect(patient09.contains("meaning: on the external test set at centre D the condition was seen more often than estimated, and the text does not say so in that direction"), "\(patient09)")
    #expect(patient09.contains("meaning: the patient's frequency is not out of 100 with bounds at the ends (\"out of 10\")"), "\(patient09)")
    let p102 = try warnings("cspca-bpmri-v2", "P-102", .regulator)
    #expect(p102.contains("meaning: the input is out of scope and the first line does not say \"out of scope\""), "\(p102)")
    #expect(p102.contains("the failed input check is not told first"), "\(p102)")
    let dev = try warnings("cspca-bpmri-v2", "P-017", .developer)
    #expect(dev.contains("meaning: the record inconsistency reference_label_conflict at cases[0].similar_cases[0], cases[5].similar_cases[0] is not told"), "\(dev)")
    #expect(dev.contains("meaning: the record inconsistency conformal_coverage_off_target at uncertainty.conformal.empirical_coverage is not told"), "\(dev)")
    let level = try warnings("gland-volume-reg-v1", "V-003", .developer)
    #expect(level.contains("meaning: the interval's level is told as not reported, but the record gives it (performance[2].nominal)"), "\(level)")
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
    #expect(regulator.contains("meaning: the checklist item \"Robustness\" is not told partial, as the record and its verdicts make it"), "\(regulator)")
    #expect(regulator.contains("meaning: the checklist item \"Fairness\" is not told covered, as the record and its verdicts make it") == false, "cspca's fairness is covered: \(regulator)")
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
    #expect(outside.text.contains("This case comes from the external test set at centre E (Philips 3 T), outside the internal population, so figures on external test sets come first."))
    #expect(outside.text.contains("Performance reproduced from the per-case data: AUC 0.85 (95% CI 0.78–0.91) on the external test set at centre E (Philips 3 T); specificity 84%"))
    #expect(outside.warnings.isEmpty, "\(outside.warnings)")
    for inside in [inside1, inside2] {
        #expect(inside.text.contains("Performance reproduced from the per-case data: AUC 0.96 (95% CI 0.93–0.98) on the internal test set at centres A-D (held out);"))
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
