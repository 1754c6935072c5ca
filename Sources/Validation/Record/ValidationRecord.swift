import Foundation

/// A validation record (`trustgap.validation-record/1`, see shared/design/RECORDS.md): what a model is for, how it
/// was validated, what it achieved and its UQ/XAI outputs per case. The typed fields are what trustgap reads;
/// `raw` keeps the whole document, unknown keys included.
public struct ValidationRecord: Sendable {
    public enum Task: String, Sendable { case classification, segmentation, regression }

    public struct Model: Sendable {
        public var name: String
        public var version: String
        public var task: Task
        public var modality: String
        public var target: String
        public var intendedUse: String
        public var intendedUsers: [String]
        public var outOfScope: [String]
        public var riskClass: String?
        /// The label whose chance `prediction.probability` is (`model.positive_label`); nil: the commonest label
        /// among cases with probability ≥ 0.5 (`ValidationRecord.classLabels`).
        public var positiveLabel: String?
    }

    /// Words for readers who are not specialists (`plain_language`): what the condition is called, who the people
    /// with a result like this are, and plain names for labels and input-check findings.
    public struct PlainLanguage: Sendable {
        public var condition: String?
        public var people: String?
        public var labels: [String: String]
        public var checks: [String: String]
    }

    public struct TestSet: Sendable {
        public var id: String
        public var kind: String
        public var site: String?
        public var n: Int?
    }

    public struct Subgroup: Sendable, Equatable {
        public var attribute: String
        public var value: String
        /// The predictions column that holds the attribute, when it is not named as the attribute is.
        public var column: String?

        public init(attribute: String, value: String, column: String? = nil) {
            self.attribute = attribute
            self.value = value
            self.column = column
        }
    }

    public struct ReportedMetric: Sendable {
        public var metric: String
        public var value: Double
        public var ci: ClosedRange<Double>?
        public var ciLevel: Double?
        public var ciMethod: String?
        public var testSet: String
        public var subgroup: Subgroup?
        public var threshold: Double?
        /// For an interval's coverage: the coverage its intervals were built for (`nominal`, e.g. 0.9).
        public var nominal: Double? = nil
        /// JSON path of the entry, for traceability.
        public var jsonPath: String
    }

    public struct Calibration: Sendable {
        public var testSet: String?
        public var binning: String
        public var bins: Int
        public var ece: Double?
    }

    public struct Conformal: Sendable {
        public var alpha: Double
        public var empiricalCoverage: Double?
        public var meanSetSize: Double?
        public var testSet: String?
    }

    public struct Uncertainty: Sendable {
        public var method: String
        public var members: Int?
        public var level: String?
        /// The nominal coverage of the case intervals (`uncertainty.interval_level`, e.g. 0.9).
        public var intervalLevel: Double?
        public var conformal: Conformal?
    }

    public struct Attribution: Sendable {
        public var feature: String
        public var label: String
        public var value: Double
        public var direction: String?
    }

    public struct Case: Sendable {
        public var id: String
        public var label: String?
        public var probability: Double?
        public var value: Double?
        public var unit: String?
        public var diceEstimate: Double?
        /// The volume of the segmented structure, in mL (`prediction.volume_ml`): what a contour is for.
        public var volumeML: Double?
        public var predictiveSD: Double?
        public var epistemic: Double?
        public var aleatoric: Double?
        public var interval: ClosedRange<Double>?
        public var conformalSet: [String]
        public var inputOK: Bool?
        public var oodScore: Double?
        public var oodThreshold: Double?
        public var qcFlags: [String]
        public var attributions: [Attribution]
        public var saliencyRegion: String?
        public var saliencyMethod: String?
        public var similarCases: [(id: String, label: String, similarity: Double)]
        public var reference: String?
        /// The test set the case belongs to (`cases[k].test_set`, one of `data.test_sets`), when the record says.
        public var testSet: String?
        public var index: Int

        /// Out of distribution when the OOD score exceeds its threshold.
        public var isOutOfDistribution: Bool {
            guard let s = oodScore, let t = oodThreshold else { return false }
            return s > t
        }
        public var failsQC: Bool { inputOK == false }
    }

    public var id: String
    public var path: String
    public var model: Model
    public var testSets: [TestSet]
    public var trainingN: Int?
    public var trainingSites: Int?
    /// `data.training.period` and `data.training.name`: when and what the model learned from.
    public var trainingPeriod: String?
    public var trainingName: String?
    public var practice: [String: [String]]
    public var performance: [ReportedMetric]
    public var comparator: ReportedMetric?
    public var calibration: Calibration?
    public var uncertainty: Uncertainty?
    public var explainabilityMethods: [String]
    public var explainabilityEvaluated: String?
    public var cases: [Case]
    public var predictionsCSV: String?
    /// Whether `predictions_csv` may name a file outside the record's folder (`load records … --allow-outside`). A
    /// record is a file from someone else: by default it may not make trustgap read /etc/passwd as predictions.
    public var predictionsOutsideAllowed = false
    public var limitations: [String]
    public var humanOversight: String?
    public var monitoring: String?
    public var privacy: String?
    public var plainLanguage: PlainLanguage?
    public var provenance: [String: String]
    /// Keys at the top level that the format does not define, kept.
    public var unknownKeys: [String]
    /// Who provides the model and how to reach them (`model.provider`, `model.contact`).
    public var provider: String?
    public var contact: String?
    /// The comparator's name (`comparator.name`).
    public var comparatorName: String?
    /// `explainability.global_importance`: features by importance, with their labels.
    public var globalImportance: [(feature: String, label: String, importance: Double)] = []
    /// `data.training.sha256`.
    public var trainingSHA256: String?
    /// Optional top-level texts for EU AI Act Art. 13(3) (cybersecurity, changes, lifetime, logging).
    public var transparencyTexts: [String: String] = [:]

    public func testSet(_ id: String) -> TestSet? { testSets.first { $0.id == id } }

    public var hasExternalValidation: Bool { testSets.contains { $0.kind == "external" } }

    /// The class labels of a classification record: the positive one is the label whose chance the probability is
    /// (declared, else the commonest label among cases with p ≥ 0.5), the negative one the commonest label below 0.5.
    public var classLabels: (positive: String, negative: String) {
        func commonest(_ cases: [Case]) -> String? {
            // Ties go to the label first seen, so the answer does not change from run to run.
            var counts: [String: Int] = [:], order: [String] = []
            for l in cases.compactMap(\.label) { if counts[l] == nil { order.append(l) }; counts[l, default: 0] += 1 }
            var best: String?
            for l in order where best == nil || counts[l, default: 0] > counts[best ?? "", default: 0] { best = l }
            return best
        }
        let positive = model.positiveLabel ?? commonest(cases.filter { ($0.probability ?? 0) >= 0.5 }) ?? "positive"
        let negative = commonest(cases.filter { ($0.probability ?? 1) < 0.5 && $0.label != positive }) ?? "not \(positive)"
        return (positive, negative)
    }
}

