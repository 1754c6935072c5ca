import Foundation

/// The temporary file an output is written into before it is renamed over its target. Its name was once
/// `.NAME.tmp-PID`, which anyone could plant beforehand as a link (in a zip or a git clone) and have the output
/// written through it into any file; `mkstemp` makes a name nobody knows in advance and creates the file with
/// `O_CREAT|O_EXCL`, and `rename(2)` then replaces a link at the target itself, never the file it names.
public enum SiblingFile {
    /// Creates an empty file in `target`'s folder, named `.NAME.tmp-XXXXXX`, with the mode a new file of the user
    /// gets. Returns its descriptor and path, or nil with `errno` set.
    public static func make(beside target: String) -> (fd: Int32, path: String)? {
        let url = URL(fileURLWithPath: target)
        var template = Array(url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-XXXXXX").path.utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { return nil }
        let mask = umask(0)
        umask(mask)
        fchmod(fd, 0o666 & ~mask)
        return (fd, String(cString: template))
    }

    /// Writes `data` into a new sibling file and renames it over `target`: a failed write leaves the old file.
    /// Returns nil when it worked, otherwise the reason.
    public static func replace(_ target: String, with data: Data) -> String? {
        guard let (fd, tmp) = make(beside: target) else { return String(cString: strerror(errno)) }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
            try handle.close()
        } catch {
            unlink(tmp)
            return (error as NSError).localizedDescription
        }
        guard rename(tmp, target) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            return reason
        }
        return nil
    }
}
