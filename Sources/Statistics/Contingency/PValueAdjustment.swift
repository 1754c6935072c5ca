/// Multiple-testing adjustment as R's `p.adjust`.
///
/// Missing p-values (nil or NaN) are left out and come back as nil; m is the number present, so a NaN never
/// poisons the others (a pitfall of some FDR implementations).
/// - Holm (1979): sort ascending, p̃_(i) = max_{k ≤ i} min(1, (m − k + 1) p_(k)).
/// - Benjamini–Hochberg (1995): sort descending, p̃_(i) = min_{k ≥ i} min(1, m p_(k) / k).
public enum PValueAdjustment: String, Sendable, CaseIterable {
    case none, holm, bh

    public func adjust(_ ps: [Double?]) -> [Double?] {
        let present = ps.enumerated().compactMap { item -> (Int, Double)? in
            guard let p = item.element, !p.isNaN else { return nil }
            return (item.offset, p)
        }
        var out = [Double?](repeating: nil, count: ps.count)
        let m = Double(present.count)
        switch self {
        case .none:
            for (i, p) in present { out[i] = p }
        case .holm:
            let sorted = present.sorted { $0.1 < $1.1 }
            var running = 0.0
            for (rank, item) in sorted.enumerated() {
                running = max(running, min(1, (m - Double(rank)) * item.1))
                out[item.0] = running
            }
        case .bh:
            let sorted = present.sorted { $0.1 > $1.1 }
            var running = 1.0
            for (offset, item) in sorted.enumerated() {
                let rank = m - Double(offset)
                running = min(running, min(1, m * item.1 / rank))
                out[item.0] = running
            }
        }
        return out
    }
}
