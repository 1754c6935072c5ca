import Foundation
import Testing
@testable import Statistics

/// Compares the MMI test with scripts/make_mmi_fixtures.py (SciPy per item and naive; Rao–Scott from patterns).
struct MMIReference: Decodable {
    struct Item: Decodable { let index: Int; let statistic: Double; let p: Double; let p_bonferroni: Double }
    struct RS2: Decodable { let statistic: Double; let df: Double; let p: Double }
    struct Naive: Decodable { let statistic: Double; let df: Int; let p: Double }
    struct Case: Decodable {
        let name: String
        let groups: [Int]
        let selections: [[Bool]]
        let items: [Item]
        let statistic: Double
        let bonferroni_p: Double
        let rs2: RS2
        let naive: Naive
    }
    let cases: [Case]

    static let shared: MMIReference = {
        let url = Bundle.module.url(forResource: "mmi_reference", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(MMIReference.self, from: Data(contentsOf: url))
    }()
}

@Test(arguments: MMIReference.shared.cases.indices)
func mmiMatchesReference(_ k: Int) throws {
    let c = MMIReference.shared.cases[k]
    let t = try MarginalIndependenceTest(groups: c.groups, selections: c.selections)
    #expect(t.items.map(\.index) == c.items.map(\.index), "\(c.name)")
    for (mine, ref) in zip(t.items, c.items) {
        #expect(close(mine.statistic, ref.statistic), "\(c.name) item \(ref.index) X²")
        #expect(close(mine.p, ref.p), "\(c.name) item \(ref.index) p")
        #expect(close(mine.pBonferroni, ref.p_bonferroni))
    }
    #expect(close(t.statistic, c.statistic))
    #expect(close(t.bonferroniP, c.bonferroni_p))
    #expect(close(t.rs2?.statistic, c.rs2.statistic, rel: 1e-9), "\(c.name) RS2 statistic")
    #expect(close(t.rs2?.degreesOfFreedom, c.rs2.df, rel: 1e-9), "\(c.name) RS2 df")
    #expect(close(t.rs2?.p, c.rs2.p, rel: 1e-8), "\(c.name) RS2 p")
    #expect(close(t.naive?.statistic, c.naive.statistic))
    #expect(t.naive?.degreesOfFreedom == c.naive.df)
    #expect(close(t.naive?.p, c.naive.p))
}
