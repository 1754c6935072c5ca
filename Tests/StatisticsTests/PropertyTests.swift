import Testing
@testable import Statistics

@Test func emptyRowsAndColumnsAreDroppedAndReported() throws {
    let t = try ContingencyTable([[3, 0, 4], [0, 0, 0], [2, 0, 1]])
    #expect(t.droppedRows == [1])
    #expect(t.droppedColumns == [1])
    #expect(t.counts == [[3, 4], [2, 1]])
    #expect(PearsonChiSquare(t).warnings.contains { $0.contains("dropped 1 empty row") })
}

@Test func degenerateTablesThrow() {
    #expect(throws: StatisticsError.self) { try ContingencyTable([[1, 2]]) }
    #expect(throws: StatisticsError.self) { try ContingencyTable([[1, 2], [3]]) }
    #expect(throws: StatisticsError.self) { try ContingencyTable([[1, -2], [3, 4]]) }
    #expect(throws: StatisticsError.self) { try ContingencyTable([[1.5, 2], [3, 4]]) }
}

@Test func monteCarloIsReproducibleAndNearTheAsymptoticP() throws {
    let t = try ContingencyTable([[20, 9, 1], [15, 0, 4]])
    let a = try MonteCarloChiSquare(t, replicates: 20000, seed: 42)
    let b = try MonteCarloChiSquare(t, replicates: 20000, seed: 42)
    #expect(a.p == b.p)
    // The exact (Fisher) p for this table is the target the simulated X² p approximates; within 4 SE.
    let exact = try FisherExact(t).p
    #expect(abs(a.p - exact) < 4 * a.standardError + 0.01)
}

@Test func fisherFallsBackToLabelledMonteCarlo() throws {
    let t = try ContingencyTable([[30, 25, 20, 15, 10], [12, 18, 22, 28, 35], [20, 20, 20, 20, 20]])
    let f = try FisherExact(t, budget: ExactBudget(seconds: 60, bytes: 100_000), fallbackReplicates: 2000, seed: 3)
    guard case .monteCarlo(let b, _, let se, let limit, let asExtreme) = f.method else { Issue.record("expected Monte Carlo"); return }
    #expect(b == 2000)
    #expect(limit == .memory(bytes: 100_000))
    #expect(se > 0 && f.p > 0 && f.p <= 1 && asExtreme > 0)
}

/// The work budget is counted in steps, so a table stops at the same point on every run, whatever the machine's
/// load, and gives the same Monte Carlo answer; with a budget it fits, the same steps and the same exact p.
@Test func fisherWorkBudgetIsCountedNotTimed() throws {
    let t = try ContingencyTable([[7, 7, 11, 4, 6], [11, 15, 14, 13, 19], [9, 5, 9, 6, 10], [7, 12, 14, 8, 13]])
    let small = ExactBudget(steps: 200_000, bytes: 1 << 30)
    let a = try FisherExact(t, budget: small, fallbackReplicates: 3000, seed: 9)
    let b = try FisherExact(t, budget: small, fallbackReplicates: 3000, seed: 9)
    guard case .monteCarlo(_, _, _, let limit, _) = a.method else { Issue.record("expected Monte Carlo, got \(a.method)"); return }
    #expect(limit == .work(seconds: small.seconds))
    #expect(a.p == b.p && a.method == b.method && a.steps == b.steps)
    #expect(a.steps > 200_000 && a.steps < 200_000 + 100_000, "stops within a few thousand steps of its budget: \(a.steps)")
    let whole = try FisherExact(try ContingencyTable([[3, 1, 4], [1, 5, 9], [2, 6, 5]]))
    let again = try FisherExact(try ContingencyTable([[3, 1, 4], [1, 5, 9], [2, 6, 5]]))
    #expect(whole.method == .exact && whole.steps == again.steps && whole.steps > 0)
}

/// With no simulated table as extreme as the observed one, the Monte Carlo p is only known to be below 1/(B + 1):
/// the result says so (no standard error is meaningful), instead of "1.00e-05 ± 1.00e-05".
@Test func monteCarloWithNoTableAsExtremeSaysBelow() throws {
    let t = try ContingencyTable([[500, 0], [0, 500]])
    let f = try FisherExact(t, budget: ExactBudget(steps: 1, bytes: 1), fallbackReplicates: 999, seed: 1)
    guard case .monteCarlo(let b, _, _, _, let asExtreme) = f.method else { Issue.record("expected Monte Carlo"); return }
    #expect(b == 999 && asExtreme == 0 && f.p == 1.0 / 1000)
    #expect(f.result.warnings.first?.contains("p < 1/(B + 1)") == true, "\(f.result.warnings)")
    let m = try MonteCarloChiSquare(t, replicates: 999, seed: 1)
    #expect(m.asExtreme == 0)
}

/// Budgets as `--exact-budget` and `--timeout` take them: a time is work on the reference machine.
@Test func budgetsParse() throws {
    let b = try #require(ExactBudget.parse("3s,64MB", base: .automatic))
    #expect(b.steps == 3 * ExactBudget.stepsPerSecond && b.bytes == 64 << 20 && b.timeout == nil)
    #expect(ExactBudget.parse("10m", base: .requested)?.steps == 600 * ExactBudget.stepsPerSecond)
    #expect(ExactBudget.parse("fast", base: .automatic) == nil && ExactBudget.parse("0s", base: .automatic) == nil)
    #expect(ExactBudget.parse("1e400GB", base: .automatic) == nil)
    #expect(ExactBudget.parseSeconds("500ms") == 0.5 && ExactBudget.parseSeconds("2min") == 120 && ExactBudget.parseSeconds("2GB") == nil)
}

@Test func mmiOnIndependentItemsHasUnitEigenvalues() throws {
    // Two groups whose answer patterns are identical: every item's X² is 0 and the test finds nothing.
    let patterns: [[Bool]] = [[true, false], [false, true], [true, true], [false, false]]
    let selections = patterns + patterns + patterns + patterns
    let groups = Array(repeating: 0, count: 8) + Array(repeating: 1, count: 8)
    let mmi = try MarginalIndependenceTest(groups: groups, selections: selections)
    #expect(abs(mmi.statistic) < 1e-12)
    #expect(mmi.bonferroniP == 1)
    // With independent items of equal within-group variance the RS2 df equals q = (r-1)c.
    #expect(abs((mmi.rs2?.degreesOfFreedom ?? 0) - 2) < 1e-9)
}

@Test func mmiBonferroniIsMinOfAdjustedItems() throws {
    var groups: [Int] = [], sel: [[Bool]] = []
    for i in 0..<30 { groups.append(0); sel.append([i < 25, i < 10, i % 2 == 0]) }
    for i in 0..<19 { groups.append(1); sel.append([i < 5, i < 9, i % 3 == 0]) }
    let mmi = try MarginalIndependenceTest(groups: groups, selections: sel, bootstrap: 499, seed: 7)
    let minAdj = mmi.items.map { min(1, 3 * $0.p) }.min()!
    #expect(mmi.bonferroniP == minAdj)
    #expect(mmi.items.count == 3)
    let again = try MarginalIndependenceTest(groups: groups, selections: sel, bootstrap: 499, seed: 7)
    #expect(mmi.bootstrapP == again.bootstrapP)
    #expect((mmi.bootstrapP ?? 1) < 0.05)
}

@Test func edgeInputs() throws {
    #expect(ChiSquareDistribution.upperTail(.nan, df: 1).isNaN)
    #expect(ChiSquareDistribution.upperTail(0, df: 3) == 1)
    #expect(try WilsonInterval(successes: 0, trials: 0) == WilsonInterval(successes: 0, trials: 0))
    #expect(throws: StatisticsError.self) { try WilsonInterval(successes: 3, trials: 2) }
    #expect(PValueAdjustment.holm.adjust([nil, .nan, 0.01]) == [nil, nil, 0.01])
    let n = try ChiSquarePower.sampleSize(w: 0.3, power: 0.8, df: 1)
    #expect(abs(try ChiSquarePower.power(w: 0.3, n: n, df: 1) - 0.8) < 1e-8)
    #expect(abs(n - 87.2) < 0.1)  // Cohen's table: 88 for w = .3, power .8, df 1
}

/// The radix order of the meeting in the middle sorts as the comparison sort does: scores from the highest, ties in
/// their first order, on seeded random scores with many ties and a wide range.
@Test func radixOrderSortsAsTheComparisonSort() throws {
    var rng = SeededGenerator(seed: 7)
    for size in [0, 1, 2, 300, 5_000] {
        let scores = (0..<size).map { k -> Double in
            let r = Double(rng.next() % 1_000_000) / 997
            return k % 3 == 0 ? (r * 10).rounded() : r * Double(1 + k % 50)
        }
        let order = try #require(ScoreTail.radixOrder(scores))
        let expected = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        #expect(order == expected, "size \(size)")
    }
    #expect(ScoreTail.radixOrder([1, -1]) == nil)
}

/// The least Σ ln x! over the tables with given margins (the flow the r-row network bounds its completions with) is
/// the minimum a brute-force enumeration finds, on seeded random margins of up to 4 × 4 and N = 14.
@Test func leastCompletionIsTheBruteForceMinimum() {
    var rng = SeededGenerator(seed: 3)
    let lf = LogFactorialTable(upTo: 40)
    func brute(_ rows: [Int], _ cols: [Int]) -> Double {
        // Fill row by row: each row split over the columns within what they have left.
        guard let first = rows.first else { return cols.allSatisfy { $0 == 0 } ? 0 : .infinity }
        var best = Double.infinity
        func place(_ k: Int, _ left: Int, _ colsLeft: [Int], _ score: Double) {
            if k == cols.count - 1 {
                guard left <= colsLeft[k] else { return }
                var rest = colsLeft
                rest[k] -= left
                best = min(best, score + lf[left] + brute(Array(rows.dropFirst()), rest))
                return
            }
            for x in 0...min(left, colsLeft[k]) {
                var rest = colsLeft
                rest[k] -= x
                place(k + 1, left - x, rest, score + lf[x])
            }
        }
        place(0, first, cols, 0)
        return best
    }
    for _ in 0..<60 {
        let r = 2 + Int(rng.next() % 3), c = 2 + Int(rng.next() % 3)
        var cells = (0..<r).map { _ in (0..<c).map { _ in Int(rng.next() % 4) } }
        if cells.joined().reduce(0, +) == 0 { cells[0][0] = 1 }
        let rows = cells.map { $0.reduce(0, +) }, cols = (0..<c).map { j in cells.reduce(0) { $0 + $1[j] } }
        let least = FisherExact.leastCompletion(rows: rows, columns: cols, lf: lf)
        #expect(abs(least - brute(rows, cols)) < 1e-9, "\(rows) \(cols)")
    }
}
