/// "Did you mean …?": the closest candidate by edit distance (Damerau–Levenshtein with adjacent transpositions,
/// case ignored), offered only when it is close enough to be a plausible typo.
public enum Suggest {
    /// Words longer than this get no suggestion: a suggestion is at most 4 edits away, and a hostile 20 MB cell once
    /// took gigabytes in the distance matrix.
    public static let longestWord = 256

    public static func nearest(_ word: String, in candidates: [String]) -> String? {
        guard word.utf8.count <= longestWord else { return nil }
        let w = Array(word.lowercased())
        let limit = max(2, min(w.count, 12) / 3)
        var best: (String, Int)?
        for c in candidates {
            // The edit distance is at least the difference in length: most candidates need no matrix at all.
            guard abs(c.count - w.count) <= limit, c.utf8.count <= longestWord else { continue }
            let d = distance(w, Array(c.lowercased()))
            if let b = best, d >= b.1 { continue }
            best = (c, d)
        }
        guard let (match, d) = best else { return nil }
        return d <= limit ? match : nil
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
