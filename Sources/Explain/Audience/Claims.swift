import Foundation

/// One claim behind a sentence of an explanation: the fact it states, what kind of statement that is, its value as
/// the record (or the recomputation) gives it, and the path in the record it came from. `explain --format json`
/// lists the claims of each sentence, so a reader can check every sentence against the record.
public struct Claim: Sendable, Equatable {
    public let fact: String
    public let kind: Kind
    public let label: String
    public let value: String
    public let unit: String?
    public let ci: ClosedRange<Double>?
    public let n: Int?
    /// The JSON path in the record, or `predictions_csv` for what the per-case data gave.
    public let source: String
    /// For a reported figure (a metric or comparator): whether the per-case data reproduce it, always one of
    /// supported, contradicted or cannot_recompute; nil for a claim that is not a figure.
    public let verdict: String?
    /// Why a figure is contradicted or cannot be recomputed.
    public let reason: String?

    /// What a claim says, by the kind of fact it rests on.
    public enum Kind: String, Sendable, CaseIterable {
        case caseID = "case", estimate, measurement, decision, metric, comparator, calibration, driver, region, inputCheck = "input_check"
        case uncertainty, similarCase = "similar_case", testSet = "test_set", model, data, traceability, limitation
        case oversight, condition, regulatory, finding, other
    }

    /// The kind of a fact by its id (FactBuilder's naming).
    static func kind(of id: String) -> Kind {
        let rules: [(String, Kind)] = [
            ("case.id", .caseID), ("case.finding[", .finding), ("case.probability", .estimate), ("case.frequency", .estimate), ("case.value", .measurement), ("case.dice_estimate", .measurement),
            ("case.volume", .measurement), ("case.dice_rank", .measurement), ("finding[", .finding), ("measure", .measurement), ("case.label", .decision), ("case.test_set", .testSet), ("threshold.", .decision),
            ("perf.", .metric), ("fair.", .metric), ("comparator.", .comparator), ("calib.", .calibration), ("xai.attr[", .driver),
            ("xai.top[", .driver), ("xai.saliency", .region), ("uq.map", .region), ("xai.", .model), ("qc.", .inputCheck), ("uq.", .uncertainty),
            ("similar[", .similarCase), ("test_set.", .testSet), ("trace.", .traceability), ("data.", .data), ("model.", .model),
            ("limitations", .limitation), ("oversight", .oversight), ("monitoring", .regulatory), ("privacy", .regulatory),
            ("changes", .regulatory), ("lifetime", .regulatory), ("logging", .regulatory), ("cybersecurity", .regulatory),
            ("condition", .condition), ("people", .condition),
        ]
        return rules.first { id.hasPrefix($0.0) }?.1 ?? .other
    }

    init(_ f: Fact) {
        fact = f.id
        kind = Self.kind(of: f.id)
        label = f.label
        switch f.value {
        case .number(let v): value = v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
        case .text(let t): value = t
        case .list(let l): value = l.joined(separator: "; ")
        case .flag(let b): value = b ? "true" : "false"
        }
        unit = f.unit
        ci = f.ci
        n = f.n
        source = f.source
        if kind == .metric || kind == .comparator {
            switch f.check?.verdict {
            case .supported?: verdict = "supported"; reason = nil
            case .contradicted?: verdict = "contradicted"; reason = f.check?.reason
            case .cannotRecompute?: verdict = "cannot_recompute"; reason = f.check?.reason ?? "the per-case data cannot give it"
            case .computedOnly?, nil:
                verdict = "cannot_recompute"
                reason = f.id.hasPrefix("fair.") ? "a gap between reported figures, not itself recomputed" : "no per-case data to recompute it from"
            }
        } else {
            verdict = nil
            reason = nil
        }
    }
}

/// A sentence of an explanation with the claims behind it.
public struct ExplainedSentence: Sendable, Equatable {
    public let text: String
    public let claims: [Claim]
}

extension CaseExplainer {
    /// The explanation of a case split into its sentences, each with the facts behind it: the template rendered
    /// once more with every value's facts traced (the view model records which facts each value and each list item
    /// was made from). Sentences end at ". ", "? " or "! " before a capital letter, and at each line's end.
    public func sentences(_ t: FactTable) -> [ExplainedSentence] {
        let caseModel = ViewModel.forCase(t, style: profile.numbers, decimals: decimals)
        let context = TemplateContext(record: recordModel.values, case: caseModel.values, table: t, caseKeys: ViewModel.caseKeys)
        let keyFacts = recordModel.keyFacts.merging(caseModel.keyFacts) { _, c in c }
        let (raw, events) = template.compiled.renderTraced(context, keyFacts: keyFacts)
        let bytes = Array(raw.utf8)
        // Contiguous segments of the rendering: a line, cut after each sentence's end.
        var segments: [Range<Int>] = []
        var start = 0
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0A {
                segments.append(start..<(i + 1)); start = i + 1
            } else if (b == 0x2E || b == 0x3F || b == 0x21), i + 2 < bytes.count, bytes[i + 1] == 0x20, (0x41...0x5A).contains(bytes[i + 2]) {
                segments.append(start..<(i + 2)); start = i + 2; i += 1
            }
            i += 1
        }
        if start < bytes.count { segments.append(start..<bytes.count) }
        var facts = [[String]](repeating: [], count: segments.count)
        for event in events where !segments.isEmpty {
            // The segment holding the offset (an event at the very end belongs to the last one).
            var lo = 0, hi = segments.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if segments[mid].lowerBound <= event.offset { lo = mid } else { hi = mid - 1 }
            }
            for id in event.facts where !facts[lo].contains(id) { facts[lo].append(id) }
        }
        return zip(segments, facts).compactMap { range, ids in
            let text = Explainer.trimmed(Substring(String(decoding: bytes[range], as: UTF8.self)))
            guard !text.isEmpty else { return nil }
            return ExplainedSentence(text: text, claims: ids.compactMap { t[$0].map(Claim.init) })
        }
    }
}
