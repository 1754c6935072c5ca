import Testing
import Statistics
@testable import Survey

private func load(_ text: String, questionnaire: Bool = true) throws -> Survey {
    try SurveyLoader.load(path: Paths.temporary(text), options: .init(questionnairePath: questionnaire ? Paths.questionnaire : nil))
}

private func loadBytes(_ bytes: [UInt8]) throws -> Survey {
    try SurveyLoader.load(path: Paths.temporary(bytes), options: .init(questionnairePath: Paths.questionnaire))
}

@Test func byteOrderMarkAndCRLFAreAccepted() throws {
    let s = try loadBytes([0xEF, 0xBB, 0xBF] + Array("respondent,Q7,Q10\r\nR1,balance_performance,explainable_models;other\r\nR2,out_of_expertise,\r\n".utf8))
    #expect(s.respondents.map(\.id) == ["R1", "R2"])
    #expect(s.respondents[0].answer("Q10") == .codes(["explainable_models", "other"]))
    #expect(s.respondents[1].answer("Q10") == .missing)
}

@Test func badFilesAreNamedWithLineAndColumn() {
    func error(_ f: () throws -> Survey) -> SurveyError? {
        do { _ = try f(); return nil } catch let e as SurveyError { return e } catch { return nil }
    }
    if case let .unterminatedQuote(_, line, column)? = error({ try load("respondent,Q7\nR1,balance_performance\nR2,\"balance_performance\n") }) {
        #expect(line == 3 && column == 4)
    } else { Issue.record("unterminated quote not reported") }
    if case let .duplicateRespondent(_, line, id, first)? = error({ try load("respondent,Q7\nR1,balance_performance\nR1,out_of_expertise\n") }) {
        #expect(line == 3 && id == "R1" && first == 2)
    } else { Issue.record("duplicate id not reported") }
    if case let .unknownCode(_, line, column, question, value, suggestion)? = error({ try load("respondent,Q7\nR1,balance_performanse\n") }) {
        #expect(line == 2 && column == "Q7" && question == "Q7" && value == "balance_performanse" && suggestion == "balance_performance")
    } else { Issue.record("unknown code not reported") }
    if case let .wrongColumnCount(_, line, expected, found)? = error({ try load("respondent,Q7\nR1,balance_performance,extra\n") }) {
        #expect(line == 2 && expected == 2 && found == 3)
    } else { Issue.record("wrong column count not reported") }
    if case let .invalidUTF8(_, line, byte)? = error({ try loadBytes(Array("respondent,Q35\nR1,ok\nR2,caf".utf8) + [0xE9, 0x0A]) }) {
        #expect(line == 3 && byte == 7)
    } else { Issue.record("invalid UTF-8 not reported") }
    if case .emptyFile? = error({ try load("") }) {} else { Issue.record("empty file not reported") }
    if case .noRespondents? = error({ try load("respondent,Q7\r\n") }) {} else { Issue.record("header-only file not reported") }
    if case .multipleAnswersInSingle? = error({ try load("respondent,Q7\nR1,balance_performance;performance_only\n") }) {} else { Issue.record("several answers in a single question not reported") }
    if case .outOfScale? = error({ try load("respondent,Q8\nR1,7\n") }) {} else { Issue.record("Likert value outside the scale not reported") }
}

@Test func questionnaireTypeErrorsNameLineAndField() {
    let yaml = """
    id: broken
    sections:
      - id: s
        title: S
        questions:
          - id: Q1
            text: Age?
            type: singel
            options: [{code: a, label: A}]
    """
    do {
        _ = try QuestionnaireLoader.parse(yaml, path: "broken.yaml")
        Issue.record("accepted a bad type")
    } catch let SurveyError.questionnaire(path, line, _, field, message) {
        #expect(path == "broken.yaml" && line == 8 && field == "sections[0].questions[0].type" && message.contains("singel"))
    } catch { Issue.record("\(error)") }
    do {
        _ = try QuestionnaireLoader.parse("id: x\nsections: 3\n", path: "q.yaml")
        Issue.record("accepted sections: 3")
    } catch let SurveyError.questionnaire(_, line, _, field, _) {
        #expect(line == 2 && field == "sections")
    } catch { Issue.record("\(error)") }
}

@Test func bundledQuestionnaireIsComplete() throws {
    let q = try QuestionnaireLoader.load(path: Paths.questionnaire)
    #expect(q.sections.count == 6)
    #expect(q.glossary.count >= 15)
    for id in 7...34 { #expect(q.question("Q\(id)") != nil, "Q\(id)") }
    #expect(q.questions.contains { $0.type == .open })
    #expect(q.questions.contains { $0.type == .likert })
    #expect(q.grouping?.question == "Q6")
}

@Test func inferredStructureWithoutQuestionnaire() throws {
    let s = try load("id,team,tools,comment\n1,a,x;y,\"This is a rather long free-text remark about validation practice\"\n2,b,y,\"Another long remark that nobody else wrote in these words\"\n", questionnaire: false)
    #expect(s.inferred)
    #expect(s.questionnaire.question("team")?.type == .single)
    #expect(s.questionnaire.question("tools")?.type == .multi)
    #expect(s.questionnaire.question("comment")?.type == .open)
    let g = try GroupAssignment(survey: s, variable: .question("team"))
    #expect(g.levels == ["a", "b"])
}

@Test func googleFormsImport() throws {
    let s = try SurveyLoader.load(path: Paths.fixture("google_forms.csv"), options: .init(questionnairePath: Paths.questionnaire))
    #expect(s.format == .googleForms)
    #expect(s.respondents.count == 4)
    #expect(s.respondents[0].answer("Q7") == .code("balance_performance"))
    #expect(s.respondents[0].answer("Q6") == .codes(["model_training", "technical_validation"]))
    #expect(s.respondents[2].answer("Q10") == .codes(["robustness", "uncertainty"]))
}

@Test func limeSurveyImport() throws {
    let s = try SurveyLoader.load(path: Paths.fixture("limesurvey.csv"), options: .init(questionnairePath: Paths.questionnaire))
    #expect(s.format == .limesurvey)
    #expect(s.respondents.map(\.id) == ["1", "2", "3"])
    #expect(s.respondents[0].answer("Q1") == .code("age_20_40"))
    #expect(s.respondents[1].answer("Q6") == .codes(["clinical_expert", "clinical_validation"]))
    #expect(s.respondents[2].answer("Q8") == .code("3"))
}

@Test func qualtricsImport() throws {
    let s = try SurveyLoader.load(path: Paths.fixture("qualtrics.csv"), options: .init(questionnairePath: Paths.questionnaire))
    #expect(s.format == .qualtrics)
    #expect(s.respondents.map(\.id) == ["R_1a2B3c4D5e6F7g8", "R_9h8G7f6E5d4C3b2"])
    #expect(s.respondents[0].answer("Q10") == .codes(["transparency_traceability", "explainable_models"]))
    #expect(s.respondents[1].answer("Q7") == .code("balance_interpretability"))
}

@Test func redcapImport() throws {
    let s = try SurveyLoader.load(path: Paths.fixture("redcap.csv"), options: .init(questionnairePath: Paths.questionnaire))
    #expect(s.format == .redcap)
    #expect(s.respondents[0].answer("Q6") == .codes(["data_curation", "model_training"]))
    #expect(s.respondents[1].answer("Q7") == .code("balance_interpretability"))
    #expect(s.respondents[2].answer("Q6") == .codes(["data_provider", "model_training", "technical_validation"]))
}

/// An analyst's own CSV without a questionnaire: the id column (an id-like name, every cell filled) is the respondent
/// id, not a question; an id given twice (a double submission) stops the load naming both lines, or, with
/// --keep-duplicates, is kept under a marked id with a note.
@Test func inferredSurveysFindTheirIDColumn() throws {
    let own = Paths.temporary("ResponseId,role,answer\nR_1,a,yes\nR_2,b,no\nR_3,a,no\n")
    let survey = try SurveyLoader.load(path: own)
    #expect(survey.questionnaire.respondentIDColumn == "ResponseId")
    #expect(survey.questionnaire.questions.map(\.id) == ["role", "answer"])
    #expect(survey.respondents.map(\.id) == ["R_1", "R_2", "R_3"])
    let repeated = Paths.temporary("subject,answer\ns1,yes\ns1,no\n")
    #expect(throws: SurveyError.duplicateRespondent(path: repeated, line: 3, id: "s1", firstLine: 2)) { try SurveyLoader.load(path: repeated) }
    let kept = try SurveyLoader.load(path: repeated, options: .init(keepDuplicates: true))
    #expect(kept.respondents.map(\.id) == ["s1", "s1 (2)"])
    #expect(kept.notes.contains { $0.contains("line 3 repeats respondent s1 of line 2") })
}

/// A tick list's options are in the order the file first gives them, within a cell too, in every process (they
/// were taken from a Set, so their order, and the last digit of the MMI statistic summed over them, changed from
/// run to run), and the id column with respondents that differ only in the middle of a long id is still unique.
@Test func inferredTickListsKeepTheFilesOrder() throws {
    var rows = ["participant_id,tools"]
    for i in 0..<300 {
        rows.append("user_\(String(format: "%06d", i))_survey_final,\(i == 0 ? "eps;delta;gamma;beta;alpha" : ["alpha;beta", "gamma", "delta;eps"][i % 3])")
    }
    let survey = try SurveyLoader.load(path: Paths.temporary(rows.joined(separator: "\n") + "\n"))
    #expect(survey.questionnaire.respondentIDColumn == "participant_id")
    #expect(survey.questionnaire.question("tools")?.categories.map(\.code) == ["eps", "delta", "gamma", "beta", "alpha"])
    #expect(survey.respondents.count == 300)
}

/// A file whose columns all have few distinct answers is built from its profiles without a second pass; the
/// answers, ids, lines and notes are those of reading it again with the questionnaire inferred from it (written as
/// YAML, read back), on a seeded random file with blanks, padded cells, a no-break space, tick lists in any order
/// and numbers with stray text. With an open-text column added the file is read twice, with the same answers.
@Test func onePassInferenceReadsWhatASecondPassReads() throws {
    var rng = SeededGenerator(seed: 23)
    func pick(_ xs: [String]) -> String { xs[Int.random(in: 0..<xs.count, using: &rng)] }
    let agree = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree", "", " Agree ", "Agree\u{00A0}"]
    for withText in [false, true] {
        var rows = ["id,group,s,l,n,m" + (withText ? ",notes" : "")]
        for i in 0..<400 {
            let n = i % 40 == 7 ? pick(["n/a", "11+", ""]) : pick(["\(Int.random(in: 0...60, using: &rng))", " 4", "5.5", "-2"])
            let m = pick(["a;b", "b;a", "c", "", "a; c", "b"])
            var row = "P\(i),\(pick(["tech", "clin"])),\(pick(["x", "y", "z", ""])),\(pick(agree)),\(n),\(m)"
            if withText { row += ",\"Free text number \(i), with a comma and more words\"" }
            rows.append(row)
        }
        let path = Paths.temporary(rows.joined(separator: "\n") + "\n")
        let inferred = try SurveyLoader.load(path: path)
        let yaml = Paths.temporary(try QuestionnaireWriter.yaml(inferred.questionnaire))
        let again = try SurveyLoader.load(path: path, options: .init(questionnairePath: yaml))
        #expect(inferred.responses.ids == again.responses.ids && inferred.responses.lines == again.responses.lines)
        #expect(inferred.questionnaire.questions.map(\.id) == again.questionnaire.questions.map(\.id))
        for q in inferred.questionnaire.questions {
            let differ = (0..<inferred.responses.count).filter { inferred.responses.answer(row: $0, question: q.id) != again.responses.answer(row: $0, question: q.id) }
            #expect(differ.isEmpty, "\(q.id) (\(q.type)): rows \(differ.prefix(5))")
        }
        #expect(inferred.questionnaire.question("n")?.type == .numeric)
        // The same cells counted as not numbers (the second pass lists each cell, the first each distinct value).
        let counted = { (notes: [String]) in notes.map { $0.components(separatedBy: " are not numbers").first ?? "" } }
        #expect(!inferred.notes.isEmpty && counted(inferred.notes) == counted(again.notes), "\(inferred.notes) vs \(again.notes)")
        // Which path was taken shows in the examples: one pass names each stray value once, two passes each cell.
        if withText {
            #expect(inferred.notes == again.notes)
        } else {
            let shown = inferred.notes.first?.components(separatedBy: "\"").enumerated().filter { $0.offset % 2 == 1 }.map(\.element) ?? []
            #expect(shown.count == Set(shown).count && inferred.notes != again.notes, "\(inferred.notes)")
        }
    }
}

/// What inference decides survives being written as YAML and read back: types, answers in order, flags, scales,
/// sections and their compare flag, the lenient numbers and the reasons, whatever the column names hold.
@Test func inferredQuestionnaireRoundTripsThroughYAML() throws {
    let header = ["id", "Start Date", "role: main", "trust \"AI\"", "años", "tools", "notes", "score"]
    var rows: [String] = []
    let agree = ["Strongly disagree", "Disagree", "Agree", "Strongly agree", "Don't know"]
    for i in 0..<40 {
        rows.append(["R\(i)", "2025-01-0\(1 + i % 9) 10:00", i % 3 == 0 ? "a: x" : "b", agree[i % 5], i % 7 == 0 ? "n/a" : String(i % 23 + i / 3),
                     ["x;y", "y", "x;z", "z"][i % 4], "Some remark, with a comma; and a semicolon number \(i).", String(1 + i % 5)]
            .map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ","))
    }
    let csv = header.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") + "\n" + rows.joined(separator: "\n") + "\n"
    let s = try load(csv, questionnaire: false)
    let q = s.questionnaire
    #expect(q.question("trust \"AI\"")?.type == .likert)
    #expect(q.question("trust \"AI\"")?.options.map(\.code) == agree)
    #expect(q.question("trust \"AI\"")?.options.last?.flag == .dontKnow)
    #expect(q.question("años")?.type == .numeric && q.question("años")?.lenient == true)
    #expect(q.question("tools")?.type == .multi)
    #expect(q.question("notes")?.type == .open)
    // Whole numbers 1–5 without labels: categories in the order of their values, no scale assumed.
    #expect(q.question("score")?.type == .single && q.question("score")?.hasKnownOrder == false)
    #expect(q.question("score")?.options.map(\.code) == ["1", "2", "3", "4", "5"])
    #expect(q.sections.first { $0.id == "metadata" }?.questions.map(\.id) == ["Start Date"])
    let yaml = try QuestionnaireWriter.yaml(q)
    let back = try QuestionnaireLoader.parse(yaml, path: "back.yaml")
    #expect(back.sections.map(\.id) == q.sections.map(\.id) && back.sections.map(\.compare) == q.sections.map(\.compare))
    #expect(back.respondentIDColumn == "id")
    for (a, b) in zip(q.questions, back.questions) {
        #expect(a.id == b.id && a.type == b.type && a.options == b.options && a.scale == b.scale && a.lenient == b.lenient && a.reason == b.reason, "\(a.id)")
    }
}

/// The example in docs/questionnaire.md is a questionnaire the loader reads, with every key it documents.
@Test func documentedExampleLoads() throws {
    let doc = try String(contentsOfFile: Paths.root + "/docs/questionnaire.md", encoding: .utf8)
    let start = try #require(doc.range(of: "```yaml\n")), end = try #require(doc.range(of: "\n```", range: start.upperBound..<doc.endIndex))
    let q = try QuestionnaireLoader.parse(String(doc[start.upperBound..<end.lowerBound]), path: "docs/questionnaire.md")
    #expect(q.respondentIDColumn == "ResponseId")
    #expect(q.question("trust")?.options.last?.flag == .dontKnow)
    #expect(q.question("years")?.lenient == true)
    #expect(q.grouping?.rules.map(\.meaning) == ["clinical", "technical"])
    #expect(q.analysis.trustFactors == "trusted_by" && q.analysis.audit["error_analysis"]?.weak == ["never"])
}

/// Cleaning: a filter keeps the respondents whose answers meet every condition (codes or labels, `has`, `!=`,
/// `not`), a recode merges answers in place of the first, and both are recorded for provenance.
@Test func filtersAndRecodes() throws {
    let s = try SurveyLoader.load(path: Paths.root + "/data/ai4hi/responses.csv", options: .init(questionnairePath: Paths.questionnaire))
    let q = s.questionnaire
    let clinical = try SurveyFilter.parse("Q6 has clinical_expert", questionnaire: q)
    let expected = s.respondents.filter { $0.answer("Q6").codes.contains("clinical_expert") }.count
    #expect(s.cleaned([.filter(clinical)]).respondents.count == expected && expected > 0 && expected < s.respondents.count)
    // A label works as its code; != and not negate; and joins.
    let byLabel = try SurveyFilter.parse("Q1 = Over 60 years", questionnaire: q)
    #expect(byLabel.conditions.first?.test == .equals("age_over_60"))
    let both = try SurveyFilter.parse("Q6 has clinical_expert and not Q1 = age_over_60", questionnaire: q)
    let expectedBoth = s.respondents.filter { $0.answer("Q6").codes.contains("clinical_expert") && $0.answer("Q1") != .code("age_over_60") }.count
    #expect(s.cleaned([.filter(both)]).respondents.count == expectedBoth)
    #expect(throws: SurveyError.self) { try SurveyFilter.parse("Q7 has balance_performance", questionnaire: q) }
    #expect(throws: SurveyError.self) { try SurveyFilter.parse("Q7 = balanse", questionnaire: q) }
    // Recode: two answers become one, counted as their sum, in the place of the first.
    let r = try Recode.parse("Q7 balance_interpretability,balance_performance -> balance", questionnaire: q, label: "Seek a balance")
    let merged = s.cleaned([.recode(r)])
    let before = s.respondents.filter { ["balance_interpretability", "balance_performance"].contains($0.answer("Q7").codes.first ?? "") }.count
    #expect(merged.respondents.filter { $0.answer("Q7") == .code("balance") }.count == before)
    #expect(merged.questionnaire.question("Q7")?.options.map(\.code).contains("balance_performance") == false)
    #expect(merged.questionnaire.question("Q7")?.options.firstIndex { $0.code == "balance" } == q.question("Q7")?.options.firstIndex { $0.code == "balance_interpretability" })
    // Multi-answer: a respondent who ticked both counts once.
    let m = try Recode.parse("Q6 clinical_expert,clinical_validation -> clinical", questionnaire: q, label: nil)
    let mm = s.cleaned([.recode(m)])
    let either = s.respondents.filter { !Set($0.answer("Q6").codes).isDisjoint(with: ["clinical_expert", "clinical_validation"]) }.count
    #expect(mm.respondents.filter { $0.answer("Q6").codes.contains("clinical") }.count == either)
    #expect(mm.cleaning == ["recode Q6 clinical_expert,clinical_validation -> clinical"])
}

/// Whole numbers spread thinly over a wide range (ages in a small survey) are numeric; a few codes with a gap
/// (1, 2, 3, 99) and a rating without labels are categories, whose order is not assumed until declared.
@Test func spreadWholeNumbersAreNumeric() throws {
    var rows = ["id,age,coded,rating"]
    let ages = [23, 27, 31, 34, 38, 41, 45, 49, 52, 56, 60, 64]
    for k in 0..<40 { rows.append("R\(k),\(ages[k % ages.count]),\([1, 2, 3, 99][k % 4]),\(1 + k % 5)") }
    let s = try load(rows.joined(separator: "\n") + "\n", questionnaire: false)
    #expect(s.questionnaire.question("age")?.type == .numeric)
    #expect(s.questionnaire.question("coded")?.type == .single)
    #expect(s.questionnaire.question("rating")?.type == .single)
    let declared = try SurveyLoader.load(path: Paths.temporary(rows.joined(separator: "\n") + "\n"), options: .init(questionnairePath: "none", edits: [.type(question: "rating", .likert)]))
    #expect(declared.questionnaire.question("rating")?.type == .likert)
    #expect(declared.questionnaire.question("rating")?.options.map(\.code) == ["1", "2", "3", "4", "5"])
}
