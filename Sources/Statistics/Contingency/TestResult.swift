import Foundation

/// A hypothesis test's result in one shape, as R's `htest` (and broom's `tidy`) give it: the method, the statistic
/// with its name, the parameters (degrees of freedom), the p-value, an effect size, and warnings about the method's
/// assumptions. Every test of this module can give one, so callers need not know each test's own type.
public struct TestResult: Sendable, Equatable, Encodable {
    public struct Parameter: Sendable, Equatable, Encodable {
        public let name: String
        public let value: Double
        public init(name: String, value: Double) { self.name = name; self.value = value }
    }

    public struct EffectSize: Sendable, Equatable, Encodable {
        public let name: String
        public let value: Double
        public init(name: String, value: Double) { self.name = name; self.value = value }
    }

    /// R's wording where R has one ("Pearson's Chi-squared test", "Fisher's Exact Test for Count Data").
    public let method: String
    public let statisticName: String?
    public let statistic: Double?
    public let parameters: [Parameter]
    public let p: Double
    public let effectSize: EffectSize?
    public let warnings: [String]

    public init(method: String, statisticName: String? = nil, statistic: Double? = nil, parameters: [Parameter] = [], p: Double,
                effectSize: EffectSize? = nil, warnings: [String] = []) {
        self.method = method
        self.statisticName = statisticName
        self.statistic = statistic
        self.parameters = parameters
        self.p = p
        self.effectSize = effectSize
        self.warnings = warnings
    }

    /// One flat record per test, as broom's `tidy` gives it, so a list of results is a table: each parameter under
    /// its own name (`df`), the effect size as its name and value.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(method, forKey: Key("method"))
        try c.encodeIfPresent(statisticName, forKey: Key("statistic_name"))
        try c.encodeIfPresent(statistic, forKey: Key("statistic"))
        for parameter in parameters { try c.encode(parameter.value, forKey: Key(parameter.name)) }
        try c.encode(p, forKey: Key("p"))
        try c.encodeIfPresent(effectSize?.name, forKey: Key("effect_size_name"))
        try c.encodeIfPresent(effectSize?.value, forKey: Key("effect_size"))
        try c.encode(warnings, forKey: Key("warnings"))
    }

    struct Key: CodingKey {
        let stringValue: String
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }
}

extension PearsonChiSquare {
    /// As `chisq.test(correct = FALSE)` reports it, with Cramér's V.
    public var result: TestResult {
        TestResult(method: "Pearson's Chi-squared test", statisticName: "X-squared", statistic: statistic,
                   parameters: [.init(name: "df", value: Double(degreesOfFreedom))], p: p,
                   effectSize: .init(name: "Cramér's V", value: cramersV), warnings: warnings)
    }
}

extension FisherExact {
    /// As `fisher.test` reports it (the sample odds ratio of a 2 × 2 table as its effect size), or, beyond the
    /// exact test's budget, as the Monte Carlo estimate it is, with its standard error in the warnings.
    public var result: TestResult {
        let effect = sampleOddsRatio.flatMap { $0.isFinite ? TestResult.EffectSize(name: "sample odds ratio", value: $0) : nil }
        switch method {
        case .exact:
            return TestResult(method: "Fisher's Exact Test for Count Data", p: p, effectSize: effect)
        case .monteCarlo(let replicates, let seed, let se, let limit, let asExtreme):
            return TestResult(method: "Fisher's Exact Test for Count Data, estimated by Monte Carlo (\(replicates) replicates, seed \(seed))",
                              p: p, effectSize: effect,
                              warnings: ["the exact enumeration \(limit.reason); " + (asExtreme == 0
                                ? "no simulated table was as extreme as the observed one, so p < 1/(B + 1) = \(1 / Double(replicates + 1))"
                                : "p is an estimate with standard error \(se)")])
        }
    }
}

extension FisherExact.BudgetLimit {
    /// What stopped the enumeration, as the end of "the exact enumeration …".
    public var reason: String {
        switch self {
        case .work(let seconds):
            "needed more than its work budget (\(Self.seconds(seconds)) s of work on the reference machine, counted in steps, not by the clock)"
        case .memory(let bytes):
            "needed more than its memory budget (\(Self.size(bytes)))"
        case .timeout(let seconds):
            "was stopped by --timeout after \(Self.seconds(seconds)) s of elapsed time"
        }
    }

    /// "2", "0.25", "60": up to three significant digits, the same in every locale.
    static func seconds(_ s: Double) -> String { String(format: "%.3g", s) }

    /// "512 MB", "2 GB", "1.5 KB" in binary units, as `--exact-budget` takes them.
    static func size(_ bytes: Int) -> String {
        let units: [(String, Double)] = [("GB", 1_073_741_824), ("MB", 1_048_576), ("KB", 1024)]
        for (name, scale) in units where Double(bytes) >= scale { return String(format: "%.3g ", Double(bytes) / scale) + name }
        return "\(bytes) bytes"
    }
}
