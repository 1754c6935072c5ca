import Foundation
import Testing
@testable import Statistics

/// Compares with R (scripts/make_numeric_fixtures.R → Fixtures/r_numeric.json): 100 random numeric questions in
/// two to four groups, with ties.
struct NumericReference: Decodable {
    struct Group: Decodable { let values: [Double]; let mean: Double; let sd: Double; let median: Double; let q1: Double; let q3: Double }
    struct Case: Decodable {
        let groups: [Group]
        let welch: Double
        let welch_df2: Double
        let welch_p: Double
        let w: Double?
        let w_p: Double?
        let kw: Double
        let kw_p: Double
    }
    struct TTail: Decodable { let t: Double; let df: Double; let p: Double }
    struct FTail: Decodable { let f: Double; let d1: Double; let d2: Double; let p: Double }
    let cases: [Case]
    let t_tails: [TTail]
    let f_tails: [FTail]

    static let shared: NumericReference = fixture("r_numeric", rerun: "make_numeric_fixtures.R")
}

@Test(arguments: NumericReference.shared.cases.indices)
func numericComparisonMatchesR(_ k: Int) throws {
    let c = NumericReference.shared.cases[k]
    let result = try NumericComparison(samples: c.groups.map(\.values))
    for (mine, r) in zip(result.groups, c.groups) {
        #expect(close(mine.mean, r.mean, rel: 1e-12, abs: 1e-12))
        #expect(close(mine.sd, r.sd, rel: 1e-10, abs: 1e-12))
        #expect(close(mine.median, r.median, rel: 1e-12, abs: 1e-12))
        #expect(close(mine.q1, r.q1, rel: 1e-12, abs: 1e-12))
        #expect(close(mine.q3, r.q3, rel: 1e-12, abs: 1e-12))
    }
    let welch = try #require(result.welch)
    #expect(close(welch.statistic, c.welch, rel: 1e-9, abs: 1e-12), "Welch statistic")
    #expect(close(welch.df2, c.welch_df2, rel: 1e-9), "Welch df")
    #expect(close(welch.p, c.welch_p, rel: 1e-8, abs: 1e-300), "Welch p \(welch.p) vs \(c.welch_p)")
    #expect(close(result.ranks.kruskalWallis.h, c.kw, rel: 1e-10, abs: 1e-12), "H")
    #expect(close(result.ranks.kruskalWallis.p, c.kw_p, rel: 1e-9, abs: 1e-300), "KW p")
    if let w = c.w, let p = c.w_p {
        #expect(close(result.ranks.rankSum?.w, w, rel: 1e-12, abs: 1e-12), "W")
        #expect(close(result.ranks.rankSum?.p, p, rel: 1e-9, abs: 1e-300), "Wilcoxon p")
    }
}

@Test func tAndFTailsMatchR() {
    for t in NumericReference.shared.t_tails {
        #expect(close(StudentT.twoSidedP(t.t, df: t.df), t.p, rel: 1e-10, abs: 1e-300), "t = \(t.t), df = \(t.df)")
    }
    for f in NumericReference.shared.f_tails {
        #expect(close(FDistribution.upperTail(f.f, d1: f.d1, d2: f.d2), f.p, rel: 1e-10, abs: 1e-300), "F = \(f.f)")
    }
}

@Test func numericEdgeCases() throws {
    // A group whose answers are all equal has no spread: Welch is unavailable (and says why), the rank tests run.
    let flat = try NumericComparison(samples: [[3, 3, 3], [1, 2, 4, .nan], [5, 6, 7]])
    #expect(flat.welch == nil && flat.welchUnavailable != nil)
    // With two groups, one without spread is still a t-test (as R's t.test).
    #expect(try NumericComparison(samples: [[3, 3, 3], [1, 2, 4]]).welch != nil)
    #expect(flat.groups[1].missing == 1 && flat.groups[1].n == 3)
    #expect(throws: StatisticsError.self) { try NumericComparison(samples: [[1, 2], [.nan]]) }
    #expect(Descriptives([]).mean.isNaN)
}
