import Foundation
import Testing
@testable import Statistics

/// Compares with R (scripts/make_ordinal_fixtures.R → Fixtures/r_ordinal.json): 120 random groups × ordered-answer
/// tables.
struct OrdinalReference: Decodable {
    struct Case: Decodable {
        let table: [[Int]]
        let kw: Double
        let kw_p: Double
        let w: Double?
        let w_p: Double?
        let m2: Double
        let m2_p: Double
    }
    let tables: [Case]

    static let shared: OrdinalReference = fixture("r_ordinal", rerun: "make_ordinal_fixtures.R")
}

@Test(arguments: OrdinalReference.shared.tables.indices)
func ordinalTestsMatchR(_ k: Int) throws {
    let c = OrdinalReference.shared.tables[k]
    let t = try OrdinalTests(c.table)
    #expect(close(t.kruskalWallis.h, c.kw, rel: 1e-10, abs: 1e-12), "H")
    #expect(close(t.kruskalWallis.p, c.kw_p, rel: 1e-9, abs: 1e-300), "KW p")
    #expect(close(t.trend.m2, c.m2, rel: 1e-9, abs: 1e-12), "M²")
    #expect(close(t.trend.p, c.m2_p, rel: 1e-8, abs: 1e-300), "trend p")
    if let w = c.w, let p = c.w_p {
        #expect(close(t.rankSum?.w, w, rel: 1e-12, abs: 1e-12), "W")
        #expect(close(t.rankSum?.p, p, rel: 1e-9, abs: 1e-300), "Wilcoxon p")
    } else {
        #expect(t.rankSum == nil)
    }
}

@Test func ordinalEffectSizesHaveTheirRanges() throws {
    // Group 1 answers strictly higher than group 2: rank-biserial r = 1 and a positive trend.
    let t = try OrdinalTests([[0, 0, 5], [5, 0, 0]])
    #expect(t.rankSum?.rankBiserial == -1 || t.rankSum?.rankBiserial == 1)
    #expect(abs(t.trend.correlation) > 0.99)
    #expect(t.kruskalWallis.epsilonSquared > 0 && t.kruskalWallis.epsilonSquared <= 1)
    #expect(throws: StatisticsError.self) { try OrdinalTests([[3, 0], [4, 0]]) }
}
