import Foundation

/// Liang's hyphenation algorithm (Liang 1983, as in TeX) over a LibreOffice/Hunspell `hyph_*.dic` pattern file, the
/// way pyphen applies it: every substring of ".word." that is a pattern raises the inter-letter values to its
/// digits, odd values are break points, and points closer than `left`/`right` letters to the ends are dropped.
/// Used to count syllables (break points + 1) as textstat 0.7.3 does, with Debian's `hyphen-en-us` patterns.
public final class Hyphenator: Sendable {
    /// The patterns as a trie over their letters; a node that ends a pattern holds (offset of the first non-zero
    /// value, the values from there). Walking it from each letter of a word finds every pattern there without
    /// making a string per substring, which made hyphenating a new word cost 30 µs.
    private let trie: [TrieNode]
    private struct TrieNode: Sendable {
        var next: [Character: Int] = [:]
        var pattern: (offset: Int, values: [Int])?
    }

    /// Every character some pattern needs besides the word-edge dots. A word with none of them matches no pattern
    /// (each pattern has such a character), so it has no break point: numbers and codes are counted without a search.
    private let letters: Set<Character>
    public let left: Int
    public let right: Int
    public let path: String

    public static let defaultPath = ProcessInfo.processInfo.environment["TRUSTGAP_HYPHEN_DIC"] ?? "/usr/share/hyphen/hyph_en_US.dic"

    /// Syllables per word already counted. Generated explanations reuse a small vocabulary, so after the first few
    /// texts nearly every word is a lookup: rendering 40,000 explanations spent a third of its time in `positions`
    /// before this cache.
    private let syllableCache = SyllableCache()

    public init(path: String = Hyphenator.defaultPath, left: Int = 2, right: Int = 2) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ExplainError.hyphenationUnreadable(path: path)
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
        var trie = [TrieNode()]
        for (tags, pattern) in patterns {
            var node = 0
            for ch in tags {
                if let n = trie[node].next[ch] { node = n; continue }
                trie.append(TrieNode())
                trie[node].next[ch] = trie.count - 1
                node = trie.count - 1
            }
            trie[node].pattern = pattern
        }
        self.trie = trie
        letters = patterns.keys.allSatisfy { $0.contains { $0 != "." } } ? Set(patterns.keys.joined()).subtracting(["."]) : []
        self.left = left
        self.right = right
        self.path = path
    }

    /// Break points + 1 (textstat's syllable count) of a word (lower-cased here), remembered by the word as given.
    public func syllables(_ word: String) -> Int {
        if let n = syllableCache.get(word) { return n }
        let lower = word.lowercased()
        if !letters.isEmpty && !lower.contains(where: letters.contains) { return 1 }
        let n = positions(lower).count + 1
        syllableCache.set(word, n)
        return n
    }

    /// Break positions inside `word` (lower-cased), counted in characters from its start.
    public func positions(_ word: String) -> [Int] {
        let letters = Array(".\(word.lowercased()).")
        var references = [Int](repeating: 0, count: letters.count + 1)
        for i in 0..<(letters.count - 1) {
            var node = 0, j = i
            while j < letters.count, let n = trie[node].next[letters[j]] {
                node = n
                j += 1
                guard let (offset, values) = trie[node].pattern else { continue }
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

/// Syllables of the words one thread has counted, before the hyphenator's shared (locked) table: checking an
/// explanation counts about 150 words. Looked up by the word's bytes in an open-addressing table, so a known word
/// costs a hash of its bytes and no string: making a string and hashing it for every word was most of the time of
/// checking a text.
final class SyllableCounter {
    let hyphenator: Hyphenator
    /// Slots of (offset in `keys` + 1, length, syllables); offset 0 marks an empty slot.
    private var slots: [(offset: Int32, length: Int32, syllables: Int32)]
    private var keys: [UInt8] = []
    private var used = 0
    /// Words seen once (case ids, figures) would only grow the table; it stops taking new words at this size.
    private static let maximum = 1 << 16

    init(_ hyphenator: Hyphenator) {
        self.hyphenator = hyphenator
        slots = Array(repeating: (0, 0, 0), count: 256)
    }

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        // FNV-1a.
        var h: UInt64 = 0xcbf29ce484222325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// Twice the slots, every word placed again.
    private func grow() {
        let old = slots
        slots = Array(repeating: (0, 0, 0), count: old.count * 2)
        let mask = slots.count - 1
        keys.withUnsafeBufferPointer { arena in
            for slot in old where slot.offset != 0 {
                let start = Int(slot.offset) - 1
                var k = Self.hash(UnsafeBufferPointer(rebasing: arena[start..<(start + Int(slot.length))])) & mask
                while slots[k].offset != 0 { k = (k + 1) & mask }
                slots[k] = slot
            }
        }
    }

    func syllables(_ word: String) -> Int {
        var w = word
        return w.withUTF8 { syllables(bytes: $0) }
    }

    func syllables(bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let mask = slots.count - 1
        var k = Self.hash(bytes) & mask
        while true {
            let slot = slots[k]
            if slot.offset == 0 { break }
            if Int(slot.length) == bytes.count {
                let start = Int(slot.offset) - 1
                var same = true
                for j in 0..<bytes.count where keys[start + j] != bytes[j] { same = false; break }
                if same { return Int(slot.syllables) }
            }
            k = (k + 1) & mask
        }
        let n = hyphenator.syllables(String(decoding: bytes, as: UTF8.self))
        // Filled to three quarters at most, so probes stay short and an empty slot always ends them.
        guard used < Self.maximum * 3 / 4 else { return n }
        slots[k] = (Int32(keys.count + 1), Int32(bytes.count), Int32(n))
        keys.append(contentsOf: bytes)
        used += 1
        if used > slots.count * 3 / 4 && slots.count < Self.maximum { grow() }
        return n
    }
}

/// A dictionary behind a lock, for values computed once and shared by the threads that render explanations.
final class LockedCache<Key: Hashable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Key: Value] = [:]
    func get(_ key: Key) -> Value? { lock.lock(); defer { lock.unlock() }; return values[key] }
    func set(_ key: Key, _ value: Value) { lock.lock(); values[key] = value; lock.unlock() }
}
