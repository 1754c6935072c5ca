import CStemmer

/// Snowball stemming (Porter 2 for English, and the other Snowball languages) through Debian's libstemmer: the
/// reference C implementation, so "validation", "validated" and "validate" count as one word exactly as Snowball
/// defines it.
public final class Stemmer {
    private let handle: OpaquePointer

    /// nil when libstemmer has no algorithm of that name (e.g. "english", "spanish", "italian", "greek").
    public init?(language: String) {
        guard let h = sb_stemmer_new(language, "UTF_8") else { return nil }
        handle = h
    }

    deinit { sb_stemmer_delete(handle) }

    public func stem(_ word: String) -> String {
        let bytes = Array(word.utf8)
        guard let out = bytes.withUnsafeBufferPointer({ sb_stemmer_stem(handle, $0.baseAddress, Int32($0.count)) }) else { return word }
        let length = Int(sb_stemmer_length(handle))
        return String(decoding: UnsafeBufferPointer(start: out, count: length), as: UTF8.self)
    }
}
