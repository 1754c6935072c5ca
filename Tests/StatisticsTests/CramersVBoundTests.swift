import Foundation
import Testing
@testable import Statistics

/// Compares with R (scripts/make_cramers_v_fixtures.R → Fixtures/r_cramers_v.json): 150 random tables.
struct CramersVReference: Decodable {
    struct Case: Decodable { let table: [[Int]]; let statistic: Double; let v: Double; let lower: Double; let lower_exact: Double }
    let tables: [Case]

    static let shared: CramersVReference = fixture("r_cramers_v", rerun: "make_cramers_v_fixtures.R")
}

@Test func cramersVLowerBoundMatchesEffectsize() throws {
    for c in CramersVReference.shared.tables {
        let table = try ContingencyTable(c.table)
        let t = PearsonChiSquare(table)
        #expect(close(t.cramersV, c.v, rel: 1e-10, abs: 1e-12))
        let lower = CramersVBound.lower(statistic: t.statistic, df: t.degreesOfFreedom, n: table.total,
                                        k: min(table.rowCount, table.columnCount) - 1)
        // Against the root of pchisq(X², df, λ) = 0.95 (R's uniroot to 1e-12). effectsize's own optimiser stops early on
        // large X², so its value (`lower`) is kept in the fixture for comparison only.
        #expect(abs(lower - c.lower_exact) <= 1e-7, "\(c.table): \(lower) vs R \(c.lower_exact) (effectsize \(c.lower))")
        #expect(lower <= t.cramersV, "the bound lies above its estimate")
    }
}
