import Foundation
import Testing

/// The questionnaire, not the code, says which questions hold trust factors and explanation strategies, which
/// answers the practice audit cites and what each group is. The bundled survey with every question renamed (Q10 →
/// V10, TG → tech, CG → clin) in a second questionnaire gives the same priorities, audit and explanation order.
@Test func analysesReadTheirQuestionsFromTheQuestionnaire() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-roles-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("records"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    func renamed(_ text: String) -> String {
        var t = text
        for k in stride(from: 40, through: 1, by: -1) { t = t.replacingOccurrences(of: "Q\(k)", with: "V\(k)") }
        return t.replacingOccurrences(of: "group: TG", with: "group: tech").replacingOccurrences(of: "group: CG", with: "group: clin")
            .replacingOccurrences(of: "id: ai-validation", with: "id: renamed-survey")
    }
    let root = Binary.root
    try renamed(try String(contentsOf: root.appendingPathComponent("questionnaires/ai-validation.yaml"), encoding: .utf8))
        .write(to: dir.appendingPathComponent("renamed.yaml"), atomically: true, encoding: .utf8)
    try renamed(try String(contentsOf: root.appendingPathComponent("data/ai4hi/responses.csv"), encoding: .utf8))
        .write(to: dir.appendingPathComponent("responses.csv"), atomically: true, encoding: .utf8)
    for f in ["cspca-bpmri-v2.json", "cspca-bpmri-v2.predictions.csv"] {
        let text = try String(contentsOf: root.appendingPathComponent("data/validation/\(f)"), encoding: .utf8)
        try (f.hasSuffix(".json") ? renamed(text) : text).write(to: dir.appendingPathComponent("records/\(f)"), atomically: true, encoding: .utf8)
    }
    func results(_ survey: String, _ questionnaire: String, _ records: String) throws -> [[String: Any]] {
        let r = try InProcess.run(["--format", "json", "-e", "load survey \(survey) --questionnaire \(questionnaire)", "-e", "priorities",
                                "-e", "load records \(records)", "-e", "audit cspca-bpmri-v2", "-e", "explain cspca-bpmri-v2 --case P-017 --for clinician"])
        #expect(r.status == 0, "\(r.err)")
        return try jsonDocuments(r.out)
    }
    let bundled = try results("data/ai4hi/responses.csv", "questionnaires/ai-validation.yaml", "data/validation")
    let other = try results(dir.appendingPathComponent("responses.csv").path, dir.appendingPathComponent("renamed.yaml").path, dir.appendingPathComponent("records").path)
    // Priorities: the same rankings under the renamed question and groups.
    let p1 = bundled[1]["Q10"] as? [String: Any], p2 = other[1]["V10"] as? [String: Any]
    #expect(p1 != nil && p2 != nil)
    let codes1 = (p1?["CG"] as? [[String: Any]])?.compactMap { $0["code"] as? String }, codes2 = (p2?["clin"] as? [[String: Any]])?.compactMap { $0["code"] as? String }
    #expect(codes1 != nil && codes1 == codes2)
    // Audit: the same findings, citing the renamed questions and groups.
    let f1 = (bundled[3]["findings"] as? [[String: Any]] ?? []).compactMap { $0["evidence"] as? String }
    let f2 = (other[3]["findings"] as? [[String: Any]] ?? []).compactMap { $0["evidence"] as? String }
    #expect(!f1.isEmpty && f2 == f1.map { renamed($0).replacingOccurrences(of: "TG ", with: "tech ").replacingOccurrences(of: "CG ", with: "clin ") }, "\(f2)")
    // Explanation order: the clinician text is ordered by the group the questionnaire calls clinical.
    let e1 = (bundled[4]["array"] as? [[String: Any]])?.first?["order_reason"] as? String
    let e2 = (other[4]["array"] as? [[String: Any]])?.first?["order_reason"] as? String
    #expect(e1?.contains("(Q10)") == true && e2 == e1?.replacingOccurrences(of: "(Q10)", with: "(V10)"), "\(e2 ?? "nil")")
}
