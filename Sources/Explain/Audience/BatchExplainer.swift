import Foundation
import Statistics
import Survey
import Validation

/// Every case of a record explained to each audience asked (`explain RECORD --case all`): the cases are split
/// across the cores in contiguous runs (each rendering is independent), each worker binds its own explainers to the
/// record (they remember the parts every case shares), builds its cases' facts, explains them and formats what is
/// written, so only the writing itself is left in record order. Ctrl-C (`Interruption`) stops every worker within
/// a few dozen cases, and nothing is returned.
public enum BatchExplainer {
    /// What one explanation becomes in the output: the explanation, its case, its sentences with their claims
    /// (when asked for), and whether it is the first one written.
    public typealias Format = @Sendable (_ explanation: Explanation, _ caseID: String, _ sentences: [ExplainedSentence], _ first: Bool) -> String

    public struct Outcome: Sendable {
        /// The formatted explanations in record order, in pieces of about 4 MB (one growing array was copied each
        /// time it doubled).
        public let chunks: [[UInt8]]
        public let explanations: Int
        public let withWarnings: Int
    }

    public static func explainAll(_ record: ValidationRecord, explainer: Explainer, audiences: [Audience], priorities: GroupPriorities?,
                                  evidence: RecordEvidence, sentences: Bool, format: Format) throws -> Outcome {
        let count = record.cases.count
        let base = try FactBuilder.build(record, evidence: evidence)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count))
        let results = Slots<Result<(chunks: [[UInt8]], warned: Int), Error>>(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let range = (count * w / workers)..<(count * (w + 1) / workers)
            results.set(w, Result {
                let bound = CaseExplainers(try audiences.map { try explainer.prepare(base, for: $0, priorities: priorities) })
                var chunks: [[UInt8]] = []
                var bytes: [UInt8] = []
                bytes.reserveCapacity(1 << 22)
                var warned = 0
                for k in range {
                    if k & 63 == 0 { try Interruption.check() }
                    let table = FactBuilder.build(record, case: k, onto: base, evidence: evidence)
                    for (a, e) in bound.explain(table).enumerated() {
                        if !e.warnings.isEmpty { warned += 1 }
                        let claims = sentences ? bound.explainers[a].sentences(table) : []
                        bytes.append(contentsOf: format(e, table.caseID ?? "", claims, k == 0 && a == 0).utf8)
                    }
                    if bytes.count >= (1 << 22) - (1 << 16) {
                        chunks.append(bytes)
                        bytes = []
                        bytes.reserveCapacity(1 << 22)
                    }
                }
                chunks.append(bytes)
                return (chunks, warned)
            })
        }
        var chunks: [[UInt8]] = [], warned = 0
        for w in 0..<workers {
            let result = try results.get(w).get()
            chunks += result.chunks
            warned += result.warned
        }
        return Outcome(chunks: chunks, explanations: count * audiences.count, withWarnings: warned)
    }

    /// One slot per worker, each written by its own worker only and read after all have finished.
    private final class Slots<T>: @unchecked Sendable {
        private var slots: [T?]
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ k: Int, _ value: T) { slots.withUnsafeMutableBufferPointer { $0[k] = value } }
        func get(_ k: Int) -> T {
            guard let v = slots[k] else { preconditionFailure("worker \(k) did not finish") }
            return v
        }
    }
}
