import Testing
@testable import Survey

/// The bundled survey reproduces every count of FACTS.md (TG n = 30, CG n = 19).
struct BundledData {
    static let survey: Survey = try! SurveyLoader.load(path: Paths.bundled, options: .init(questionnairePath: Paths.questionnaire))
    static let groups: GroupAssignment = try! GroupAssignment(survey: survey, variable: .roles(enabledOptional: []))

    /// Respondents in `group` (nil: all) whose answer to `q` contains any of `codes`.
    static func count(_ q: String, _ codes: [String], _ group: String?) -> Int {
        survey.respondents.filter { r in
            (group == nil || groups.groupOf[r.id] == group) && !Set(r.answer(q).codes).isDisjoint(with: codes)
        }.count
    }
}

@Test func groupSizes() {
    #expect(BundledData.survey.respondents.count == 49)
    #expect(BundledData.groups.size("TG") == 30)
    #expect(BundledData.groups.size("CG") == 19)
    #expect(BundledData.groups.unassigned.isEmpty)
    #expect(BundledData.groups.levels == ["TG", "CG"])
}

@Test func profileFacts() {
    let c = BundledData.count
    #expect([c("Q1", ["age_20_40"], nil), c("Q1", ["age_40_60"], nil), c("Q1", ["age_over_60"], nil)] == [29, 17, 3])
    #expect([c("Q2", ["exp_1_5"], nil), c("Q2", ["exp_5_10"], nil), c("Q2", ["exp_10_20"], nil), c("Q2", ["exp_over_20"], nil)] == [20, 14, 13, 2])
    #expect([c("Q3", ["research_institute"], nil), c("Q3", ["health_organisation"], nil), c("Q3", ["company"], nil)] == [34, 11, 4])
    let over60Company = BundledData.survey.respondents.filter { $0.answer("Q1").codes == ["age_over_60"] && $0.answer("Q3").codes == ["company"] }
    #expect(over60Company.isEmpty)
    #expect(c("Q1", ["age_40_60"], "CG") == 9)
    #expect(c("Q3", ["health_organisation"], "CG") == 10)
    #expect(c("Q2", ["exp_1_5"], "CG") == 8)
}

/// (question, codes, TG count, CG count); nil where the paper gives no figure for that group.
let publishedCounts: [(String, [String], Int?, Int?)] = [
    ("Q7", ["balance_interpretability", "balance_performance"], 20, 15),
    ("Q9", ["only_with_ground_truth"], 22, 12),
    ("Q9", ["unsupervised_scores"], 8, 2),
    ("Q12", ["multi_institutional"], 23, 12),
    ("Q10", ["transparency_traceability"], 23, 11),
    ("Q10", ["explainable_models"], 20, 16),
    ("Q11", ["post_hoc_features"], 22, nil),
    ("Q11", ["local_explanations"], 18, nil),
    ("Q11", ["both"], 14, nil),
    ("Q11", ["out_of_expertise"], 5, nil),
    ("Q18", ["kfold_cv"], 16, nil),
    ("Q18", ["single_split"], nil, 8),
    ("Q19", ["yes"], 22, nil),
    ("Q19", ["lack_knowledge"], nil, 12),
    ("Q21", ["no_experience"], 15, 12),
    ("Q21", ["internal_external"], 15, nil),
    ("Q22", ["when_possible"], 26, 10),
    ("Q22", ["never"], nil, 7),
    ("Q23", ["only_real"], 24, 13),
    ("Q23", ["real_and_synthetic_assessed"], 6, 4),
    ("Q23", ["both_indiscriminately"], nil, 1),
    ("Q23", ["only_synthetic"], nil, 1),
    ("Q20", ["performance_metrics"], 30, 10),
    ("Q20", ["visual_analytics"], 14, 6),
    ("Q20", ["manual_checks"], 11, 4),
    ("Q24", ["average_metric_ci"], 12, 8),
    ("Q25", ["dice_overlap"], 24, 9),
    ("Q26", ["mse"], 20, 8),
    ("Q26", ["no_relevant_metrics"], 8, nil),
    ("Q27", ["bias_variance"], 5, nil),
    ("Q28", ["always_clinical", "sometimes"], 15, 8),
    ("Q28", ["sometimes"], nil, 6),
    ("Q28", ["always_clinical"], nil, 2),
    ("Q28", ["lack_expertise"], 9, 10),
    ("Q29", ["yes"], 28, 19),
    ("Q30", ["yes"], 16, 10),
    ("Q31", ["yes"], 28, 13),
    ("Q32", ["always"], 8, 4),
    ("Q32", ["when_possible"], 21, 12),
    ("Q32", ["never"], nil, 3),
    ("Q36", ["always", "when_possible"], 20, 14),
    ("Q36", ["when_possible"], 17, 8),
    ("Q36", ["always"], nil, 6),
    ("Q36", ["never"], nil, 3),
    ("Q37", ["when_available"], 23, nil),
    ("Q33", ["age"], 25, 13),
    ("Q33", ["sex"], 24, 12),
    ("Q33", ["health_status"], 20, 14),
    ("Q33", ["demographic"], nil, 14),
    ("Q34", ["external_large"], 14, 6),
    ("Q34", ["undersized_independent"], 11, 5),
    ("Q34", ["independent_team"], nil, 6),
    ("Q8", ["4"], 11, nil),
    ("Q13", ["always"], 15, nil),
    ("Q13", ["dont_know"], nil, 8),
    ("Q13", ["maybe"], nil, 7),
    ("Q14", ["always_corrective", "always"], 19, nil),
    ("Q14", ["always_corrective"], 8, nil),
    ("Q14", ["dont_know_how"], nil, 15),
    ("Q14", ["when_time_permits"], 10, nil),
    ("Q15", ["if_time_allows"], 16, nil),
    ("Q16", ["always"], 5, nil),
    ("Q16", ["dont_know_how"], nil, 9),
    ("Q17", ["target_shuffling", "sensitivity_analysis", "other_permutation"], 17, nil),
    ("Q17", ["sensitivity_analysis"], 10, nil),
]

@Test(arguments: publishedCounts.indices)
func publishedCount(_ k: Int) {
    let (q, codes, tg, cg) = publishedCounts[k]
    if let tg { #expect(BundledData.count(q, codes, "TG") == tg, "\(q) \(codes) TG") }
    if let cg { #expect(BundledData.count(q, codes, "CG") == cg, "\(q) \(codes) CG") }
}

@Test func orderingFactsFromTheText() {
    let c = BundledData.count
    // Q8: score 4 is TG's largest share; TG with 10-20 years gave only 3 or 4; the 5s come from under 10 years.
    let tgScores = (1...5).map { c("Q8", [String($0)], "TG") }
    #expect(tgScores.max() == tgScores[3])
    let tg = BundledData.survey.respondents.filter { BundledData.groups.groupOf[$0.id] == "TG" }
    #expect(tg.filter { $0.answer("Q2").codes == ["exp_10_20"] }.allSatisfy { ["3", "4"].contains($0.answer("Q8").codes.first ?? "") })
    #expect(tg.filter { $0.answer("Q8").codes == ["5"] }.allSatisfy { ["exp_1_5", "exp_5_10"].contains($0.answer("Q2").codes.first ?? "") })
    // Q10: transparency first and explainability second for TG; for CG explainability first, large datasets second,
    // transparency third.
    let q10 = BundledData.survey.questionnaire.question("Q10")!.options.map(\.code)
    let tgRank = q10.sorted { c("Q10", [$0], "TG") > c("Q10", [$1], "TG") }
    let cgRank = q10.sorted { c("Q10", [$0], "CG") > c("Q10", [$1], "CG") }
    #expect(Array(tgRank.prefix(2)) == ["transparency_traceability", "explainable_models"])
    #expect(Array(cgRank.prefix(3)) == ["explainable_models", "large_datasets", "transparency_traceability"])
    // Q11: graphical feature presentation first, local explanations second for CG.
    #expect(c("Q11", ["post_hoc_features"], "CG") > c("Q11", ["local_explanations"], "CG"))
    // Q33: age most voted in TG; demographic and health status most voted in CG.
    let q33 = BundledData.survey.questionnaire.question("Q33")!.options.map(\.code)
    #expect(q33.allSatisfy { c("Q33", [$0], "TG") <= 25 })
    #expect(q33.allSatisfy { c("Q33", [$0], "CG") <= 14 })
    // Every open answer is present for both groups.
    #expect(BundledData.survey.respondents.filter { !$0.answer("Q35").isMissing }.count == 20)
}
