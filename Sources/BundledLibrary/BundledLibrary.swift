import Foundation

/// The program's own files, compiled in (see `Plugins/EmbedLibrary`): explanation profiles and templates
/// (`explanations/…`), the bundled questionnaires and the TEHAI frame (`questionnaires/*.yaml`), stop-word lists
/// (`questionnaires/stopwords/…`) and, when Debian's were installed at build time, the English hyphenation patterns
/// (`hyphenation/hyph_en_US.dic`). Named by their path in the repository. What it deliberately is not: a place for
/// the user's files (those are always read from where the user names them).
public enum BundledLibrary {
    private static let decoded: [String: Data] = {
        var files: [String: Data] = [:]
        for entry in EmbeddedFiles.files {
            // The plugin wrote these strings from the files' bytes: they always decode.
            if let data = Data(base64Encoded: entry.base64) { files[entry.name] = data }
        }
        return files
    }()

    /// trustgap's version, from the repository's VERSION file.
    public static var version: String {
        contents("VERSION").map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "unknown"
    }

    /// Every bundled file's name, sorted.
    public static var names: [String] { decoded.keys.sorted() }

    /// A bundled file's bytes, or nil when there is none of that name.
    public static func contents(_ name: String) -> Data? { decoded[name] }
}
