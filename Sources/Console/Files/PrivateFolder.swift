import Foundation

/// One folder per process, readable by this user only (mkdtemp, mode 0700), for the files a workspace brings with
/// it. It is removed when the process exits, so opening workspaces leaves no copies of their data in /tmp.
final class PrivateFolder: @unchecked Sendable {
    static let shared = PrivateFolder()
    private let lock = NSLock()
    private var root: URL?

    /// A new, empty folder inside the private folder.
    func make(_ purpose: String) throws -> URL {
        lock.lock()
        defer { lock.unlock() }
        if root == nil {
            var template = Array((FileManager.default.temporaryDirectory.path + "/trustgap-XXXXXX").utf8CString)
            guard let made = mkdtemp(&template) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot create a private temporary folder: \(String(cString: strerror(errno)))"])
            }
            let url = URL(fileURLWithPath: String(cString: made))
            root = url
            PrivateFolder.removeAtExit = url.path
            atexit { if let path = PrivateFolder.removeAtExit { try? FileManager.default.removeItem(atPath: path) } }
        }
        guard let root else { preconditionFailure("private folder was just created") }
        let folder = root.appendingPathComponent("\(purpose)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        return folder
    }

    nonisolated(unsafe) static var removeAtExit: String?

    /// The last component of a stored path, reduced to letters, digits, '.', '-' and '_' (other characters become
    /// '_'), never empty, "." or "..", and at most 120 bytes: a stored name cannot climb out of the folder.
    static func safeName(_ stored: String) -> String {
        let last = stored.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var name = String(last.unicodeScalars.map { s -> Character in
            (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "." || s == "-" || s == "_") && s.isASCII ? Character(s) : "_"
        }.prefix(120))
        while name.hasPrefix(".") { name = "_" + name.dropFirst() }
        return name.isEmpty ? "file" : name
    }
}
