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
    public var provenance: [String: String]
    /// Keys at the top level that the format does not define, kept.
    public var unknownKeys: [String]
    public var raw: [String: Any] { rawBox.value }
    let rawBox: RawJSON

    public func testSet(_ id: String) -> TestSet? { testSets.first { $0.id == id } }

    public var hasExternalValidation: Bool { testSets.contains { $0.kind == "external" } }
}

/// The decoded document, kept as Foundation values (immutable once loaded).
final class RawJSON: @unchecked Sendable {
    let value: [String: Any]
    init(_ value: [String: Any]) { self.value = value }
}
