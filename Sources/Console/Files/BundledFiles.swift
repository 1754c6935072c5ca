import BundledLibrary
import Foundation

/// The program's own files (`BundledLibrary`, compiled in) as files the readers can open: written once per process
/// into the private folder (mode 0700, removed at exit), under their repository paths (`explanations/profiles/…`,
/// `questionnaires/tehai-frame.yaml`, `questionnaires/stopwords/en.txt`, `hyphenation/hyph_en_US.dic`). So the binary
/// needs no repository beside it and runs from any folder; `--library DIR`, `--stopwords FILE` and a path to any file
/// still override them.
enum BundledFiles {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var written: URL?

    /// The folder holding every bundled file, written on first use.
    static func root() throws -> URL {
        lock.lock()
        defer { lock.unlock() }
        if let written { return written }
        let folder = try PrivateFolder.shared.make("library")
        for name in BundledLibrary.names {
            guard let data = BundledLibrary.contents(name) else { continue }
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .withoutOverwriting)
        }
        written = folder
        return folder
    }

    /// The path of a bundled file or folder (`explanations`, `questionnaires/stopwords/en.txt`).
    static func path(_ name: String) throws -> String { try root().appendingPathComponent(name).path }

    /// Whether a bundled file of this name exists.
    static func contains(_ name: String) -> Bool { BundledLibrary.contents(name) != nil }

    /// The bundled questionnaires and frames by short name (`ai-validation`, `tehai-frame`), sorted.
    static var questionnaireNames: [String] {
        BundledLibrary.names.filter { $0.hasPrefix("questionnaires/") && $0.hasSuffix(".yaml") && !$0.dropFirst(15).contains("/") }
            .map { String($0.dropFirst("questionnaires/".count).dropLast(".yaml".count)) }
    }

    /// A file the user names for a questionnaire or codebook: the path as given when such a file exists; otherwise a
    /// bundled questionnaire named by its short name (`tehai-frame`), its file name (`tehai-frame.yaml`) or its
    /// repository path (`questionnaires/tehai-frame.yaml`), so scripts written in the repository run anywhere.
    /// Anything else is returned as given, and the reader's error names it.
    static func questionnaire(_ given: String) throws -> String {
        if FileManager.default.fileExists(atPath: given) { return given }
        var name = given
        if name.hasPrefix("questionnaires/") { name.removeFirst("questionnaires/".count) }
        if name.hasSuffix(".yaml") { name.removeLast(".yaml".count) }
        guard questionnaireNames.contains(name) else { return given }
        return try path("questionnaires/\(name).yaml")
    }
}
