import Testing
@testable import Survey

@Test func exposureRecoversThePapersConclusions() throws {
    let e = try Exposure(survey: BundledData.survey, grouping: BundledData.groups)
    let tg = Set(e.rows(for: "TG").map(\.question.id)), cg = Set(e.rows(for: "CG").map(\.question.id))
    // TG would benefit from exposure to stability and robustness checks and to the mitigation of fairness issues.
    #expect(tg.isSuperset(of: ["Q16", "Q17", "Q30"]), "\(tg)")
    // CG to cross-validation techniques and segmentation metrics.
    #expect(cg.isSuperset(of: ["Q19", "Q25"]), "\(cg)")
    // Counts behind a row: CG 12 of 19 lack knowledge of nested cross-validation, TG 3 of 30.
    let q19 = e.rows.first { $0.question.id == "Q19" }
    #expect(q19?.counts["CG"]?.flagged == 12 && q19?.counts["CG"]?.n == 19 && q19?.counts["TG"]?.flagged == 3)
    #expect((q19?.intervals["CG"]?.contains(12.0 / 19) ?? false) && (q19?.fisherP ?? 1) < 0.001)
    // Rows are ordered by the size of the difference.
    #expect(zip(e.rows, e.rows.dropFirst()).allSatisfy { $0.difference >= $1.difference })
}

@Test func gapRanksTheTableOneQuestionsFirst() throws {
    let g = try SurveyGap(survey: BundledData.survey, grouping: BundledData.groups, replicates: 200, seed: 7)
    #expect(zip(g.rows, g.rows.dropFirst()).allSatisfy { $0.comparison.effectSize >= $1.comparison.effectSize })
    let table1: Set<String> = ["Q7", "Q9", "Q10", "Q11", "Q12", "Q13", "Q14", "Q15", "Q19", "Q20", "Q22", "Q25", "Q26", "Q33", "Q34"]
    #expect(table1.contains(g.rows[0].comparison.question.id))
    #expect(g.rows.prefix(10).allSatisfy { table1.contains($0.comparison.question.id) })
    #expect(g.rows.allSatisfy { $0.pAdjusted >= $0.comparison.p && $0.interval.lowerBound <= $0.interval.upperBound })
    let q14 = g.rows.first { $0.comparison.question.id == "Q14" }
    #expect(q14?.comparison.drivers.first?.code == "dont_know_how" && q14?.comparison.drivers.first?.group == "CG")
    // Same seed, same intervals.
    let again = try SurveyGap(survey: BundledData.survey, grouping: BundledData.groups, replicates: 200, seed: 7)
    #expect(g.rows.map(\.interval) == again.rows.map(\.interval))
}

@Test func prioritiesForTheExplanationGenerator() throws {
    let (trust, strategies) = try GroupPriorities.forExplanations(survey: BundledData.survey, grouping: BundledData.groups)
    #expect(trust.ranking["TG"]?.prefix(2).map(\.code) == ["transparency_traceability", "explainable_models"])
    #expect(trust.ranking["CG"]?.prefix(3).map(\.code) == ["explainable_models", "large_datasets", "transparency_traceability"])
    #expect(trust.ranking["TG"]?.first?.count == 23 && trust.ranking["TG"]?.first?.n == 30)
    #expect(abs((trust.ranking["CG"]?.first?.share ?? 0) - 16.0 / 19) < 1e-12)
    #expect(strategies.ranking["CG"]?.prefix(2).map(\.code) == ["post_hoc_features", "local_explanations"])
    #expect(!(trust.ranking["TG"] ?? []).contains { $0.code == "other" })
}
