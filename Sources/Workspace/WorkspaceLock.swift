import Foundation

/// One session at a time on a workspace: an advisory lock (flock) on a file beside it, `.NAME.lock`, which names the
/// holder (process id, host, since when). Two sessions on one workspace once both acknowledged codings and only the
/// later one's survived. The lock is released when the process ends, however it ends, so a killed session leaves no
/// stale lock. Within one process the lock is shared: saving over the attached workspace does not lock itself out.
public final class WorkspaceLock: @unchecked Sendable {
    public let path: String
    private let fd: Int32

    private static let registry = NSLock()
    nonisolated(unsafe) private static var held: [String: Weak] = [:]
    private struct Weak { weak var lock: WorkspaceLock? }

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
        Self.registry.lock()
        if Self.held[path]?.lock == nil { Self.held[path] = nil }
        Self.registry.unlock()
    }

    /// The lock file of a workspace path.
    public static func lockPath(for workspace: String) -> String {
        let url = URL(fileURLWithPath: workspace).standardizedFileURL
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).lock").path
    }

    /// Takes the lock of `workspace`, or throws `WorkspaceError.locked` naming the session that holds it.
    public static func acquire(_ workspace: String) throws -> WorkspaceLock {
        let key = lockPath(for: workspace)
        registry.lock()
        defer { registry.unlock() }
        if let mine = held[key]?.lock { return mine }
        let fd = open(key, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw WorkspaceError.cannotOpen(path: workspace, reason: "cannot create its lock file \(key): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 512)
            let n = pread(fd, &buffer, buffer.count, 0)
            close(fd)
            let holder = n > 0 ? String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "another process"
            throw WorkspaceError.locked(path: workspace, holder: holder)
        }
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        let note = "trustgap process \(getpid()) on \(String(cString: host)), since \(ISO8601DateFormatter().string(from: Date()))\n"
        ftruncate(fd, 0)
        _ = note.withCString { pwrite(fd, $0, strlen($0), 0) }
        let lock = WorkspaceLock(path: key, fd: fd)
        held[key] = Weak(lock: lock)
        return lock
    }
}
