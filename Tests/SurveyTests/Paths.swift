import Foundation

/// The package root and test fixtures, found from this file's location so tests run from any directory.
enum Paths {
    static let root: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }()
    static let questionnaire = root + "/questionnaires/ai-validation.yaml"
    static let bundled = root + "/data/ai4hi/responses.csv"
    static func fixture(_ name: String) -> String { root + "/Tests/SurveyTests/Fixtures/" + name }

    /// Writes `text` (or bytes) to a fresh temporary file and returns its path.
    static func temporary(_ bytes: [UInt8], name: String = "input.csv") -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trustgap-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        FileManager.default.createFile(atPath: url.path, contents: Data(bytes))
        return url.path
    }
    static func temporary(_ text: String, name: String = "input.csv") -> String { temporary(Array(text.utf8), name: name) }
}
