import Foundation
import Statistics
import Testing
@testable import Thematic

/// Ten answers in two groups; codes under two themes; one coding of a respondent who did not answer (a filter
/// dropped them) and one by a second coder.
private func review() throws -> (CodingProject, AnswerSet, [String: String]) {
    var texts: [String: [String: String]] = [:], groupOf: [String: String] = [:]
    for k in 1...10 {
        texts["R\(k)"] = ["Q35": "answer \(k)"]
        groupOf["R\(k)"] = k <= 6 ? "TG" : "CG"
    }
    groupOf["R11"] = "CG"
    let answers = AnswerSet(texts: texts, groupOf: groupOf, respondentOrder: (1...10).map { "R\($0)" })
    var p = try frame()
    var batch: [(Coding, String?)] = []
    for r in ["R1", "R2", "R3", "R7"] { batch.append((Coding(respondent: r, question: "Q35", code: "capability.drift", coder: "me"), nil)) }
    for r in ["R1", "R8"] { batch.append((Coding(respondent: r, question: "Q35", code: "capability.time", coder: "me"), nil)) }
    batch.append((Coding(respondent: "R9", question: "Q35", code: "trust.trace", coder: "you"), nil))
    _ = try p.add(batch, answers: answers, action: "test")
    // A respondent no longer among the answers (filtered out) still has a coding in the project.
    var all = p.codings
    all.append(Coding(respondent: "R11", question: "Q35", code: "capability.drift", coder: "me"))
    return (CodingProject(codebook: p.codebook, codings: all), answers, groupOf)
}

@Test func themeFrequenciesCountRespondentsOncePerThemeAndTestEachRow() throws {
    let (p, answers, groupOf) = try review()
    let f = try ThemeFrequencies(project: p, answers: answers, question: "Q35", groups: ["TG", "CG"], groupOf: groupOf)
    #expect(f.answered == [6, 4])
    let row = Dictionary(uniqueKeysWithValues: f.rows.map { ($0.code, $0) })
    #expect(f.rows.map(\.code) == ["capability", "capability.drift", "capability.time", "trust", "trust.trace"])
    // R1 has two capability codes and counts once; R11 answered nothing and is not counted.
    #expect(row["capability"]?.counts == [3, 2] && row["capability"]?.isTheme == true && row["capability"]?.depth == 0)
    #expect(row["capability.drift"]?.counts == [3, 1] && row["capability.drift"]?.parent == "capability")
    #expect(row["capability.time"]?.counts == [1, 1])
    #expect(row["trust"]?.counts == [0, 1])
    // Each row is the 2 × 2 of code present/absent by group, as Statistics tests it.
    let table = try ContingencyTable([[3, 3], [1, 3]])
    #expect(row["capability.drift"]?.fisher == (try FisherExact(table)).result)
    #expect(row["capability.drift"]?.pearson?.p == PearsonChiSquare(table).p)
    #expect(row["capability.drift"]?.pearson?.parameters == [.init(name: "df", value: 1)])
    // One coder's codings only.
    let mine = try ThemeFrequencies(project: p, answers: answers, question: "Q35", groups: ["TG", "CG"], groupOf: groupOf, coder: "you")
    #expect(mine.rows.first { $0.code == "trust.trace" }?.counts == [0, 1])
    #expect(mine.rows.first { $0.code == "capability" }?.counts == [0, 0])
    #expect(mine.rows.first { $0.code == "capability" }?.fisher == nil)
}

@Test func cooccurrenceAndMatrixCountAnswersWithBothCodes() throws {
    let (p, answers, _) = try review()
    let c = CodeCooccurrence(project: p, answers: answers, question: "Q35")
    #expect(c.codes == ["capability.drift", "capability.time", "trust.trace"])
    // The diagonal is answers with the code (R11, filtered out, is not counted); R1 has both.
    #expect(c.counts == [[4, 1, 0], [1, 2, 0], [0, 0, 1]])
    let m = CodeMatrix(project: p, answers: answers, question: "Q35", coder: "me")
    #expect(m.codes == ["capability.drift", "capability.time"])
    #expect(m.rows.count == 10)
    #expect(m.rows[0].respondent == "R1" && m.rows[0].group == "TG" && m.rows[0].values == [1, 1])
    #expect(m.rows[8].values == [0, 0])
}

@Test func testResultsHaveTheShapeOfRsHtest() throws {
    let table = try ContingencyTable([[12, 5], [3, 9]])
    let pearson = PearsonChiSquare(table)
    #expect(pearson.result.method == "Pearson's Chi-squared test" && pearson.result.statistic == pearson.statistic
            && pearson.result.statisticName == "X-squared" && pearson.result.effectSize?.value == pearson.cramersV)
    let fisher = try FisherExact(table)
    #expect(fisher.result.p == fisher.p && fisher.result.effectSize?.name == "sample odds ratio" && fisher.result.effectSize?.value == 108.0 / 15.0)
    let json = String(decoding: try JSONEncoder().encode(pearson.result), as: UTF8.self)
    #expect(json.contains("\"statistic_name\":\"X-squared\"") && json.contains("\"effect_size\""))
}
