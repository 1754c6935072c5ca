/// A text's UTF-8 bytes, read scalar by scalar where a check needs more than ASCII. The explanation checks run on
/// bytes because Swift's scalar and Character views cost more than the checks themselves: on 40,000 explanations
/// the per-line checks took 0.26 ms an explanation over `unicodeScalars` arrays and Character splitting, and
/// 0.04 ms on bytes (release build, this machine). Every function here has a scalar-level counterpart that
/// tests hold it to.
struct UTF8Text {
    let bytes: UnsafeBufferPointer<UInt8>

    var count: Int { bytes.count }

    /// The scalar starting at byte `i` (a lead byte) and its length in bytes. The bytes come from a Swift string,
    /// so they are valid UTF-8.
    @inline(__always)
    func scalar(at i: Int) -> (Unicode.Scalar, Int) {
        let b0 = bytes[i]
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
        let n = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2
        var v = UInt32(b0) & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07)
        for k in 1..<n where i + k < bytes.count { v = v << 6 | UInt32(bytes[i + k] & 0x3F) }
        return (Unicode.Scalar(v) ?? "\u{FFFD}", n)
    }

    /// The scalar ending just before byte `i`, or nil at the start.
    @inline(__always)
    func scalar(before i: Int) -> Unicode.Scalar? {
        guard i > 0 else { return nil }
        var s = i - 1
        while s > 0 && bytes[s] & 0xC0 == 0x80 { s -= 1 }
        return scalar(at: s).0
    }

    /// Runs `body` over the bytes of a string (made contiguous first when it is not).
    static func with<R>(_ s: String, _ body: (UTF8Text) -> R) -> R {
        var s = s
        return s.withUTF8 { body(UTF8Text(bytes: $0)) }
    }

    /// Whether the text holds `needle`, byte for byte (String.contains compares canonical equivalents, which costs a
    /// tenth of an explanation when asked a few times per text).
    static func contains(_ text: String, _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard !n.isEmpty else { return true }
        return with(text) { t in
            guard n.count <= t.count else { return false }
            for i in 0...(t.count - n.count) where t.bytes[i] == n[0] {
                var k = 1
                while k < n.count && t.bytes[i + k] == n[k] { k += 1 }
                if k == n.count { return true }
            }
            return false
        }
    }

    /// Whether the text's first line holds `needle`, byte for byte.
    static func firstLine(of text: String, contains needle: String) -> Bool {
        let n = Array(needle.utf8)
        return with(text) { t in
            var end = 0
            while end < t.count && t.bytes[end] != 0x0A { end += 1 }
            guard !n.isEmpty else { return true }
            guard n.count <= end else { return false }
            for i in 0...(end - n.count) where t.bytes[i] == n[0] {
                var k = 1
                while k < n.count && t.bytes[i + k] == n[k] { k += 1 }
                if k == n.count { return true }
            }
            return false
        }
    }

    static func isASCIISpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
    static func isASCIIDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// The lines of a text without white space at either end, blank lines dropped, joined by newlines: what
    /// splitting on "\n" Characters and trimming with `Character.isWhitespace` gives (`Explainer.trimmed`). On
    /// bytes, a line is cut at every LF (a Character of its own unless after a CR, which sends the text to the
    /// Character path), and ASCII white space is trimmed; a line whose first or last kept byte is not ASCII (white
    /// space of another script, or a mark joined to a space) is trimmed by Characters.
    static func trimmedLines(_ raw: String) -> String {
        with(raw) { t -> String in
            let b = t.bytes
            if b.contains(0x0D) {
                return raw.split(separator: "\n", omittingEmptySubsequences: true).map(Explainer.trimmed).filter { !$0.isEmpty }.joined(separator: "\n")
            }
            var out: [UInt8] = []
            out.reserveCapacity(b.count)
            var start = 0
            while start < b.count {
                var end = start
                while end < b.count && b[end] != 0x0A { end += 1 }
                var s = start, e = end
                while s < e && isASCIISpace(b[s]) { s += 1 }
                while e > s && isASCIISpace(b[e - 1]) { e -= 1 }
                if s < e && b[s] < 0x80 && b[e - 1] < 0x80 {
                    if !out.isEmpty { out.append(0x0A) }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: b[s..<e]))
                } else if s < e {
                    let line = String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
                    let trimmed = Explainer.trimmed(line[...])
                    if !trimmed.isEmpty {
                        if !out.isEmpty { out.append(0x0A) }
                        out.append(contentsOf: trimmed.utf8)
                    }
                }
                start = end + 1
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Number tokens (\d+(?:\.\d+)?, \d any Unicode decimal digit), each once, in order of appearance.
    static func numberTokens(_ text: String) -> [String] {
        with(text) { t -> [String] in
            let b = t.bytes
            /// The length of the digit at byte i, or 0.
            func digit(_ i: Int) -> Int {
                guard i < b.count else { return 0 }
                if b[i] < 0x80 { return isASCIIDigit(b[i]) ? 1 : 0 }
                guard b[i] >= 0xC0 else { return 0 }
                let (c, n) = t.scalar(at: i)
                return c.properties.generalCategory == .decimalNumber ? n : 0
            }
            var tokens: [String] = []
            var i = 0
            while i < b.count {
                var n = digit(i)
                guard n > 0 else { i += 1; continue }
                let start = i
                while n > 0 { i += n; n = digit(i) }
                if i < b.count, b[i] == 0x2E, digit(i + 1) > 0 {
                    i += 1
                    n = digit(i)
                    while n > 0 { i += n; n = digit(i) }
                }
                let token = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
                // Texts hold a few dozen numbers at most: a linear search beats hashing them.
                if !tokens.contains(token) { tokens.append(token) }
            }
            return tokens
        }
    }

    /// A text lower-cased as `String.lowercased()` does it: ASCII letters on the bytes, and the whole text by
    /// `lowercased()` when some other scalar has a lower-case mapping.
    static func lowercased(_ text: String) -> String {
        with(text) { t -> String in
            let b = t.bytes
            var out = [UInt8](repeating: 0, count: b.count)
            var i = 0
            while i < b.count {
                let c = b[i]
                if c < 0x80 {
                    out[i] = c >= 0x41 && c <= 0x5A ? c | 0x20 : c
                    i += 1
                    continue
                }
                let (s, n) = t.scalar(at: i)
                if s.properties.changesWhenLowercased { return text.lowercased() }
                for k in 0..<n { out[i + k] = b[i + k] }
                i += n
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Which of `words` (bytes of lower-cased phrases) occur in the text as `ForbiddenWords.occurs` finds them: as
    /// whole words, \bWORD\b. One pass over the text tries, at each byte, the words that start with it. Matching
    /// bytes matches scalars, since a UTF-8 sequence cannot start inside another.
    func occurrences(of words: PhraseSet) -> [Bool] {
        var found = [Bool](repeating: false, count: words.phrases.count)
        var left = words.phrases.filter { !$0.bytes.isEmpty }.count
        func isWord(_ c: Unicode.Scalar?) -> Bool { c.map(Readability.isWordCharacter) ?? false }
        var i = 0
        while i < count && left > 0 {
            for w in words.byFirstByte[Int(bytes[i])] where !found[w] {
                let p = words.phrases[w]
                let end = i + p.bytes.count
                guard end <= count else { continue }
                var k = 1
                while k < p.bytes.count && bytes[i + k] == p.bytes[k] { k += 1 }
                guard k == p.bytes.count else { continue }
                if isWord(scalar(before: i)) != p.startsWithWord && (end < count ? isWord(scalar(at: end).0) : false) != p.endsWithWord {
                    found[w] = true
                    left -= 1
                }
            }
            i += 1
        }
        return found
    }

    /// Phrases to look for, indexed by their first byte.
    struct PhraseSet {
        struct Phrase {
            let bytes: [UInt8]
            let startsWithWord: Bool
            let endsWithWord: Bool
        }

        let phrases: [Phrase]
        let byFirstByte: [[Int]]

        init(_ words: [String]) {
            phrases = words.map { w in
                let bytes = Array(w.utf8)
                return Phrase(bytes: bytes, startsWithWord: w.unicodeScalars.first.map(Readability.isWordCharacter) ?? false,
                              endsWithWord: w.unicodeScalars.last.map(Readability.isWordCharacter) ?? false)
            }
            var table = [[Int]](repeating: [], count: 256)
            for (k, p) in phrases.enumerated() { if let b = p.bytes.first { table[Int(b)].append(k) } }
            byFirstByte = table
        }
    }
}
