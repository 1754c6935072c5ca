import Foundation
import Testing
@testable import Render
@testable import Thematic

let answers = AnswerSet(texts: ["P1": ["Q35": "Performance over time matters; drift happens. Naïve café"],
                                "P2": ["Q35": "<script>alert(1)</script> traceability & provenance"]],
                        groupOf: ["P1": "CG", "P2": "TG"], respondentOrder: ["P1", "P2"])

func frame() throws -> CodingProject {
    let book = try Codebook([Code(id: "capability", codable: false), Code(id: "capability.drift", parent: "capability"),
                             Code(id: "capability.time", parent: "capability"), Code(id: "trust", codable: false),
                             Code(id: "trust.trace", parent: "trust")])
    return CodingProject(codebook: book)
}

@Test func spansByQuotedTextAndOffsetsInScalars() throws {
    var p = try frame()
    let c = try p.code(Coding(respondent: "P1", question: "Q35", code: "capability.time", coder: "me"), text: "performance over time", answers: answers)
    #expect(c.start == 0 && c.end == 21)
    // "café" starts after 52 scalars; é is one scalar, so the span is 4 long.
    let d = try p.code(Coding(respondent: "P1", question: "Q35", code: "capability.drift", coder: "me"), text: "café", answers: answers)
    #expect(d.end! - d.start! == 4)
    #expect(throws: ThematicError.overlappingSpan(respondent: "P1", question: "Q35", code: "capability.time", coder: "me")) {
        try p.code(Coding(respondent: "P1", question: "Q35", code: "capability.time", coder: "me", start: 5, end: 30), text: nil, answers: answers)
    }
    #expect(throws: ThematicError.self) {
        try p.code(Coding(respondent: "P1", question: "Q35", code: "capability.time", coder: "you", start: 10, end: 999), text: nil, answers: answers)
    }
    #expect(throws: ThematicError.notCodable("capability")) {
        try p.code(Coding(respondent: "P1", question: "Q35", code: "capability", coder: "me"), text: nil, answers: answers)
    }
    #expect(throws: ThematicError.unknownRespondent("P9", suggestion: "P1")) {
        try p.code(Coding(respondent: "P9", question: "Q35", code: "capability.time", coder: "me"), text: nil, answers: answers)
    }
    #expect(throws: ThematicError.textNotInAnswer(respondent: "P1", question: "Q35", text: "nothing like this")) {
        try p.code(Coding(respondent: "P1", question: "Q35", code: "capability.time", coder: "me"), text: "nothing like this", answers: answers)
    }
}

@Test func renameMergeMoveKeepCodingsAndUndoRestores() throws {
    var p = try frame()
    _ = try p.code(Coding(respondent: "P1", question: "Q35", code: "capability.drift", coder: "me"), text: nil, answers: answers)
    _ = try p.code(Coding(respondent: "P1", question: "Q35", code: "capability.time", coder: "me"), text: nil, answers: answers)
    try p.renameCode("capability.drift", to: "capability.concept_drift")
    #expect(p.codings.map(\.code).contains("capability.concept_drift"))
    try p.mergeCode("capability.time", into: "capability.concept_drift")
    // The two whole-answer codings become identical and are kept once.
    #expect(p.codings.count == 1 && p.codings.allSatisfy { $0.code == "capability.concept_drift" })
    #expect(p.codebook.code("capability.time") == nil)
    try p.moveCode("capability.concept_drift", to: "trust")
    #expect(p.codebook.theme(of: "capability.concept_drift") == "trust")
    #expect(throws: ThematicError.cycle(code: "trust", parent: "capability.concept_drift")) { try p.moveCode("trust", to: "capability.concept_drift") }
    #expect(try p.undo().hasPrefix("move"))
    #expect(try p.undo().hasPrefix("merge"))
    #expect(p.codebook.code("capability.time") != nil && p.codings.map(\.code).contains("capability.time"))
    _ = try p.undo(); _ = try p.undo(); _ = try p.undo()
    #expect(p.codings.isEmpty)
    #expect(throws: ThematicError.nothingToUndo) { try p.undo() }
}

@Test func batchIsAllOrNothing() throws {
    var p = try frame()
    let good = Coding(respondent: "P1", question: "Q35", code: "capability.drift", coder: "b")
    let bad = Coding(respondent: "P2", question: "Q35", code: "no.such.code", coder: "b")
    #expect(throws: ThematicError.self) { try p.add([(good, nil), (bad, nil)], answers: answers, action: "import") }
    #expect(p.codings.isEmpty)
}

@Test func autoCodingSuggestsWithSpans() throws {
    let file = try CodebookFile.load(path: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("questionnaires/tehai-frame.yaml").path)
    #expect(file.codebook.codes.filter { !$0.codable }.map(\.id) == ["utility", "capability", "adoption", "trustworthiness"])
    let s = try AutoCoder.suggest(question: "Q35", answers: answers, rules: file.rules, coder: "auto", existing: [])
    let drift = s.first { $0.coding.code == "capability.concept_drift" }
    #expect(drift?.matched == "drift" && drift?.coding.respondent == "P1")
    #expect(s.contains { $0.coding.code == "capability.performance_over_time" && $0.coding.start == 0 })
    #expect(s.contains { $0.coding.code == "trustworthiness.traceability" && $0.coding.respondent == "P2" })
}

@Test func codebookFileErrorsNameLineAndField() {
    #expect(throws: ThematicError.file(path: "f.yaml", line: 3, column: 12, message: "codes[0].theme: expected true or false")) {
        try CodebookFile.parse("codes:\n  - id: a\n    theme: maybe\n", path: "f.yaml")
    }
}

@Test func wordsAndCloud() {
    #expect(TextStatistics.tokens("Don't re-validate AI, it's 2024’s “drift”!") == ["don't", "re", "validate", "ai", "it's", "2024's", "drift"])
    #expect(TextStatistics.ngrams("performance over time and drift", n: 2, stopWords: ["over", "and"]) == ["performance time", "time drift"])
    let words = [("drift", 5), ("<script>alert(1)</script>", 3), ("onerror=\"x\"", 2), ("time", 1)]
    let a = WordCloud(words: words, seed: 9, title: "Q35 <b>")
    let b = WordCloud(words: words, seed: 9, title: "Q35 <b>")
    #expect(a.svg == b.svg)
    #expect(!a.svg.contains("<script>") && a.svg.contains("&lt;script&gt;") && !a.svg.contains("onerror=\"x\""))
    #expect(WordCloud(words: words, seed: 10, title: "t").placed != WordCloud(words: words, seed: 9, title: "t").placed)
    #expect(a.placed.count == 4)
}

@Test func snowballStemming() throws {
    let english = try #require(Stemmer(language: "english"))
    // Porter 2 reference outputs (snowballstem.org's English vocabulary/output lists).
    #expect(["validation", "validated", "validate", "generalizability", "running", "cafés"].map(english.stem)
            == ["valid", "valid", "valid", "generaliz", "run", "café"])
    #expect(Stemmer(language: "klingon") == nil)
    #expect(TextStatistics.frequencies(["validated models", "validation of a model"], n: 1, stopWords: ["of", "a"], stemmer: english).map(\.term)
            == ["model", "valid"])
}

/// A rule from someone's file whose expression backtracks exponentially is stopped at its budget with an error that
/// names the code, the pattern and the answer, instead of hanging the session.
@Test func backtrackingRuleIsStopped() throws {
    let rule = try AutoCodingRule(code: "evil", keywords: [], patterns: ["(a+)+$"])
    let long = AnswerSet(texts: ["P9": ["Q35": String(repeating: "a", count: 48) + "!"]], groupOf: [:], respondentOrder: ["P9"])
    #expect(throws: ThematicError.ruleTooSlow(code: "evil", pattern: "(a+)+$", respondent: "P9", seconds: AutoCodingRule.secondsPerMatch)) {
        try AutoCoder.suggest(question: "Q35", answers: long, rules: [rule], coder: "auto", existing: [])
    }
    // A harmless pattern on the same answer is unaffected.
    let fine = try AutoCodingRule(code: "fine", keywords: [], patterns: ["a{3}!"])
    #expect(try AutoCoder.suggest(question: "Q35", answers: long, rules: [fine], coder: "auto", existing: []).count == 1)
}

/// The codings table reads columns by name in any order and case, checks each row's shape and numbers with its
/// line, and round-trips what `rows` writes; a clash between two rows of one import names the second row's line.
@Test func codingsTableReadsWhatItWritesAndNamesTheLine() throws {
    let codings = [Coding(respondent: "R1", question: "Q35", code: "trust", coder: "ana"),
                   Coding(respondent: "R2", question: "Q35", code: "trust", coder: "ben", start: 0, end: 4)]
    let written = CodingsTable.rows(codings).enumerated().map { (line: $0.offset + 1, fields: $0.element) }
    #expect(try CodingsTable.read(written, path: "c.csv").map(\.coding) == codings)
    let shuffled = [(line: 1, fields: ["Coder", "CODE", "question", "respondent"]), (line: 2, fields: ["ana", " trust ", "Q35", "R1"])]
    #expect(try CodingsTable.read(shuffled, path: "c.csv").map(\.coding) == [codings[0]])
    #expect(throws: ThematicError.file(path: "c.csv", line: 3, column: 0, message: "start \"-1\" is not a whole number ≥ 0")) {
        try CodingsTable.read(written + [(line: 3, fields: ["R3", "Q35", "trust", "ana", "-1", "2"])], path: "c.csv")
    }
    #expect(throws: ThematicError.file(path: "c.csv", line: 2, column: 0, message: "3 fields where the header has 4")) {
        try CodingsTable.read([shuffled[0], (line: 2, fields: ["a", "b", "c"])], path: "c.csv")
    }
    #expect(throws: ThematicError.file(path: "c.csv", line: 1, column: 0, message: "expected the columns respondent, question, code, coder (and optionally start, end)")) {
        try CodingsTable.read([(line: 1, fields: ["who", "what"])], path: "c.csv")
    }
    let answers = AnswerSet(texts: ["R1": ["Q35": "trust the model"], "R2": ["Q35": "safety first"]], groupOf: [:], respondentOrder: ["R1", "R2"])
    var project = CodingProject(codebook: try Codebook([Code(id: "trust", name: "Trust")]))
    let clash = [(Coding(respondent: "R2", question: "Q35", code: "trust", coder: "ben", start: 0, end: 4), nil as String?),
                 (Coding(respondent: "R2", question: "Q35", code: "trust", coder: "ben", start: 2, end: 6), nil as String?)]
    #expect(throws: ThematicError.atLine(path: "c.csv", line: 9, .overlappingSpan(respondent: "R2", question: "Q35", code: "trust", coder: "ben"))) {
        try project.add(clash, answers: answers, action: "import", path: "c.csv", lines: [8, 9])
    }
    #expect(project.codings.isEmpty)
}
