/// The tests one contingency table gets (`chisq`): Pearson's chi-square (with Yates for 2 × 2, G, Cramér's V,
/// expected counts and adjusted residuals); Fisher's exact test when asked for, or by itself when an expected count
/// is below 5 (where the chi-square approximation is doubtful, Cochran 1954), within its budget; and a Monte Carlo p
/// with fixed margins when asked for (B replicates, seed).
public struct ContingencyTests: Sendable {
    public enum FisherReason: String, Sendable, Encodable {
        case requested
        /// An expected count below 5.
        case smallExpected = "small_expected"
    }

    public let pearson: PearsonChiSquare
    public let fisher: FisherExact?
    public let fisherReason: FisherReason?
    /// Why Fisher's test was not run although it was due (a table too large for it), for the output to say.
    public let fisherNotRun: StatisticsError?
    public let monteCarlo: MonteCarloChiSquare?

    /// - Parameters:
    ///   - exact: run Fisher's test whatever the expected counts (with `budget`, usually `.requested`).
    ///   - simulate: replicates of the Monte Carlo p (nil: none).
    public init(_ table: ContingencyTable, exact: Bool = false, budget: ExactBudget = .automatic, simulate: Int? = nil, seed: UInt64 = 1) throws {
        pearson = PearsonChiSquare(table)
        fisherReason = exact ? .requested : pearson.minExpected < 5 ? .smallExpected : nil
        var notRun: StatisticsError?
        do {
            fisher = try fisherReason.map { _ in try FisherExact(table, budget: budget, seed: seed) }
        } catch let e as StatisticsError {
            guard case .tableTooLarge = e else { throw e }
            fisher = nil
            notRun = e
        }
        fisherNotRun = notRun
        monteCarlo = try simulate.map { try MonteCarloChiSquare(table, replicates: $0, seed: seed) }
    }

    /// Every test run, in `htest` shape: Pearson first, then Fisher, then the Monte Carlo p.
    public var results: [TestResult] {
        [pearson.result] + [fisher?.result].compactMap { $0 }
            + [monteCarlo.map { m in
                TestResult(method: "Pearson's Chi-squared test with simulated p-value (based on \(m.replicates) replicates, seed \(m.seed))",
                           statisticName: "X-squared", statistic: pearson.statistic, p: m.p,
                           warnings: ["p is an estimate with standard error \(m.standardError)"])
            }].compactMap { $0 }
    }
}
