import Foundation
import Statistics
import Testing
@testable import Survey

/// The streaming reader must give the same records whatever the block size, including when a block ends inside a
/// quoted field, between a doubled quote, between CR and LF, or inside a multi-byte character.
@Test(arguments: [64, 65, 67, 71, 97, 128, 200, 1 << 20])
func streamingGivesTheSameRecordsForEveryBlockSize(_ blockSize: Int) throws {
    var rng = SeededGenerator(seed: UInt64(blockSize))
    let pieces = ["plain", "with space", "\"quoted, comma\"", "\"doubled \"\"quote\"\"\"", "\"line\nbreak\"", "é→ü", "",
                  "\"\"", "\"ends with quote\"\"\"", "\"crlf\r\ninside\""]
    var text = "\u{FEFF}a,b,c\r\n"
    for r in 0..<300 {
        let cells = (0..<3).map { _ in pieces[Int(rng.nextUniform() * Double(pieces.count))] }
        text += cells.joined(separator: ",") + (r % 3 == 0 ? "\r\n" : "\n")
        if r % 50 == 7 { text += "\n" }  // blank lines are skipped
    }
    let path = Paths.temporary(text)
    let whole = try CSVReader.parse(Data(text.utf8), path: path)
    var streamed: [CSVReader.Record] = []
    try CSVReader.stream(path: path, blockSize: blockSize) { view in
        streamed.append(CSVReader.Record(fields: view.fields, line: view.line))
        return true
    }
    #expect(streamed == whole)
    #expect(whole.count == 301)
    #expect(whole[0].fields == ["a", "b", "c"])
    #expect(whole.contains { $0.fields.contains("doubled \"quote\"") })
    #expect(whole.contains { $0.fields.contains("line\nbreak") })
}

@Test func errorsKeepTheirPositionsAcrossBlocks() throws {
    // The bad cell sits far past the first block; its line must still be exact.
    var text = "respondent,Q7\n"
    for k in 1...2000 { text += "R\(k),balance_performance\n" }
    text += "R2001,\"balance_performance\" x\n"
    let path = Paths.temporary(text)
    #expect(throws: SurveyError.strayQuote(path: path, line: 2002, column: 28)) {
        try SurveyLoader.load(path: path, options: .init(questionnairePath: Paths.questionnaire))
    }
    var bytes = Array(("respondent,Q7\n" + (1...3000).map { "R\($0),balance_performance\n" }.joined()).utf8)
    bytes += Array("R3001,".utf8) + [0xC3, 0x28] + Array("\n".utf8)
    let bad = Paths.temporary(bytes)
    #expect(throws: SurveyError.invalidUTF8(path: bad, line: 3002, byteOffset: 7)) {
        try SurveyLoader.load(path: bad, options: .init(questionnairePath: Paths.questionnaire))
    }
}

@Test func theFirstBadCellInTheFileIsReportedNotTheFirstBadColumn() throws {
    // Line 3 has a bad Q10, line 4 a bad Q7 (an earlier column, decoded first): line 3 is the first problem.
    let path = Paths.temporary("respondent,Q7,Q10\nR1,balance_performance,robustness\nR2,balance_performance,robustnes\nR3,balance_performanse,robustness\n")
    #expect(throws: SurveyError.unknownCode(path: path, line: 3, column: "Q10", question: "Q10", value: "robustnes", suggestion: "robustness")) {
        try SurveyLoader.load(path: path, options: .init(questionnairePath: Paths.questionnaire))
    }
}

@Test func syntheticSurveysAreReproducibleAndLoad() throws {
    let q = try QuestionnaireLoader.load(path: Paths.questionnaire)
    func rows(_ seed: UInt64) -> [[String]] {
        var out: [[String]] = []
        SyntheticSurvey(questionnaire: q, respondents: 300, seed: seed).generate { out.append($0) }
        return out
    }
    let a = rows(7), b = rows(7), c = rows(8)
    #expect(a == b)
    #expect(a != c)
    #expect(a.count == 300)
    #expect(SyntheticSurvey(questionnaire: q, respondents: 1, seed: 1).header == ["respondent"] + q.questions.map(\.id) + ["group"])
    // Written as CSV (quoting as the command does) it loads, and the role rule finds both groups.
    func quote(_ s: String) -> String {
        s.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
    let text = ([SyntheticSurvey(questionnaire: q, respondents: 1, seed: 1).header] + a).map { $0.map(quote).joined(separator: ",") }.joined(separator: "\n") + "\n"
    let survey = try SurveyLoader.load(path: Paths.temporary(text), options: .init(questionnairePath: Paths.questionnaire))
    #expect(survey.respondents.count == 300)
    let groups = try GroupAssignment(survey: survey, variable: .roles(enabledOptional: []))
    #expect(groups.levels == ["TG", "CG"])
    #expect(groups.size("TG") > groups.size("CG"))
    // The group column says what the rule says, and works as a grouping variable of its own.
    #expect(survey.extraColumns == ["group"])
    let byColumn = try GroupAssignment(survey: survey, variable: .question("group"))
    #expect(byColumn.groupOf == groups.groupOf)
    #expect(survey.respondents.contains { if case .text = $0.answer("Q35") { return true }; return false })
}

/// The multiple-response test from per-group counts (how `chisq all` runs it) equals the test from per-respondent
/// answers, on every multi-answer question of the bundled survey.
@Test func mmiFromCountsEqualsMMIFromAnswers() throws {
    let survey = try SurveyLoader.load(path: Paths.bundled, options: .init(questionnairePath: Paths.questionnaire))
    let groups = try GroupAssignment(survey: survey, variable: .roles(enabledOptional: []))
    for q in survey.questionnaire.questions where q.type == .multi {
        let x = try Crosstab(survey: survey, question: q.id, by: groups)
        guard let summary = x.summary else { Issue.record("no summary for \(q.id)"); continue }
        #expect(summary == MultipleResponseSummary(groups: x.groupIndex, selections: x.selections))
        let fromCounts = try MarginalIndependenceTest(summary: summary)
        let fromAnswers = try MarginalIndependenceTest(groups: x.groupIndex, selections: x.selections)
        #expect(fromCounts.statistic == fromAnswers.statistic)
        #expect(fromCounts.bonferroniP == fromAnswers.bonferroniP)
        #expect(fromCounts.rs2?.p == fromAnswers.rs2?.p)
    }
}

/// The numeric fast path reads a cell exactly as `Double(String)` does, or leaves it to the slow path: 200,000 seeded
/// random cells of digits, signs, points, exponents and spaces, bit for bit.
@Test func plainNumbersReadAsDoubleDoes() {
    var rng = SeededGenerator(seed: 17)
    let alphabet = Array("0123456789.-+e 5x".utf8)
    var taken = 0
    for _ in 0..<200_000 {
        let length = Int.random(in: 1...19, using: &rng)
        var bytes = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
        if Bool.random(using: &rng) { bytes = bytes.map { $0 == 0x65 || $0 == 0x78 || $0 == 0x20 ? 0x37 : $0 } }
        let text = String(decoding: bytes, as: UTF8.self)
        let fast = bytes.withUnsafeBufferPointer { ColumnBuilder.plainNumber($0) }
        guard let fast else { continue }
        taken += 1
        #expect(Double(text)?.bitPattern == fast.bitPattern, "\(text)")
    }
    #expect(taken > 10_000)
}

/// The reader parses the next batch while the one before is decoded on another thread: a bad cell early in the
/// file is still the error reported when the parser later meets a malformed line, and one in the last batch
/// before a clean end is reported too. Over 1 MB, so there are several batches.
@Test func aBadCellBeatsALaterParseErrorAcrossBatches() throws {
    var rows = (1...60_000).map { "R\($0),balance_performance" }
    rows[99] = "R100,balance_performanse"
    let early = Paths.temporary("respondent,Q7\n" + rows.joined(separator: "\n") + "\nR60001,\"balance_performance\" x\n")
    #expect(throws: SurveyError.unknownCode(path: early, line: 101, column: "Q7", question: "Q7", value: "balance_performanse", suggestion: "balance_performance")) {
        try SurveyLoader.load(path: early, options: .init(questionnairePath: Paths.questionnaire))
    }
    rows[99] = "R100,balance_performance"
    rows[59_990] = "R59991,balance_performanse"
    let late = Paths.temporary("respondent,Q7\n" + rows.joined(separator: "\n") + "\n")
    #expect(throws: SurveyError.unknownCode(path: late, line: 59_992, column: "Q7", question: "Q7", value: "balance_performanse", suggestion: "balance_performance")) {
        try SurveyLoader.load(path: late, options: .init(questionnairePath: Paths.questionnaire))
    }
}

/// Without a questionnaire the first pass hands the id column's ids to the second, which only compares each row's
/// id with its own. An id the two passes trim differently (a no-break space at its end) files the ids again from
/// there: the ids are right, and two ids that are equal once trimmed are still a repeated respondent.
@Test func idsHandedOverBetweenPassesAreCheckedRowByRow() throws {
    let trimmed = Paths.temporary("id,answer\na,yes\nb,no\nc\u{00A0},no\nd,yes\n")
    #expect(try SurveyLoader.load(path: trimmed).respondents.map(\.id) == ["a", "b", "c", "d"])
    let repeated = Paths.temporary("id,answer\na,yes\nb,no\nb\u{00A0},no\nd,yes\n")
    #expect(throws: SurveyError.duplicateRespondent(path: repeated, line: 4, id: "b", firstLine: 3)) {
        try SurveyLoader.load(path: repeated)
    }
}
