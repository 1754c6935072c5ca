import Foundation
import Testing

@Test func explainJSONForAllAudiences() throws {
    let r = try InProcess.run(["--format", "json", "-e", "load survey data/ai4hi/responses.csv", "-e", "load records data/validation",
                            "-e", "explain cspca-bpmri-v2 --case P-101 --for all"])
    #expect(r.status == 0, "\(r.err)")
    let list = try jsonDocuments(r.out).last?["array"] as? [[String: Any]] ?? []
    #expect(list.map { $0["audience"] as? String } == ["developer", "clinician", "patient", "regulator"])
    for e in list {
        #expect((e["warnings"] as? [String])?.isEmpty == true, "\(e)")
        #expect((e["facts_used"] as? [String])?.contains("qc.input_ok") == true)
        #expect((e["text"] as? String)?.split(separator: "\n").first.map { $0.lowercased().contains("scan") || $0.lowercased().contains("input") } == true)
        #expect((e["readability"] as? [String: Any])?["fk_grade"] != nil)
    }
    let clinician = list.first { $0["audience"] as? String == "clinician" }
    #expect((clinician?["order_reason"] as? String)?.contains("explainable models 84%") == true)
}

@Test func htmlExplanationEscapesRecordContent() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-x-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let record = #"""
    {"schema": "trustgap.validation-record/1", "id": "evil", "model": {"name": "<script>alert(1)</script>", "task": "classification",
     "intended_use": "<img src=x onerror=alert(2)>"}, "limitations": ["\"><svg onload=alert(3)>"],
     "plain_language": {"condition": "<u>a thing</u>", "checks": {"<script>bad()</script>": "<script>worse()</script>"}},
     "cases": [{"id": "c1", "prediction": {"label": "<b>x</b>", "probability": 0.7},
                "qc": {"input_ok": false, "flags": ["<script>bad()</script>"]},
                "attributions": [{"feature": "f", "label": "<i onmouseover=x>", "value": 0.2, "direction": "towards"}]}]}
    """#
    try record.write(to: dir.appendingPathComponent("evil.json"), atomically: true, encoding: .utf8)
    let html = dir.appendingPathComponent("evil.html").path
    // Written twice: the second write replaces the first (atomically, through a temporary file).
    let r = try InProcess.run(["-e", "load records \(dir.path)", "-e", "explain evil --for patient --out \(html)", "-e", "explain evil --case c1 --for all --out \(html)"])
    #expect(r.status == 0, "\(r.err)")
    let text = try String(contentsOfFile: html, encoding: .utf8)
    #expect(!text.contains("<script") && !text.contains("<img") && !text.contains("<svg onload") && !text.contains("<i onmouseover") && !text.contains("<b>x"))
    #expect(text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    // Without plain words for the condition, the patient text is withheld with an error naming the key.
    try record.replacingOccurrences(of: #""plain_language": {"condition": "<u>a thing</u>", "#, with: #""plain_language": {"#)
        .write(to: dir.appendingPathComponent("evil.json"), atomically: true, encoding: .utf8)
    let withheld = try InProcess.run(["-e", "load records \(dir.path)", "-e", "explain evil --case c1 --for patient"])
    #expect(withheld.status == 1 && withheld.err.contains("the patient text of evil is withheld: the record has no plain_language.condition"), "\(withheld.err)")
}

@Test func explainFormats() throws {
    let base = ["-e", "load records data/validation"]
    let html = try InProcess.run(base + ["-e", "explain gland-volume-reg-v1 --case V-011 --for patient --format html"])
    #expect(html.status == 0 && html.out.contains("<!DOCTYPE html>") && html.out.contains("</html>"))
    let md = try InProcess.run(base + ["-e", "explain gland-volume-reg-v1 --for regulator --format markdown"])
    #expect(md.out.contains("## Technical documentation summary") && md.out.contains("No uncertainty quantification") == false)
    let json = try InProcess.run(base + ["-e", "explain gland-volume-reg-v1 --for developer --format json"])
    #expect(json.out.contains("\"audience\": \"developer\"") && json.out.contains("\"facts_used\""))
    let bad = try InProcess.run(base + ["-e", "explain gland-volume-reg-v1 --for nurse"])
    #expect(bad.status == 1 && bad.err.contains("--for takes developer, clinician, patient, regulator or all"))
}

/// The patient's icon array shows the text's own natural frequency (out of 100 when out of 10 would round to 0),
/// and is held back with the frequency when the input check failed.
@Test func iconArrayShowsThePatientsFrequency() throws {
    let base = ["-e", "load records data/validation"]
    let low = try InProcess.run(base + ["-e", "explain cspca-bpmri-v2 --case P-080 --for patient --format html"])
    #expect(low.status == 0)
    #expect(low.out.contains("about 4 have a prostate cancer that needs treatment and about 96 do not"))
    #expect(low.out.components(separatedBy: "<circle").count - 1 == 100)
    #expect(low.out.components(separatedBy: "<circle cx=").filter { $0.contains("fill=\"#D55E00\"/><rect") }.count == 4)
    // The caption and the legend inside the figure, the caption wrapped at words; both fills at least 3:1 on white.
    #expect(low.out.contains("Out of 100, about 4 have a prostate cancer that needs treatment; about 96 do not."))
    #expect(low.out.contains(">has a prostate cancer that needs treatment</text>") && low.out.contains(">does not</text>"))
    #expect(low.out.contains("fill=\"#767676\""))
    for line in low.out.components(separatedBy: "<text x=\"210\"").dropFirst() {
        let caption = line.split(separator: ">").dropFirst().first.map { String($0.prefix { $0 != "<" }) } ?? ""
        #expect(caption.count <= 58, "a caption line of \(caption.count) characters: \(caption)")
    }
    #expect(!low.out.contains("answer is"))
    let failed = try InProcess.run(base + ["-e", "explain cspca-bpmri-v2 --case P-101 --for patient --format html"])
    #expect(failed.status == 0 && !failed.out.contains("<circle"))
}
