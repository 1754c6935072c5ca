import Foundation
import Testing
@testable import Console

@Test func completesCommandsSubcommandsQuestionsAndCodes() throws {
    let session = Session()
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    _ = try CommandTable.execute("load survey \(root)/data/ai4hi/responses.csv --questionnaire \(root)/questionnaires/ai-validation.yaml", in: session)
    let c = Completer(session: session)
    #expect(c.candidates(before: "", word: "cro") == ["crosstab"])
    #expect(c.candidates(before: "load ", word: "su") == ["survey"])
    #expect(c.candidates(before: "load survey ", word: "da") == nil)  // file names, left to readline
    #expect(c.candidates(before: "chisq ", word: "al") == ["all"])
    #expect(c.candidates(before: "crosstab ", word: "Q3")?.contains("Q33") == true)
    #expect(c.candidates(before: "crosstab Q7 by ", word: "gr") == ["group"])
    #expect(c.candidates(before: "show Q7 ", word: "balance_p") == ["balance_performance"])
    #expect(c.candidates(before: "chisq Q7 ", word: "--exact-") == ["--exact-budget"])
    _ = try CommandTable.execute("codebook load \(root)/questionnaires/tehai-frame.yaml", in: session)
    #expect(c.candidates(before: "code ", word: "R00") == ["R001", "R002", "R003", "R004", "R005", "R006", "R007", "R008", "R009"])
    #expect(c.candidates(before: "code R002 ", word: "Q3") == ["Q35"])
    #expect(c.candidates(before: "code R002 Q35 ", word: "capability.con") == ["capability.concept_drift"])
    #expect(c.candidates(before: "codebook ", word: "me") == ["merge", "memo"])
    #expect(c.candidates(before: "autocode --rules ", word: "quest") == nil)
}

@Test func unknownNamesGetSuggestions() {
    let session = Session()
    #expect(throws: ConsoleError.unknownCommand("crostab", suggestion: "crosstab")) { try CommandTable.execute("crostab Q7", in: session) }
    // Options are swift-argument-parser's: its wording, with the nearest declared option.
    #expect(throws: ConsoleError.usage(command: "chisq", message: "Unknown option '--exakt'. Did you mean '--exact'?")) {
        try CommandTable.execute("chisq Q7 --exakt", in: session)
    }
    #expect(throws: ConsoleError.noSurvey) { try CommandTable.execute("groups", in: session) }
}

/// Option values come from each command's declaration, and a name the tokenizer would split comes quoted.
@Test func completesOptionValuesPerCommandAndQuotesNamesWithSpaces() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("complete-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let csv = dir.appendingPathComponent("s.csv").path
    var text = "id,Your role,How old are you\n"
    for k in 0..<12 { text += "R\(k),\(k % 2 == 0 ? "clinician" : "engineer"),\(30 + k)\n" }
    try text.write(toFile: csv, atomically: true, encoding: .utf8)
    let session = Session()
    _ = try CommandTable.execute("load survey \(Tokenizer.quote(csv)) --questionnaire none", in: session)
    let c = Completer(session: session)
    #expect(c.candidates(before: "explain cspca --format ", word: "") == ["text", "markdown", "html", "json"])
    #expect(c.candidates(before: "explain cspca --for ", word: "p") == ["patient"])
    #expect(c.candidates(before: "load survey x.csv --format ", word: "qu") == ["qualtrics"])
    #expect(c.candidates(before: "chisq all --adjust ", word: "") == ["holm", "bh", "none"])
    #expect(c.candidates(before: "crosstab ", word: "How") == ["\"How old are you\""])
    // After an opened quote, readline closes it: the name comes as it is.
    #expect(c.candidates(before: "crosstab \"", word: "How") == ["How old are you"])
    // A quoted name typed earlier counts as one word: `by` follows it.
    #expect(c.candidates(before: "crosstab \"How old are you\" ", word: "b") == ["by"])
}
