import Foundation
import Testing
@testable import Statistics

/// Compares with values R computed (scripts/make_statistics_fixtures.R → Fixtures/r_reference.json).
struct RReference: Decodable {
    struct TableCase: Decodable {
        let table: [[Double]]
        let statistic: Double
        let df: Int
        let p: Double
        let expected: [[Double]]
        let stdres: [[Double]]
        let g: Double
        let g_p: Double
        let cramers_v: Double
        let yates_statistic: Double?
        let yates_p: Double?
        let fisher_p: Double?
    }
    struct Adjust: Decodable { let p: [Double?]; let holm: [Double?]; let bh: [Double?] }
    struct Wilson: Decodable { let x: Int; let n: Int; let lower: Double; let upper: Double }
    struct Power: Decodable { let w: Double; let n: Double; let df: Int; let critical: Double; let power: Double }
    struct Tail: Decodable { let x: Double; let df: Double; let upper: Double }
    struct MonteCarlo: Decodable { let table: [[Double]]; let replicates: Int; let p: Double }
    let tables: [TableCase]
    let adjust: Adjust
    let wilson: [Wilson]
    let power: [Power]
    let tails: [Tail]
    let montecarlo: [MonteCarlo]

    static let shared: RReference = {
        let url = Bundle.module.url(forResource: "r_reference", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(RReference.self, from: Data(contentsOf: url))
    }()
}

func close(_ a: Double?, _ b: Double?, rel: Double = 1e-10, abs absTol: Double = 1e-300) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    if a == b { return true }
    return abs(a - b) <= max(rel * max(abs(a), abs(b)), absTol)
}

@Test func fixtureHasAtLeastFortyTables() {
    #expect(RReference.shared.tables.count >= 40)
}

@Test(arguments: RReference.shared.tables.indices)
func pearsonMatchesR(_ k: Int) throws {
    let c = RReference.shared.tables[k]
    let t = PearsonChiSquare(try ContingencyTable(c.table))
    #expect(close(t.statistic, c.statistic), "X² \(t.statistic) vs \(c.statistic)")
    #expect(t.degreesOfFreedom == c.df)
    #expect(close(t.p, c.p), "p \(t.p) vs \(c.p)")
    #expect(close(t.likelihoodRatio, c.g))
    #expect(close(t.likelihoodRatioP, c.g_p))
    #expect(close(t.cramersV, c.cramers_v))
    #expect(close(t.yatesStatistic, c.yates_statistic, abs: 1e-12))
    #expect(close(t.yatesP, c.yates_p))
    for (i, row) in c.expected.enumerated() {
        for (j, e) in row.enumerated() {
            #expect(close(t.expected[i][j], e))
            #expect(close(t.adjustedResiduals[i][j], c.stdres[i][j], rel: 1e-9, abs: 1e-12))
        }
    }
}

@Test(arguments: RReference.shared.tables.indices)
func fisherMatchesR(_ k: Int) throws {
    let c = RReference.shared.tables[k]
    guard let expected = c.fisher_p else { return }
    let f = try FisherExact(try ContingencyTable(c.table), budget: .requested)
    #expect(f.method == .exact)
    // R's own relative tolerance for ties is 1e-7; the sums themselves agree far closer.
    #expect(close(f.p, expected, rel: 1e-7), "Fisher p \(f.p) vs R \(expected)")
}

@Test func pAdjustMatchesR() {
    let a = RReference.shared.adjust
    let holm = PValueAdjustment.holm.adjust(a.p), bh = PValueAdjustment.bh.adjust(a.p)
    for i in a.p.indices {
        #expect(close(holm[i] ?? nil, a.holm[i]))
        #expect(close(bh[i] ?? nil, a.bh[i]))
    }
}

@Test func wilsonMatchesR() throws {
    for w in RReference.shared.wilson {
        let ci = try WilsonInterval(successes: w.x, trials: w.n)
        #expect(close(ci.lower, w.lower, abs: 1e-15), "\(w.x)/\(w.n) lower")
        #expect(close(ci.upper, w.upper), "\(w.x)/\(w.n) upper")
    }
}

@Test func powerMatchesR() throws {
    for p in RReference.shared.power {
        #expect(close(ChiSquareDistribution.upperQuantile(0.05, df: Double(p.df)), p.critical))
        #expect(close(try ChiSquarePower.power(w: p.w, n: p.n, df: p.df), p.power, rel: 1e-9))
    }
}

@Test func upperTailDoesNotUnderflow() {
    for t in RReference.shared.tails {
        let p = ChiSquareDistribution.upperTail(t.x, df: t.df)
        #expect(close(p, t.upper, rel: 1e-10, abs: 0), "Q(\(t.df)/2, \(t.x)/2) = \(p) vs \(t.upper)")
    }
}

@Test func monteCarloAgreesWithRWithinFourStandardErrors() throws {
    for m in RReference.shared.montecarlo {
        let mine = try MonteCarloChiSquare(try ContingencyTable(m.table), replicates: m.replicates, seed: 2025)
        let rSE = (m.p * (1 - m.p) / Double(m.replicates)).squareRoot()
        let combined = (mine.standardError * mine.standardError + rSE * rSE).squareRoot()
        #expect(abs(mine.p - m.p) <= 4 * combined, "\(m.table): ours \(mine.p) ± \(mine.standardError), R \(m.p)")
    }
}
