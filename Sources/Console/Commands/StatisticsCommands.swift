import ArgumentParser
import Foundation
import Render
import Statistics
import Survey

/// Tests between groups: chisq (one question, a raw table, or every question) and power.
enum StatisticsCommands {
    static let all: [Command] = [chisq, compare, power]

    static let compare = Command(CompareCommand.self)

    struct CompareCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "compare", abstract: "numeric question between groups: Welch and rank tests",
            usage: "compare Q [by group|by Q]",
            discussion: """
            Compares a numeric question between the groups: n, missing, mean, SD, median, IQR, minimum and maximum per
            group; Welch's t-test for two groups or Welch's ANOVA for more (R's t.test and oneway.test with unequal
            variances); Wilcoxon–Mann–Whitney for two groups (normal approximation, ties and continuity corrected, as
            wilcox.test(exact = FALSE)) and Kruskal–Wallis, with the rank-biserial r and ε². Categorical questions: chisq Q.
            """)
        static let completes: Command.Completion = .questions
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            let (id, by) = try Grammar.questionAndBy(positional, command: "compare")
            let survey = try session.requireSurvey()
            let split = try NumericSamples(survey: survey, question: id, by: try session.grouping(by))
            let result = try split.comparison()
            var doc = Document()
            doc.heading("\(split.question.id): \(split.question.text)")
            doc.table(descriptivesTable(zip(split.levels, result.groups).map { ($0, $1) }))
            let names = zip(split.levels, result.groups).filter { $1.n > 0 }.map(\.0)
            if let w = result.welch {
                doc.paragraph(w.kind == "t"
                    ? "Welch's t-test (\(names[0]) − \(names[1])): t = \(Formatting.stat(w.statistic)), df = \(Formatting.stat(w.df2)), p = \(Formatting.p(w.p))"
                    : "Welch's ANOVA: F = \(Formatting.stat(w.statistic)), df = \(Formatting.number(w.df1)), \(Formatting.stat(w.df2)), p = \(Formatting.p(w.p))")
            } else if let why = result.welchUnavailable {
                doc.note("Welch's test not computed: \(why)")
            }
            if let r = result.ranks.rankSum {
                doc.paragraph("Wilcoxon–Mann–Whitney (normal approximation, ties and continuity corrected): W = \(Formatting.stat(r.w)), p = \(Formatting.p(r.p)); rank-biserial r = \(Formatting.stat(r.rankBiserial)) (positive: \(names[0]) higher)")
            }
            let kw = result.ranks.kruskalWallis
            doc.paragraph("Kruskal–Wallis (ties corrected): H = \(Formatting.stat(kw.h)), df = \(kw.df), p = \(Formatting.p(kw.p)); ε² = \(Formatting.stat(kw.epsilonSquared))")
            return CommandOutput(document: doc, json: .object([
                ("question", .string(split.question.id)),
                ("groups", .array(zip(split.levels, result.groups).map { descriptivesJSON($0, $1) })),
                ("welch", result.welch.map { .object([("kind", .string($0.kind)), ("statistic", .double($0.statistic)), ("df1", .double($0.df1)),
                                                     ("df2", .double($0.df2)), ("p", .double($0.p))]) } ?? .null),
                ("welch_unavailable", result.welchUnavailable.map(JSONValue.string) ?? .null),
                ("wilcoxon_w", .double(result.ranks.rankSum?.w)), ("wilcoxon_p", .double(result.ranks.rankSum?.p)),
                ("rank_biserial", .double(result.ranks.rankSum?.rankBiserial)),
                ("kruskal_wallis_h", .double(kw.h)), ("kruskal_wallis_df", .int(kw.df)), ("kruskal_wallis_p", .double(kw.p)),
                ("epsilon_squared", .double(kw.epsilonSquared)),
            ]))
        }
    }

    /// One row per group: n, missing, mean, SD, median, IQR (Q1–Q3), minimum and maximum.
    static func descriptivesTable(_ groups: [(String, Descriptives)]) -> Table {
        Table(columns: ["group", "n", "missing", "mean", "SD", "median", "IQR (Q1–Q3)", "min", "max"],
              alignments: [.left, .right, .right, .right, .right, .right, .right, .right, .right],
              rows: groups.map { name, d in
                  [name, String(d.n), String(d.missing), Formatting.stat(d.mean), Formatting.stat(d.sd), Formatting.stat(d.median),
                   d.n > 0 ? "\(Formatting.stat(d.iqr)) (\(Formatting.stat(d.q1))–\(Formatting.stat(d.q3)))" : "NA",
                   Formatting.stat(d.min), Formatting.stat(d.max)]
              })
    }

    static func descriptivesJSON(_ name: String, _ d: Descriptives) -> JSONValue {
        .object([("group", .string(name)), ("n", .int(d.n)), ("missing", .int(d.missing)), ("mean", .double(d.mean)), ("sd", .double(d.sd)),
                 ("median", .double(d.median)), ("iqr", .double(d.n > 0 ? d.iqr : nil)), ("q1", .double(d.q1)), ("q3", .double(d.q3)), ("min", .double(d.min)), ("max", .double(d.max))])
    }

    static let chisq = Command(ChisqCommand.self)

    struct ChisqCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "chisq", abstract: "Pearson chi-square (exact, Monte Carlo, MMI for multi-answer)",
            usage: "chisq Q [by group|by Q] [--exact] [--exact-budget 60s,2GB] [--timeout 60s] [--simulate B] [--seed S] [--bootstrap B] | chisq table \"a,b;c,d\" | chisq all [--adjust holm|bh|none]",
            discussion: """
            Tests whether the groups answer a question differently.
            Single-answer: Pearson X² with df and p, expected counts, adjusted residuals (|r| > 1.96 drives the
            difference), likelihood-ratio G, Cramér's V, Yates beside the uncorrected value for 2×2; Fisher's exact test
            with --exact (run automatically when an expected count is below 5); a Monte Carlo p with --simulate B --seed S.
            The exact test runs within a budget of work and memory: 2 s and 512 MB when it runs by itself, 60 s and 2 GB
            with --exact; --exact-budget sets it (for example 10m,8GB). Work is counted in steps of the enumeration,
            written as seconds on the reference machine (2 cores), never read from the clock, so the same table gets the
            same answer on a busy machine. Beyond the budget the p is a Monte Carlo estimate of Fisher's p (B = 100,000,
            the --seed, default 1, with its standard error; "< 1/(B+1)" when no simulated table is as extreme), labelled
            as such. --timeout 60s stops the enumeration after that much elapsed time instead, and says so. Ctrl-C
            abandons the test.
            Ordered (Likert) answers also get the Wilcoxon–Mann–Whitney test for two groups (normal approximation with
            ties and continuity corrected, as R's wilcox.test(exact = FALSE)), Kruskal–Wallis, the linear-by-linear
            trend test, the rank-biserial r and ε².
            Convention: a blank multi-answer cell is read as MRCV reads it, "ticked nothing" (the respondent is counted,
            with no option ticked); load survey ... --multi-blank not-answered leaves such respondents out instead.
            Multi-answer: the MMI test (Bilder & Loughin 2004) per option, Bonferroni, Rao–Scott second order and, with
            --bootstrap B, a bootstrap p; the naive chi-square on tick counts is shown beside it, labelled as such.
            chisq table "a,b,c;d,e,f" tests a raw table (rows split by ;).
            chisq all tests every question outside the profile section: one row each with adjusted p (--adjust, default holm),
            the size m of the adjusted family, and every question it did not test with the reason.
            """)
        static let completes: Command.Completion = .questions
        static let verbs: [String] = ["table", "all"]
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("simulate"), help: "A Monte Carlo p with this many replicates.") var simulateOption: Int?
        @Option(name: .customLong("seed"), help: "Seed of the Monte Carlo and bootstrap draws.") var seedOption: Int?
        @Option(name: .customLong("bootstrap"), help: "A bootstrap p for multi-answer questions, with this many resamples.") var bootstrap: Int?
        @Option(name: .customLong("adjust"), help: "Multiple-testing adjustment of chisq all (default holm).", completion: .list(["holm", "bh", "none"])) var adjustOption: String?
        @Option(name: .customLong("exact-budget"), help: "Work (as seconds on the reference machine) and memory for the exact test, e.g. 10m,8GB.") var exactBudget: String?
        @Flag(name: .customLong("exact"), help: "Run Fisher's exact test (60 s of work and 2 GB unless --exact-budget).") var exact = false
        @Option(name: .customLong("timeout"), help: "Stop the exact enumeration after this much elapsed time (e.g. 60s); the output then says so.") var timeout: String?

        func run(in session: Session) throws -> CommandOutput {
            guard let first = positional.first else { throw ConsoleError.usage(command: "chisq", message: "which question? e.g. chisq Q7") }
            let seed = UInt64(seedOption ?? 1)
            let simulate = simulateOption
            if let b = simulate, b < 1 { throw ConsoleError.usage(command: "chisq", message: "--simulate takes a number of tables ≥ 1") }
            let exact = exact
            var budget: ExactBudget = exact ? .requested : .automatic
            if let text = exactBudget {
                guard let b = ExactBudget.parse(text, base: budget) else {
                    throw ConsoleError.usage(command: "chisq", message: "--exact-budget takes work (as seconds on the reference machine), a size or both, such as 30s, 2GB or 10m,8GB; not \"\(text)\"")
                }
                budget = b
            }
            if let text = timeout {
                guard let seconds = ExactBudget.parseSeconds(text) else {
                    throw ConsoleError.usage(command: "chisq", message: "--timeout takes a time such as 500ms, 60s or 10m; not \"\(text)\"")
                }
                budget.timeout = seconds
            }
            switch first.lowercased() {
            case "table":
                guard positional.count == 2 else { throw ConsoleError.usage(command: "chisq", message: "expected chisq table \"a,b;c,d\"") }
                let table = try ContingencyTable(parseTable(positional[1]))
                return try singleOutput(title: "Table \(positional[1])", table: table, labels: nil, exact: exact, budget: budget,
                                        simulate: simulate, seed: seed)
            case "all":
                let adjustName = adjustOption ?? "holm"
                guard let adjust = PValueAdjustment(rawValue: adjustName) else {
                    throw ConsoleError.usage(command: "chisq", message: "--adjust takes holm, bh or none, not \"\(adjustName)\"")
                }
                return try allOutput(session: session, adjust: adjust)
            default:
                let (id, by) = try Grammar.questionAndBy(positional, command: "chisq")
                let survey = try session.requireSurvey()
                let x = try Crosstab(survey: survey, question: id, by: try session.grouping(by))
                if x.isMultiAnswer {
                    return try multiOutput(x, bootstrap: bootstrap, seed: seed)
                }
                let table = try x.contingencyTable()
                // The answers' labels, as crosstab shows them (SPSS and REDCap value labels, not their codes).
                let labels = (rows: table.keptRows.map { x.rows[$0] }, columns: table.keptColumns.map { x.label(x.columns[$0]) })
                var out = try singleOutput(title: "\(x.question.id): \(x.question.text)", table: table, labels: labels,
                                           exact: exact, budget: budget, simulate: simulate, seed: seed)
                let dropped = table.droppedColumns.map { x.columns[$0] }
                if !dropped.isEmpty { out.document.note("answers nobody gave were left out: \(dropped.joined(separator: ", "))") }
                if case .object(var fields) = out.json {
                    fields.insert(("question", .string(x.question.id)), at: 1)
                    fields.append(("answers_left_out", .strings(dropped)))
                    out.json = .object(fields)
                }
                // Rank tests read an order only where it is known (a scale recognised by its words, declared in the
                // YAML or by set Q type likert / set Q order); the trend test also needs groups declared ordered.
                let groupsOrdered: Bool = {
                    if case .question(let g) = x.grouping.variable { return survey.questionnaire.question(g)?.hasKnownOrder == true }
                    return false
                }()
                var notRun: [(test: String, reason: String)] = []
                let ask = CommandWords.shown(x.question.id)
                if !x.question.hasKnownOrder {
                    notRun.append(("rank and trend tests", "the answers of \(x.question.id) have no known order (set \(ask) type likert or set \(ask) order a,b,c declares one)"))
                } else if !groupsOrdered {
                    let g = x.grouping.variable.name
                    notRun.append(("trend test", "the groups (\(g)) are not declared ordered"
                                   + (g == "group" ? "" : " (set \(CommandWords.shown(g)) order a,b,c declares their order)")))
                }
                for n in notRun { out.document.note("\(n.test) not run: \(n.reason)") }
                if case .object(var fields) = out.json {
                    fields.append(("not_run", .array(notRun.map { .object([("test", .string($0.test)), ("reason", .string($0.reason))]) })))
                    out.json = .object(fields)
                }
                if x.question.hasKnownOrder {
                    // Ordered answers: rank tests and the trend test use the order the chi-square ignores.
                    // Answers outside the order ("don't know", flagged in the questionnaire) have no rank: left out.
                    let ranked = table.keptColumns.indices.filter { x.question.option(x.columns[table.keptColumns[$0]])?.flag == nil }
                    let ordinal = try OrdinalTests(table.counts.map { row in ranked.map { Int(row[$0]) } })
                    let unranked = table.keptColumns.indices.filter { !ranked.contains($0) }.map { x.label(x.columns[table.keptColumns[$0]]) }
                    if !unranked.isEmpty { out.document.note("rank tests leave out the answers outside the scale's order: \(unranked.joined(separator: ", "))") }
                    let rowNames = labels.rows
                    var lines: [String] = []
                    if let w = ordinal.rankSum {
                        lines.append("Wilcoxon–Mann–Whitney (\(rowNames[0]) vs \(rowNames[1]), normal approximation, ties and continuity corrected): W = \(Formatting.stat(w.w)), z = \(Formatting.stat(w.z)), p = \(Formatting.p(w.p)); rank-biserial r = \(Formatting.stat(w.rankBiserial)) (positive: \(rowNames[0]) answers higher)")
                    }
                    let kw = ordinal.kruskalWallis
                    lines.append("Kruskal–Wallis (ties corrected): H = \(Formatting.stat(kw.h)), df = \(kw.df), p = \(Formatting.p(kw.p)); ε² = \(Formatting.stat(kw.epsilonSquared))")
                    if groupsOrdered {
                        lines.append("linear-by-linear association (trend, scores 1, 2, …): M² = \(Formatting.stat(ordinal.trend.m2)), df = 1, p = \(Formatting.p(ordinal.trend.p)); r = \(Formatting.stat(ordinal.trend.correlation))")
                    }
                    lines.append("mean ranks: " + zip(rowNames, ordinal.meanRanks).map { "\($0) \(String(format: "%.1f", $1))" }.joined(separator: ", "))
                    // Beside the other tests, before the table of counts.
                    let tableAt = out.document.blocks.firstIndex { if case .table = $0 { return true }; return false } ?? out.document.blocks.count
                    out.document.blocks.insert(contentsOf: lines.map { .paragraph($0) }, at: tableAt)
                    if case .object(var fields) = out.json {
                        fields.append(("ordinal", .object([
                            ("wilcoxon_w", .double(ordinal.rankSum?.w)), ("wilcoxon_z", .double(ordinal.rankSum?.z)), ("wilcoxon_p", .double(ordinal.rankSum?.p)),
                            ("rank_biserial", .double(ordinal.rankSum?.rankBiserial)),
                            ("kruskal_wallis_h", .double(kw.h)), ("kruskal_wallis_df", .int(kw.df)), ("kruskal_wallis_p", .double(kw.p)),
                            ("epsilon_squared", .double(kw.epsilonSquared)),
                            ("trend_m2", .double(groupsOrdered ? ordinal.trend.m2 : nil)), ("trend_p", .double(groupsOrdered ? ordinal.trend.p : nil)),
                            ("trend_r", .double(groupsOrdered ? ordinal.trend.correlation : nil)),
                            ("mean_ranks", .object(zip(rowNames, ordinal.meanRanks).map { ($0, .double($1)) })),
                            ("unranked_answers", .strings(unranked)),
                        ])))
                        out.json = .object(fields)
                    }
                }
                return out
            }
        }
    }

    /// "a,b;c,d" → rows of counts.
    static func parseTable(_ s: String) throws -> [[Double]] {
        try s.split(separator: ";").enumerated().map { i, row in
            try row.split(separator: ",").enumerated().map { j, cell in
                let t = cell.trimmingCharacters(in: .whitespaces)
                guard let v = Double(t) else {
                    throw ConsoleError.usage(command: "chisq", message: "row \(i + 1), cell \(j + 1): \"\(t)\" is not a count")
                }
                return v
            }
        }
    }

    static func singleOutput(title: String, table: ContingencyTable, labels: (rows: [String], columns: [String])?,
                             exact: Bool, budget: ExactBudget, simulate: Int?, seed: UInt64) throws -> CommandOutput {
        let tests = try ContingencyTests(table, exact: exact, budget: budget, simulate: simulate, seed: seed)
        let test = tests.pearson, fisher = tests.fisher, mc = tests.monteCarlo
        let rowNames = labels?.rows ?? (1...table.rowCount).map { "row \($0)" }
        let colNames = labels?.columns ?? (1...table.columnCount).map { "col \($0)" }
        var doc = Document()
        doc.heading(title)
        var lines = ["Pearson X² = \(Formatting.stat(test.statistic)), df = \(test.degreesOfFreedom), p = \(Formatting.p(test.p)) (n = \(Formatting.number(table.total)))"]
        if let y = test.yatesStatistic { lines.append("Yates-corrected X² = \(Formatting.stat(y)), p = \(Formatting.p(test.yatesP))") }
        lines.append("likelihood-ratio G = \(Formatting.stat(test.likelihoodRatio)), p = \(Formatting.p(test.likelihoodRatioP))")
        lines.append("Cramér's V = \(Formatting.stat(test.cramersV)); min expected count = \(Formatting.stat(test.minExpected))")
        if let f = fisher {
            switch f.method {
            case .exact: lines.append("Fisher's exact test: p = \(Formatting.p(f.p)) (exact)")
            case let .monteCarlo(b, s, se, limit, asExtreme):
                let estimate = asExtreme == 0
                    ? "p < \(Formatting.p(1 / Double(b + 1))) = 1/(B + 1) (no simulated table was as extreme; B = \(Formatting.number(Double(b))), seed \(s))"
                    : "p = \(Formatting.p(f.p)) ± \(Formatting.se(se)) (SE; B = \(Formatting.number(Double(b))), seed \(s))"
                let more = limit == .timeout(seconds: budget.timeout ?? 0) ? "a longer --timeout allows more" : "--exact-budget allows more"
                lines.append("Fisher's exact p estimated by Monte Carlo: \(estimate), because the exact enumeration \(limit.reason); \(more)")
            }
            if let or = f.sampleOddsRatio { lines.append("sample odds ratio (ad/bc) = \(Formatting.stat(or))") }
        }
        if let why = tests.fisherNotRun { lines.append(ErrorMessages.statistics(why)) }
        if let m = mc {
            lines.append(m.asExtreme == 0
                ? "Monte Carlo p (B = \(m.replicates), seed \(m.seed)) < \(Formatting.p(1 / Double(m.replicates + 1))) = 1/(B + 1) (no simulated table was as extreme)"
                : "Monte Carlo p (B = \(m.replicates), seed \(m.seed)) = \(Formatting.p(m.p)) ± \(Formatting.se(m.standardError)) (SE)")
        }
        lines.forEach { doc.paragraph($0) }
        var rows: [[String]] = []
        for j in 0..<table.columnCount {
            var row = [colNames[j]]
            for i in 0..<table.rowCount {
                row += [Formatting.number(table.counts[i][j]), String(format: "%.2f", test.expected[i][j]), String(format: "%+.2f", test.adjustedResiduals[i][j])]
            }
            rows.append(row)
        }
        var cols = ["answer"]
        for r in rowNames { cols += ["\(r) O", "E", "adj. res."] }
        doc.table(Table(columns: cols, rows: rows))
        test.warnings.forEach { doc.note($0) }
        var fields: [(String, JSONValue)] = [
            ("test", .string("pearson")), ("statistic", .double(test.statistic)), ("df", .int(test.degreesOfFreedom)),
            ("p", .double(test.p)), ("n", .double(table.total)),
            ("rows", .strings(rowNames)), ("columns", .strings(colNames)),
            ("observed", .array(table.counts.map { .array($0.map { JSONValue.double($0) }) })),
            ("expected", .array(test.expected.map { .array($0.map { JSONValue.double($0) }) })),
            ("min_expected", .double(test.minExpected)),
            ("adjusted_residuals", .array(test.adjustedResiduals.map { .array($0.map { JSONValue.double($0) }) })),
            ("cramers_v", .double(test.cramersV)),
            ("likelihood_ratio", .double(test.likelihoodRatio)), ("likelihood_ratio_p", .double(test.likelihoodRatioP)),
            ("yates_statistic", .double(test.yatesStatistic)), ("yates_p", .double(test.yatesP)),
        ]
        fields += fisherFields(fisher)
        fields += monteCarloFields(mc)
        fields.append(("warnings", .strings(test.warnings)))
        // Every test run, as R's htest gives it (method, statistic, parameters, p, effect size, warnings).
        fields.append(("htest", try JSONValueEncoder.encode(tests.results)))
        return CommandOutput(document: doc, json: .object(fields))
    }

    /// Fisher's p and what produced it: exact, or Monte Carlo with B, seed, how many simulated tables were as extreme,
    /// its standard error (null when none was: p is then only below 1/(B + 1)) and the budget limit reached.
    static func fisherFields(_ fisher: FisherExact?) -> [(String, JSONValue)] {
        guard let f = fisher else {
            return ["fisher_p", "fisher_method", "fisher_se", "fisher_replicates", "fisher_seed", "fisher_as_extreme",
                    "fisher_budget_reached", "fisher_steps"].map { ($0, JSONValue.null) }
        }
        var fields: [(String, JSONValue)] = [("fisher_p", .double(f.p))]
        switch f.method {
        case .exact:
            fields += [("fisher_method", .string("exact")), ("fisher_se", .null), ("fisher_replicates", .null), ("fisher_seed", .null),
                       ("fisher_as_extreme", .null), ("fisher_budget_reached", .null)]
        case let .monteCarlo(b, seed, se, limit, asExtreme):
            fields += [("fisher_method", .string("monte-carlo")), ("fisher_se", asExtreme > 0 ? .double(se) : .null),
                       ("fisher_replicates", .int(b)), ("fisher_seed", .int(Int(seed))), ("fisher_as_extreme", .int(asExtreme)),
                       ("fisher_budget_reached", .string(limit.reason))]
        }
        return fields + [("fisher_steps", .int(f.steps))]
    }

    /// The simulated Pearson p (--simulate) with B, seed, and how many simulated tables were as extreme.
    static func monteCarloFields(_ mc: MonteCarloChiSquare?) -> [(String, JSONValue)] {
        guard let m = mc else {
            return ["monte_carlo_p", "monte_carlo_se", "monte_carlo_replicates", "monte_carlo_seed", "monte_carlo_as_extreme"].map { ($0, JSONValue.null) }
        }
        return [("monte_carlo_p", .double(m.p)), ("monte_carlo_se", m.asExtreme > 0 ? .double(m.standardError) : .null),
                ("monte_carlo_replicates", .int(m.replicates)), ("monte_carlo_seed", .int(Int(m.seed))),
                ("monte_carlo_as_extreme", .int(m.asExtreme))]
    }

    static func multiOutput(_ x: Crosstab, bootstrap: Int?, seed: UInt64) throws -> CommandOutput {
        let mmi = try MarginalIndependenceTest(groups: x.groupIndex, selections: x.selections, bootstrap: bootstrap, seed: seed)
        var doc = Document()
        doc.heading("\(x.question.id): \(x.question.text)")
        doc.paragraph("Multiple marginal independence (MMI) test, \(x.rows.joined(separator: " vs ")), n = \(x.groupIndex.count) respondents")
        doc.paragraph("X²_S = \(Formatting.stat(mmi.statistic)); Bonferroni p = \(Formatting.p(mmi.bonferroniP))")
        if let rs2 = mmi.rs2 {
            doc.paragraph("Rao–Scott 2nd order: X² = \(Formatting.stat(rs2.statistic)), df = \(Formatting.stat(rs2.degreesOfFreedom)), p = \(Formatting.p(rs2.p))")
        }
        if let b = mmi.bootstrapP, let reps = mmi.bootstrapReplicates {
            // No resample reached the observed statistic: the bootstrap only says p < 1/B, not "< 1e-307".
            doc.paragraph(b == 0 ? "bootstrap p (B = \(reps), seed \(seed)) < \(Formatting.p(1 / Double(reps))) (no resample reached the observed statistic)"
                                 : "bootstrap p (B = \(reps), seed \(seed)) = \(Formatting.p(b))")
        }
        var cols = ["option"]
        cols += x.rows.map { "\($0) ticked" }
        cols += ["X²", "p", "p (Bonferroni)", "naive p"]
        func share(_ g: Int, _ option: Int) -> Double? { x.n[g] > 0 ? Double(x.counts[g][option]) / Double(x.n[g]) : nil }
        let rows = mmi.items.map { item -> [String] in
            var r = [x.label(x.columns[item.index])]
            for (g, _) in x.rows.enumerated() {
                r.append("\(x.counts[g][item.index]) (\(Formatting.percent(100 * (share(g, item.index) ?? .nan))))")
            }
            return r + [Formatting.stat(item.statistic), Formatting.p(item.p), Formatting.p(item.pBonferroni), Formatting.p(item.naiveP)]
        }
        doc.table(Table(columns: cols, rows: rows))
        if let naive = mmi.naive {
            doc.note("naive test (ticks counted as independent observations, which they are not): X² = \(Formatting.stat(naive.statistic)), df = \(naive.degreesOfFreedom), p = \(Formatting.p(naive.p))")
        }
        if !mmi.leftOut.isEmpty {
            doc.note("left out (ticked by nobody or by everybody): \(mmi.leftOut.map { x.columns[$0] }.joined(separator: ", "))")
        }
        let json: JSONValue = .object([
            ("test", .string("mmi")), ("question", .string(x.question.id)), ("statistic", .double(mmi.statistic)),
            ("n", .int(x.groupIndex.count)), ("groups", .strings(x.rows)), ("group_n", .array(x.n.map(JSONValue.int))),
            ("items", .array(mmi.items.map { item in .object([
                ("code", .string(x.columns[item.index])), ("label", .string(x.label(x.columns[item.index]))),
                ("ticked", .array(x.rows.indices.map { .int(x.counts[$0][item.index]) })),
                ("share", .array(x.rows.indices.map { .double(share($0, item.index)) })),
                ("statistic", .double(item.statistic)),
                ("p", .double(item.p)), ("p_bonferroni", .double(item.pBonferroni)), ("naive_p", .double(item.naiveP))]) })),
            ("bonferroni_p", .double(mmi.bonferroniP)),
            ("rs2", mmi.rs2.map { .object([("statistic", .double($0.statistic)), ("df", .double($0.degreesOfFreedom)), ("p", .double($0.p))]) } ?? .null),
            ("bootstrap_p", .double(mmi.bootstrapP)),
            ("naive", mmi.naive.map { .object([("statistic", .double($0.statistic)), ("df", .int($0.degreesOfFreedom)), ("p", .double($0.p))]) } ?? .null),
            ("left_out", .strings(mmi.leftOut.map { x.columns[$0] })),
            ("warnings", .array([])),
        ])
        return CommandOutput(document: doc, json: json)
    }

    /// One row per comparable question (sections with `compare: true`), single-answer by Pearson, multi-answer by
    /// MMI (Bonferroni), then adjusted. The comparison itself is `GroupComparison`, shared with `gap`.
    static func allOutput(session: Session, adjust: PValueAdjustment) throws -> CommandOutput {
        let survey = try session.requireSurvey()
        let grouping = try session.grouping(nil)
        let family = try GroupComparison.family(survey: survey, grouping: grouping)
        let results = family.results
        // One family: the categorical tests, then the numeric ones, adjusted together.
        let adjusted = adjust.adjust(results.map(\.p) + family.numeric.map(\.p))
        func driver(_ c: GroupComparison) -> String {
            guard let d = c.drivers.first else { return "" }
            // The answer's label, as crosstab shows it.
            let label = c.question.option(d.code)?.label ?? d.code
            return c.test == "pearson" ? "\(label) (\(d.group) \(String(format: "%+.1f", d.strength)))" : label
        }
        var rows = results.enumerated().map { k, r in
            [r.question.id + (r.p < 0.05 ? " *" : ""), r.question.topic, r.test, Formatting.stat(r.statistic),
             Formatting.number(r.df), Formatting.p(r.p), Formatting.p(adjusted[k]), Formatting.stat(r.effectSize), driver(r),
             r.warnings.joined(separator: "; ")]
        }
        rows += family.numeric.enumerated().map { k, r in
            let higher = zip(grouping.levels, r.comparison.groups).filter { $1.n > 0 }.max { $0.1.median < $1.1.median }
            return [r.question.id + (r.p < 0.05 ? " *" : ""), r.question.topic, r.test, Formatting.stat(r.statistic),
                    r.test == "welch-t" || r.test == "welch-anova" ? Formatting.stat(r.df) : Formatting.number(r.df),
                    Formatting.p(r.p), Formatting.p(adjusted[results.count + k]), "", higher.map { "highest median: \($0.0)" } ?? "",
                    r.comparison.welchUnavailable.map { "Welch not defined: \($0)" } ?? ""]
        }
        var doc = Document()
        doc.heading("Chi-square tests by \(grouping.variable.name) (\(grouping.levels.map { "\($0) \(grouping.size($0))" }.joined(separator: ", ")))")
        doc.table(Table(columns: ["Q", "topic", "test", "stat", "df", "p", "p (\(adjust.rawValue))", "V", "driven by", "warnings"],
                        alignments: [.left, .left, .left, .right, .right, .right, .right, .right, .left, .left], rows: rows))
        doc.note("* p < 0.05 before adjustment. V: Cramér's V; for multi-answer questions (MMI test with Bonferroni; chisq Q shows Rao–Scott and bootstrap) the largest per-option V. With small groups, read the exact p (chisq Q --exact) where E < 5.")
        if !family.numeric.isEmpty {
            doc.note("numeric questions: Welch's t-test (two groups) or Welch's ANOVA, Kruskal–Wallis where Welch is not defined; compare Q shows both and the group summaries")
        }
        doc.note("adjustment: \(adjust == .none ? "none" : adjust.rawValue) over a family of m = \(family.size) tests (the rows above)")
        if !family.skipped.isEmpty {
            doc.table(Table(title: "Not tested (\(family.skipped.count))", columns: ["Q", "topic", "why"], alignments: [.left, .left, .left],
                            rows: family.skipped.map { [$0.question.id, $0.question.topic, $0.reason] }))
        }
        var tests: [JSONValue] = results.enumerated().map { k, r in
            .object([("question", .string(r.question.id)), ("topic", .string(r.question.topic)), ("test", .string(r.test)),
                     ("statistic", .double(r.statistic)), ("df", .double(r.df)), ("p", .double(r.p)), ("p_adjusted", .double(adjusted[k])),
                     ("effect_size", .double(r.effectSize)), ("driven_by", .string(r.drivers.first?.code ?? "")),
                     ("driven_by_label", .string(r.drivers.first.map { r.question.option($0.code)?.label ?? $0.code } ?? "")),
                     // For Pearson the driver's adjusted residual in the group it is over-represented in (the text's
                     // "(CG +5.8)"); for MMI the option with the largest V, whose spread of shares is its strength.
                     ("driver_group", r.drivers.first.map { .string($0.group) } ?? .null),
                     ("driver_strength", .double(r.drivers.first?.strength)), ("warnings", .strings(r.warnings))])
        }
        tests += family.numeric.enumerated().map { k, r in
            .object([("question", .string(r.question.id)), ("topic", .string(r.question.topic)), ("test", .string(r.test)),
                     ("statistic", .double(r.statistic)), ("df", .double(r.df)), ("p", .double(r.p)), ("p_adjusted", .double(adjusted[results.count + k])),
                     ("effect_size", .null), ("driven_by", .string("")), ("driver_group", .null), ("driver_strength", .null),
                     ("warnings", .strings(r.comparison.welchUnavailable.map { ["Welch not defined: \($0)"] } ?? []))])
        }
        let json: JSONValue = .object([
            ("by", .string(grouping.variable.name)),
            ("groups", .object(grouping.levels.map { ($0, .int(grouping.size($0))) })),
            ("adjustment", .string(adjust.rawValue)), ("family_size", .int(family.size)), ("tests", .array(tests)),
            ("skipped", .array(family.skipped.map { .object([("question", .string($0.question.id)), ("reason", .string($0.reason))]) })),
        ])
        return CommandOutput(document: doc, json: json)
    }

    static let power = Command(PowerCommand.self)

    struct PowerCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "power", abstract: "chi-square power, sample size or smallest detectable effect",
            usage: "power --w W --n N --df DF [--alpha A] | power --w W --power P --df DF | power --n N --power P --df DF",
            discussion: "Power of Pearson's test for Cohen's effect size w (0.1 small, 0.3 medium, 0.5 large): give --w, --n and --df for the power; --w, --power and --df for the sample size; --n, --power and --df for the smallest detectable w. With a survey loaded, --n defaults to its grouped respondents, so power --power 0.8 --df 1 gives the smallest difference the survey can detect. --alpha defaults to 0.05.")
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("w")) var wOption: Double?
        @Option(name: .customLong("n")) var nOption: Double?
        @Option(name: .customLong("df")) var dfOption: Int?
        @Option(name: .customLong("power")) var power: Double?
        @Option(name: .customLong("alpha")) var alpha: Double?

        func run(in session: Session) throws -> CommandOutput {
            let w = wOption
            var n = nOption
            var fromSurvey = false
            if n == nil, w == nil || power == nil, let survey = session.survey,
               let g = try? session.grouping(nil) {
                // Without --n, the loaded survey's grouped respondents are the sample.
                n = Double(g.levels.reduce(0) { $0 + g.size($1) })
                fromSurvey = survey.respondents.count > 0
            }
            let target = power, alpha = alpha ?? 0.05
            guard let df = dfOption else { throw ConsoleError.usage(command: "power", message: "--df is required") }
            var doc = Document()
            if fromSurvey, let n { doc.paragraph("n = \(Formatting.number(n)): the grouped respondents of the loaded survey") }
            let json: JSONValue
            switch (w, n, target) {
            case let (w?, n?, nil):
                let p = try ChiSquarePower.power(w: w, n: n, df: df, alpha: alpha)
                doc.paragraph("power = \(String(format: "%.4f", p)) for w = \(Formatting.number(w)), n = \(Formatting.number(n)), df = \(df), alpha = \(Formatting.number(alpha))")
                json = .object([("w", .double(w)), ("n", .double(n)), ("df", .int(df)), ("alpha", .double(alpha)), ("power", .double(p))])
            case let (w?, nil, t?):
                let size = try ChiSquarePower.sampleSize(w: w, power: t, df: df, alpha: alpha)
                doc.paragraph("n = \(String(format: "%.2f", size)) (round up to \(Int(size.rounded(.up)))) for power \(Formatting.number(t)), w = \(Formatting.number(w)), df = \(df)")
                json = .object([("w", .double(w)), ("power", .double(t)), ("df", .int(df)), ("alpha", .double(alpha)), ("n", .double(size)),
                                ("n_rounded_up", .int(Int(size.rounded(.up))))])
            case let (nil, n?, t?):
                let effect = try ChiSquarePower.detectableEffect(n: n, power: t, df: df, alpha: alpha)
                doc.paragraph("smallest detectable w = \(String(format: "%.4f", effect)) with n = \(Formatting.number(n)), power \(Formatting.number(t)), df = \(df)")
                if effect >= 0.3 { doc.note("only medium-to-large differences (w ≥ 0.3) are detectable at this size; a non-significant result is weak evidence of no difference") }
                json = .object([("n", .double(n)), ("power", .double(t)), ("df", .int(df)), ("alpha", .double(alpha)), ("w", .double(effect))])
            default:
                throw ConsoleError.usage(command: "power", message: "give two of --w, --n, --power (and --df)")
            }
            return CommandOutput(document: doc, json: json)
        }
    }
}
