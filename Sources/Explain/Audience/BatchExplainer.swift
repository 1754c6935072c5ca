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
    /// What one case becomes in the output: its explanations (one per audience, in order), its id, each
    /// explanation's sentences with their claims (when asked for), the ids of the record's facts (claims told once
    /// per record, not per case), and whether it is the first case written.
    public typealias Format = @Sendable (_ explanations: [Explanation], _ caseID: String, _ sentences: [[ExplainedSentence]], _ recordFacts: Set<String>,
                                         _ first: Bool) -> String

    public struct Outcome: Sendable {
        /// The formatted explanations in record order, in pieces of about 4 MB (one growing array was copied each
        /// time it doubled).
        public let chunks: [[UInt8]]
        public let explanations: Int
        public let withWarnings: Int
        /// The record's facts that some sentence rests on (with sentences asked for): the record's claims, once.
        public let recordClaims: [Claim]
    }

    public static func explainAll(_ record: ValidationRecord, explainer: Explainer, audiences: [Audience], priorities: GroupPriorities?,
                                  evidence: RecordEvidence, sentences: Bool, format: Format) throws -> Outcome {
        let count = record.cases.count
        let base = try FactBuilder.build(record, evidence: evidence)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count))
        let results = Slots<Result<(chunks: [[UInt8]], warned: Int, used: Set<String>), Error>>(count: workers)
        let recordFacts = Set(base.facts.map(\.id))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let range = (count * w / workers)..<(count * (w + 1) / workers)
            results.set(w, Result {
                let bound = CaseExplainers(try audiences.map { try explainer.prepare(base, for: $0, priorities: priorities) })
                var chunks: [[UInt8]] = []
                var bytes: [UInt8] = []
                bytes.reserveCapacity(1 << 22)
                var warned = 0
                var used = Set<String>()
                for k in range {
                    if k & 63 == 0 { try Interruption.check() }
                    let table = FactBuilder.build(record, case: k, onto: base, evidence: evidence)
                    for e in bound.explainers { try e.requirePlainWords(table) }
                    let explained = bound.explain(table)
                    warned += explained.filter { !$0.warnings.isEmpty }.count
                    let claims = sentences ? bound.explainers.map { $0.sentences(table) } : []
                    for list in claims { for s in list { for c in s.claims where recordFacts.contains(c.fact) { used.insert(c.fact) } } }
                    bytes.append(contentsOf: format(explained, table.caseID ?? "", claims, recordFacts, k == 0).utf8)
                    if bytes.count >= (1 << 22) - (1 << 16) {
                        chunks.append(bytes)
                        bytes = []
                        bytes.reserveCapacity(1 << 22)
                    }
                }
                chunks.append(bytes)
                return (chunks, warned, used)
            })
        }
        var chunks: [[UInt8]] = [], warned = 0, used = Set<String>()
        for w in 0..<workers {
            let result = try results.get(w).get()
            chunks += result.chunks
            warned += result.warned
            used.formUnion(result.used)
        }
        return Outcome(chunks: chunks, explanations: count * audiences.count, withWarnings: warned,
                       recordClaims: base.facts.filter { used.contains($0.id) }.map(Claim.init))
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
