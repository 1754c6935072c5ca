import Foundation

/// Liang's hyphenation algorithm (Liang 1983, as in TeX) over a LibreOffice/Hunspell `hyph_*.dic` pattern file, the
/// way pyphen applies it: every substring of ".word." that is a pattern raises the inter-letter values to its
/// digits, odd values are break points, and points closer than `left`/`right` letters to the ends are dropped.
/// Used to count syllables (break points + 1) as textstat 0.7.3 does, with Debian's `hyphen-en-us` patterns.
public final class Hyphenator: Sendable {
    /// pattern letters → (offset of the first non-zero value, the values from there)
    private let patterns: [String: (Int, [Int])]
    private let maxLength: Int
    public let left: Int
    public let right: Int
    public let path: String

    public static let defaultPath = ProcessInfo.processInfo.environment["TRUSTGAP_HYPHEN_DIC"] ?? "/usr/share/hyphen/hyph_en_US.dic"

    public enum Error: Swift.Error, Equatable { case unreadable(path: String) }

    /// Syllables per word already counted. Generated explanations reuse a small vocabulary, so after the first few
    /// texts nearly every word is a lookup: rendering 40,000 explanations spent a third of its time in `positions`
    /// before this cache.
    private let syllableCache = SyllableCache()

    public init(path: String = Hyphenator.defaultPath, left: Int = 2, right: Int = 2) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw Error.unreadable(path: path)
        }
        var patterns: [String: (Int, [Int])] = [:]
        let ignored = ["%", "#", "LEFTHYPHENMIN", "RIGHTHYPHENMIN", "COMPOUNDLEFTHYPHENMIN", "COMPOUNDRIGHTHYPHENMIN"]
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || ignored.contains(where: line.hasPrefix) { continue }
            // Nonstandard patterns ("ff1f/f=f,...") do not occur in the English file; their letters part is kept.
            let pattern = line.contains("/") && line.contains("=") ? String(line.split(separator: "/")[0]) : line
            var tags = "", values: [Int] = [], pending = 0
            for ch in pattern {
                if let d = ch.wholeNumberValue, ch.isASCII { pending = d; continue }
                values.append(pending)
                tags.append(ch)
                pending = 0
            }
            values.append(pending)
            guard let top = values.max(), top > 0 else { continue }
            var start = 0, end = values.count
            while values[start] == 0 { start += 1 }
            while values[end - 1] == 0 { end -= 1 }
            patterns[tags] = (start, Array(values[start..<end]))
        }
        self.patterns = patterns
        maxLength = patterns.keys.map(\.count).max() ?? 1
        self.left = left
        self.right = right
        self.path = path
    }

    /// Break points + 1 (textstat's syllable count) of a word (lower-cased here), remembered by the word as given.
    public func syllables(_ word: String) -> Int {
        if let n = syllableCache.get(word) { return n }
        let n = positions(word.lowercased()).count + 1
        syllableCache.set(word, n)
        return n
    }

    /// Break positions inside `word` (lower-cased), counted in characters from its start.
    public func positions(_ word: String) -> [Int] {
        let letters = Array(".\(word.lowercased()).")
        var references = [Int](repeating: 0, count: letters.count + 1)
        for i in 0..<(letters.count - 1) {
            for j in (i + 1)...min(i + maxLength, letters.count) {
                guard let (offset, values) = patterns[String(letters[i..<j])] else { continue }
                for (k, v) in values.enumerated() where i + offset + k < references.count {
                    references[i + offset + k] = max(references[i + offset + k], v)
                }
            }
        }
        let count = letters.count - 2
        return references.indices.filter { references[$0] % 2 == 1 }.map { $0 - 1 }.filter { $0 >= left && $0 <= count - right }
    }
}

/// A word → syllables table shared by the threads that render explanations.
private typealias SyllableCache = LockedCache<String, Int>

/// A dictionary behind a lock, for values computed once and shared by the threads that render explanations.
final class LockedCache<Key: Hashable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Key: Value] = [:]
    func get(_ key: Key) -> Value? { lock.lock(); defer { lock.unlock() }; return values[key] }
    func set(_ key: Key, _ value: Value) { lock.lock(); values[key] = value; lock.unlock() }
}
