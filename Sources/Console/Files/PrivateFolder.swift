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
}
