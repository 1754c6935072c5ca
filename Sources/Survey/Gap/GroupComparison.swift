import Statistics

/// How the groups answer one question differently: the test, its p, an effect size and the answers that drive the
/// difference. Single-answer and Likert questions use Pearson's chi-square (effect: Cramér's V; drivers: cells with
/// |adjusted residual| > 1.96). Multi-answer questions use the MMI test with Bonferroni (effect: the largest
/// per-option Cramér's V, sqrt(X²_j / (n (r − 1))); drivers: options with Bonferroni p < 0.05).
public struct GroupComparison: Sendable {
    public struct Driver: Sendable {
        public let code: String
        /// The group that gives this answer more than expected, and by how much (adjusted residual or share gap).
        public let group: String
        public let strength: Double
        public let shares: [String: Double]
    }

    public let question: Question
    public let test: String
    public let statistic: Double
    public let df: Double
    public let p: Double
    public let effectSize: Double
    /// The one-sided 95% lower confidence bound of `effectSize` (noncentral chi-square inversion, `CramersVBound`):
    /// for a single-answer question from the table's X²; for a multi-answer one from the X² of the option whose V
    /// is the largest (a 2 × groups table).
    public let effectLowerBound: Double
    public let drivers: [Driver]
    public let warnings: [String]
    public let crosstab: Crosstab

    public init(survey: Survey, question: Question, grouping: GroupAssignment) throws {
        let x = try Crosstab(survey: survey, question: question.id, by: grouping)
        self.question = question
        crosstab = x
        let shares = { (j: Int) -> [String: Double] in
            Dictionary(uniqueKeysWithValues: x.rows.enumerated().map { r, g in (g, x.n[r] > 0 ? Double(x.counts[r][j]) / Double(x.n[r]) : 0) })
        }
        if x.isMultiAnswer, let summary = x.summary {
            let mmi = try MarginalIndependenceTest(summary: summary, raoScott: false)
            test = "mmi-bonferroni"
            statistic = mmi.statistic
            df = Double(mmi.items.count * (x.rows.count - 1))
            p = mmi.bonferroniP
            effectSize = Self.largestItemV(mmi) ?? 0
            let n = Double(mmi.groupSizes.reduce(0, +)), k = max(1, mmi.groupSizes.filter { $0 > 0 }.count - 1)
            effectLowerBound = mmi.items.max { $0.statistic < $1.statistic }
                .map { CramersVBound.lower(statistic: $0.statistic, df: k, n: n, k: 1) } ?? 0
            drivers = mmi.items.filter { $0.pBonferroni < 0.05 }.sorted { $0.p < $1.p }.map { item in
                let s = shares(item.index)
                let top = s.max { $0.value < $1.value }
                return Driver(code: x.columns[item.index], group: top?.key ?? "", strength: (s.values.max() ?? 0) - (s.values.min() ?? 0), shares: s)
            }
            warnings = []
        } else {
            let table = try x.contingencyTable()
            let t = PearsonChiSquare(table)
            test = "pearson"
            statistic = t.statistic
            df = Double(t.degreesOfFreedom)
            p = t.p
            effectSize = t.cramersV
            effectLowerBound = CramersVBound.lower(statistic: t.statistic, df: t.degreesOfFreedom, n: table.total,
                                                   k: min(table.rowCount, table.columnCount) - 1)
            var d: [Driver] = []
            for j in 0..<table.columnCount {
                for i in 0..<table.rowCount where t.adjustedResiduals[i][j] > 1.96 {
                    let col = table.keptColumns[j]
                    d.append(Driver(code: x.columns[col], group: x.rows[table.keptRows[i]], strength: t.adjustedResiduals[i][j], shares: shares(col)))
                }
            }
            drivers = d.sorted { $0.strength > $1.strength }
            warnings = t.minExpected < 5 ? [String(format: "min E = %.2f < 5", t.minExpected)] : []
        }
    }

    /// The effect size from per-respondent answers (group index and answer indicators): Cramér's V of the group ×
    /// answer table, or for a multi-answer question the largest per-option V, sqrt(X²_j / (n (r − 1))), with the
    /// MMI test's item statistics. nil when the table is degenerate. Used directly by the bootstrap of `SurveyGap`.
    public static func effectSize(groups: [Int], selections: [[Bool]], multiAnswer: Bool, groupCount: Int) -> Double? {
        if multiAnswer {
            return (try? MarginalIndependenceTest(groups: groups, selections: selections, raoScott: false)).flatMap(largestItemV)
        }
        let columns = selections.first?.count ?? 0
        var counts = [[Int]](repeating: [Int](repeating: 0, count: columns), count: groupCount)
        for (g, s) in zip(groups, selections) { for (j, on) in s.enumerated() where on { counts[g][j] += 1 } }
        return (try? ContingencyTable(counts)).map { PearsonChiSquare($0).cramersV }
    }

    /// The largest per-option Cramér's V of an MMI test, sqrt(X²_j / (n (r − 1))) over its groups with respondents.
    static func largestItemV(_ mmi: MarginalIndependenceTest) -> Double? {
        let n = Double(mmi.groupSizes.reduce(0, +)), k = Double(max(1, mmi.groupSizes.filter { $0 > 0 }.count - 1))
        return mmi.items.map { ($0.statistic / (n * k)).squareRoot() }.max()
    }

    /// A question `all` did not test, and why (so the adjustment family is never smaller than it looks).
    public struct Skipped: Sendable {
        public let question: Question
        public let reason: String
    }

    /// A numeric question's comparison in the family: Welch's test where it is defined, Kruskal–Wallis otherwise.
    public struct NumericRow: Sendable {
        public let question: Question
        public let comparison: NumericComparison
        /// "welch-t", "welch-anova" or "kruskal-wallis": the test whose p joins the family.
        public let test: String
        public let statistic: Double
        public let df: Double
        public let p: Double
    }

    /// The comparisons of every comparable question, and every other question with the reason it was not tested.
    public struct Family: Sendable {
        public let results: [GroupComparison]
        public let numeric: [NumericRow]
        public let skipped: [Skipped]
        /// How many tests the p-value adjustment covers.
        public var size: Int { results.count + numeric.count }
    }

    /// Every comparable question (categorical, in a section with `compare: true`, not the grouping variable itself)
    /// in questionnaire order; every other question is listed in `skipped` with its reason. Throws only when the
    /// user interrupts (Ctrl-C).
    public static func family(survey: Survey, grouping: GroupAssignment) throws -> Family {
        let groupingQuestion: String? = {
            switch grouping.variable {
            case .roles: return survey.questionnaire.grouping?.question
            case .question(let q): return survey.questionnaire.question(q)?.id ?? q
            }
        }()
        var results: [GroupComparison] = [], numeric: [NumericRow] = [], skipped: [Skipped] = []
        for section in survey.questionnaire.sections {
            for q in section.questions {
                if q.id == groupingQuestion {
                    skipped.append(Skipped(question: q, reason: "defines the groups (\(grouping.variable.name))"))
                    continue
                }
                guard section.compare else {
                    skipped.append(Skipped(question: q, reason: section.id == "metadata" ? "metadata of the response, not a question"
                                                : "profile question (section \"\(section.title)\" is not compared)"))
                    continue
                }
                if q.type == .numeric {
                    do {
                        let c = try NumericSamples(survey: survey, question: q.id, by: grouping).comparison()
                        if let w = c.welch {
                            numeric.append(NumericRow(question: q, comparison: c, test: w.kind == "t" ? "welch-t" : "welch-anova",
                                                      statistic: w.statistic, df: w.df2, p: w.p))
                        } else {
                            let kw = c.ranks.kruskalWallis
                            numeric.append(NumericRow(question: q, comparison: c, test: "kruskal-wallis", statistic: kw.h, df: Double(kw.df), p: kw.p))
                        }
                    } catch StatisticsError.interrupted {
                        throw StatisticsError.interrupted
                    } catch {
                        skipped.append(Skipped(question: q, reason: "numeric, with answers in fewer than two groups or a single value: nothing to test"))
                    }
                    continue
                }
                guard q.isCategorical else {
                    skipped.append(Skipped(question: q, reason: "open text (see themes)"))
                    continue
                }
                // A variable the groups are made from (role, when the groups are clinical/technical) sets each answer
                // in one group only: testing it against the groups tests the grouping against itself.
                if q.type != .multi, let x = try? Crosstab(survey: survey, question: q.id, by: grouping), Self.derivedFromGrouping(x) {
                    skipped.append(Skipped(question: q, reason: "each answer falls in one group only: derived from the grouping, or a perfect separation (crosstab \(q.id) shows it)"))
                    continue
                }
                do {
                    results.append(try GroupComparison(survey: survey, question: q, grouping: grouping))
                } catch StatisticsError.interrupted {
                    throw StatisticsError.interrupted
                } catch StatisticsError.degenerateTable(let rows, let columns) {
                    let reason = rows == 0 && columns == 0 ? "no option is ticked by some respondents and not by others"
                        : rows < 2 ? "answered in fewer than two groups" : "every respondent gave the same answer"
                    skipped.append(Skipped(question: q, reason: reason + ": nothing to test"))
                } catch {
                    skipped.append(Skipped(question: q, reason: "cannot be tested: \(error)"))
                }
            }
        }
        return Family(results: results, numeric: numeric, skipped: skipped)
    }

    /// Whether every answer given occurs in one group only, with at least two groups and three answers in the table
    /// (two answers in two groups can be a real, perfect difference; three or more that nest in the groups are a
    /// finer variable the groups were made from).
    static func derivedFromGrouping(_ x: Crosstab) -> Bool {
        let rowsWithAnswers = x.counts.filter { $0.contains { $0 > 0 } }.count
        let given = (0..<x.columns.count).filter { j in x.counts.contains { $0[j] > 0 } }
        guard rowsWithAnswers >= 2, given.count >= 3 else { return false }
        return given.allSatisfy { j in x.counts.filter { $0[j] > 0 }.count == 1 }
    }

    /// The comparisons of `family` alone, for callers that only rank effects.
    public static func all(survey: Survey, grouping: GroupAssignment) throws -> [GroupComparison] {
        try family(survey: survey, grouping: grouping).results
    }
}
