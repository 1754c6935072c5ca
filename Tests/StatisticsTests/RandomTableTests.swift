import Foundation
import Testing
@testable import Statistics

/// The randomized comparison with R: 300 tables drawn with a fixed seed and 64 Monte Carlo cases
/// (scripts/make_random_table_fixtures.R → Fixtures/r_random_tables.json).
struct RandomTables: Decodable {
    struct TableCase: Decodable {
        let table: [[Double]]
        let statistic: Double
        let df: Int
        let p: Double
        let stdres: [[Double]]
        let g: Double
        let cramers_v: Double
        let yates_statistic: Double?
        let yates_p: Double?
        let fisher_p: Double?
        let fisher_mc_p: Double?
    }
    struct MonteCarlo: Decodable { let table: [[Double]]; let replicates: Int; let p: Double; let exact_p: Double? }
    let tables: [TableCase]
    let montecarlo: [MonteCarlo]

    static let shared: RandomTables = fixture("r_random_tables", rerun: "make_random_table_fixtures.R")
}

@Test func randomFixtureHasTheAgreedSize() {
    #expect(RandomTables.shared.tables.count >= 300)
    #expect(RandomTables.shared.montecarlo.count >= 60)
    // Balanced tables with N ≥ 1,000 and tables whose exact p is 1 are among the Monte Carlo cases.
    #expect(RandomTables.shared.montecarlo.contains { $0.table.joined().reduce(0, +) >= 1000 && Set($0.table.joined()).count == 1 })
    #expect(RandomTables.shared.montecarlo.contains { ($0.exact_p ?? 0) > 0.999_999 })
}

@Test(arguments: RandomTables.shared.tables.indices)
func randomTableStatisticsMatchR(_ k: Int) throws {
    let c = RandomTables.shared.tables[k]
    let t = PearsonChiSquare(try ContingencyTable(c.table))
    #expect(close(t.statistic, c.statistic, rel: 1e-10, abs: 1e-12), "X²")
    #expect(t.degreesOfFreedom == c.df)
    #expect(close(t.p, c.p, rel: 1e-9, abs: 1e-300), "p")
    #expect(close(t.likelihoodRatio, c.g, rel: 1e-10, abs: 1e-12), "G")
    #expect(close(t.cramersV, c.cramers_v, rel: 1e-10, abs: 1e-12), "V")
    #expect(close(t.yatesStatistic, c.yates_statistic, rel: 1e-10, abs: 1e-12), "Yates")
    #expect(close(t.yatesP, c.yates_p, rel: 1e-9, abs: 1e-300), "Yates p")
    for (i, row) in c.stdres.enumerated() {
        for (j, r) in row.enumerated() { #expect(close(t.adjustedResiduals[i][j], r, rel: 1e-9, abs: 1e-12), "residual \(i),\(j)") }
    }
}

/// Fisher's exact p against R's `fisher.test`. Where the two disagree, R's own Monte Carlo estimate of the same p
/// (B = 100,000) decides: FEXACT is known to lose paths on some sparse tables (a 6 × 7 table with N = 57 gives
/// 0.7597 from `fisher.test` and 0.886 from its own simulation and from our enumeration).
@Test(arguments: RandomTables.shared.tables.indices.filter { RandomTables.shared.tables[$0].fisher_p != nil })
func randomTableFisherMatchesR(_ k: Int) throws {
    let c = RandomTables.shared.tables[k]
    guard let expected = c.fisher_p, let simulated = c.fisher_mc_p else { return }
    let f = try FisherExact(try ContingencyTable(c.table), budget: .requested)
    #expect(f.method == .exact)
    // On tables with two rows or columns R does not lose paths, and the two sums agree far inside R's tie
    // tolerance: to 1e-9 (merging pasts on a 1e-8 grid once moved these p by up to 5e-9).
    if c.table.count == 2 || c.table[0].count == 2 {
        #expect(close(f.p, expected, rel: 1e-9, abs: 1e-300), "Fisher p \(f.p) vs R \(expected)")
    }
    if close(f.p, expected, rel: 1e-7, abs: 1e-300) { return }
    let se = (simulated * (1 - simulated) / 100_000).squareRoot()
    #expect(abs(f.p - simulated) <= 4 * se + 1e-5, "Fisher p \(f.p), R exact \(expected), R Monte Carlo \(simulated)")
    #expect(abs(expected - simulated) > 4 * se, "R's exact and simulated p agree (\(expected), \(simulated)) and ours, \(f.p), differs")
}

/// The simulated chi-square p within 4 combined standard errors of R's, and of the exact permutation p where the
/// fixture has it (two-row tables, enumerated in R). Balanced tables with N in the thousands (where the old sampler
/// underflowed and gave p = 1) and tables with exact p = 1 (where ties were lost) are among them.
@Test func monteCarloMatchesRAndExactOnSixtyFourTables() throws {
    for (k, m) in RandomTables.shared.montecarlo.enumerated() {
        let mine = try MonteCarloChiSquare(try ContingencyTable(m.table), replicates: m.replicates, seed: UInt64(k + 1))
        let rSE = (m.p * (1 - m.p) / Double(m.replicates)).squareRoot()
        // An SE of 0 (every draw on one side) still allows the one-draw resolution of the estimate.
        let combined = max((mine.standardError * mine.standardError + rSE * rSE).squareRoot(), 1 / Double(m.replicates))
        #expect(abs(mine.p - m.p) <= 4 * combined, "\(m.table): ours \(mine.p) ± \(mine.standardError), R \(m.p)")
        if let exact = m.exact_p {
            let se = max(mine.standardError, 1 / Double(m.replicates))
            #expect(abs(mine.p - exact) <= 4 * se, "\(m.table): ours \(mine.p), exact \(exact)")
        }
    }
}
