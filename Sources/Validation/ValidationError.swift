/// Problems with validation records and their prediction files, each with the file and the JSON path or line.
public enum ValidationError: Error, Equatable, Sendable {
    case unreadable(path: String, reason: String)
    case invalidJSON(path: String, message: String)
    /// `cases[3].uncertainty.epistemic: expected a number, got "high"`.
    case field(path: String, jsonPath: String, message: String)
    case duplicateRecord(id: String, first: String, second: String)
    case unknownRecord(String, suggestion: String?)
    case noRecords(path: String)
    case predictions(path: String, line: Int, message: String)
    case unknownCase(record: String, id: String, suggestion: String?)
}
