import Testing
@testable import Statistics

/// Fisher's exact test runs when asked for, or by itself when an expected count is below 5; never otherwise.
@Test func fisherRunsWhenAskedOrWhenAnExpectedCountIsSmall() throws {
    let large = try ContingencyTable([[30, 20], [18, 32]])
    let plain = try ContingencyTests(large)
    #expect(plain.pearson.minExpected >= 5 && plain.fisher == nil && plain.fisherReason == nil && plain.results.count == 1)
    let asked = try ContingencyTests(large, exact: true, budget: .requested)
    let direct = try FisherExact(large)
    #expect(asked.fisherReason == .requested && asked.fisher?.p == direct.p)
    let small = try ContingencyTests(try ContingencyTable([[3, 1], [1, 4]]))
    #expect(small.pearson.minExpected < 5 && small.fisherReason == .smallExpected && small.fisher != nil)
    let simulated = try ContingencyTests(large, simulate: 2000, seed: 7)
    #expect(simulated.results.map(\.method).last?.hasPrefix("Pearson's Chi-squared test with simulated p-value (based on 2000 replicates") == true)
}
