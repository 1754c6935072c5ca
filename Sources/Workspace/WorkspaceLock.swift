import Foundation

/// One session at a time on a workspace: an advisory lock (flock) on the database file itself, so every name of the
/// file (a symbolic link, a hard link) meets the same lock; a lock per name once let a second name of one workspace
/// lose an acknowledged coding. The holder (process id, host, since when) is noted in `.NAME.lock` beside the file's
/// real path, for the message a second session gets. The lock is released when the process ends, however it ends,
/// so a killed session leaves no stale lock. Within one process the lock is shared: saving over the attached
/// workspace does not lock itself out.
///
/// Nothing here follows a link where it writes: a missing workspace is created with `O_CREAT|O_EXCL|O_NOFOLLOW`, and
/// the note is written only into a regular file of this user with one name (a planted `.NAME.lock -> ~/.bashrc`
/// once had `~/.bashrc` replaced by the note).
public final class WorkspaceLock: @unchecked Sendable {
    /// The workspace as it was named when the lock was taken.
    public let path: String
    private let fd: Int32
    private let identity: FileIdentity

    /// A file by device and inode: what every name of it shares.
    struct FileIdentity: Hashable {
        let device: UInt64
        let inode: UInt64
        init(_ s: stat) { device = UInt64(s.st_dev); inode = UInt64(s.st_ino) }
    }

    private static let registry = NSLock()
    nonisolated(unsafe) private static var held: [FileIdentity: Weak] = [:]
    private struct Weak { weak var lock: WorkspaceLock? }

    private init(path: String, fd: Int32, identity: FileIdentity) {
        self.path = path
        self.fd = fd
        self.identity = identity
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
        Self.registry.lock()
        if Self.held[identity]?.lock == nil { Self.held[identity] = nil }
        Self.registry.unlock()
    }

    /// The file holding the holder's note: `.NAME.lock` beside the workspace's real path (links resolved, so a link
    /// to a workspace finds the note of its holder).
    public static func notePath(for workspace: String) -> String {
        let real = realpath(workspace, nil).map { p -> String in defer { free(p) }; return String(cString: p) } ?? workspace
        let url = URL(fileURLWithPath: real).standardizedFileURL
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).lock").path
    }

    /// Takes the lock of `workspace` (creating the file, empty, when it is missing), or throws
    /// `WorkspaceError.locked` naming the session that holds it.
    public static func acquire(_ workspace: String) throws -> WorkspaceLock {
        // O_NONBLOCK: a FIFO planted under the workspace's name must not hang the open.
        var fd = open(workspace, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 && errno == ENOENT {
            fd = open(workspace, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if fd < 0 && errno == EEXIST {
                throw WorkspaceError.cannotOpen(path: workspace, reason: "it is a link to a file that does not exist, which trustgap does not follow to create a file")
            }
        }
        guard fd >= 0 else { throw WorkspaceError.cannotOpen(path: workspace, reason: String(cString: strerror(errno))) }
        return try lock(fd: fd, path: workspace)
    }

    /// Takes the lock on an open file (the new database `save` writes before renaming it into place, so the lock
    /// moves with it); the lock owns `fd` from here on.
    static func lock(fd: Int32, path: String) throws -> WorkspaceLock {
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw WorkspaceError.cannotOpen(path: path, reason: "it is not a regular file")
        }
        let identity = FileIdentity(info)
        registry.lock()
        defer { registry.unlock() }
        if let mine = held[identity]?.lock {
            close(fd)
            return mine
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw WorkspaceError.locked(path: path, holder: readNote(notePath(for: path)) ?? "another process")
        }
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        writeNote("trustgap process \(getpid()) on \(String(cString: host)), since \(ISO8601DateFormatter().string(from: Date()))\n", to: notePath(for: path))
        let lock = WorkspaceLock(path: path, fd: fd, identity: identity)
        held[identity] = Weak(lock: lock)
        return lock
    }

    /// Opens the note file only if it is this user's regular file with one name; never through a link.
    /// (A note is read the same way: a planted link to a secret must not print the secret in the message.)
    private static func openNote(_ notePath: String, flags: Int32, mine: Bool) -> Int32? {
        let fd = open(notePath, flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0o600)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_nlink == 1, !mine || info.st_uid == geteuid() else {
            close(fd)
            return nil
        }
        return fd
    }

    private static func writeNote(_ note: String, to notePath: String) {
        // The note only helps the message of a second session: a folder that does not allow it costs nothing else.
        guard let fd = openNote(notePath, flags: O_RDWR | O_CREAT, mine: true) else { return }
        defer { close(fd) }
        ftruncate(fd, 0)
        _ = note.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    private static func readNote(_ notePath: String) -> String? {
        guard let fd = openNote(notePath, flags: O_RDONLY, mine: false) else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = pread(fd, &buffer, buffer.count, 0)
        return n > 0 ? String(decoding: buffer[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }
}
