import Foundation
import Render
import Statistics

/// Whether the kernel channel is waiting for a request: a Ctrl-C then has nothing to stop. A C signal handler cannot
/// capture, so this lives in a static the handler reads (one thread reads requests and runs commands).
private enum KernelChannelState {
    nonisolated(unsafe) static var waiting = true
}

/// Jupyter's interrupt (SIGINT to the kernel's process group, or forwarded by the kernel) stops the running
/// command as Ctrl-C does at the prompt: long computations poll `Interruption`, throw, and the session stays as it
/// was. An interrupt while no command runs is ignored, so it cannot cancel the next cell.
private func kernelInterrupted(_ signal: Int32) {
    if !KernelChannelState.waiting { Interruption.request() }
}

/// `trustgap notebook kernel`: one session that the Jupyter kernel (`kernel/trustgap_kernel`) talks to over the
/// process's standard streams, one JSON object a line each way.
///
/// Requests: `{"run": LINE}` runs a command; `{"complete": TEXT}` asks what Tab offers at the end of TEXT. Answers:
/// `{"command", "result", "outputs"}` or `{"command", "error", "outputs"}`, the `--format ndjson` entry with the
/// command's Jupyter outputs beside it (`JupyterOutputs`), and `{"matches", "start"}` where `start` counts the
/// Unicode scalars of TEXT before the word being completed. A request that is not one of these gets an error entry.
///
/// The session runs in the folder the kernel started in (Jupyter starts it in the notebook's folder), confined to it
/// and to `allowedPaths` as `notebook render` confines a notebook's blocks; figures are shown, not written.
struct KernelChannel {
    let session: Session
    let terminal: Terminal

    init(allowedPaths: [String], terminal: Terminal) {
        session = Session()
        session.pathRoots = ["."] + allowedPaths
        session.showsFigures = true
        self.terminal = terminal
    }

    func serve() -> Int32 {
        if terminal.ownsProcess {
            signal(SIGINT, kernelInterrupted)
            Runner.unblockInterrupt()
        }
        while true {
            KernelChannelState.waiting = true
            guard let line = terminal.readLine() else { return 0 }
            Interruption.reset()
            KernelChannelState.waiting = false
            let answer = respond(to: line)
            terminal.write(answer.encoded(pretty: false) + "\n")
        }
    }

    func respond(to request: String) -> JSONValue {
        let object = (try? JSONSerialization.jsonObject(with: Data(request.utf8))) as? [String: Any]
        if let line = object?["run"] as? String { return run(line) }
        if let text = object?["complete"] as? String { return complete(text) }
        let error = ConsoleError.usage(command: "notebook kernel", message: "a request is {\"run\": LINE} or {\"complete\": TEXT} on one line")
        return .object([("command", .string(request)), ("error", Runner.errorJSON(error)), ("outputs", .array([JupyterOutputs.error(error)]))])
    }

    /// Runs one command as a notebook block does: logged, noted in the history, its cleaning named under it.
    func run(_ line: String) -> JSONValue {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        do {
            guard var output = try CommandTable.execute(trimmed, in: session) else {
                return .object([("command", .string(trimmed)), ("result", .null), ("outputs", .array([]))])
            }
            session.history.append(trimmed)
            Runner.noteCleaning(&output, command: trimmed, in: session)
            Runner.log(trimmed, output: output, error: nil, in: session)
            return .object([("command", .string(trimmed)), ("result", output.json), ("outputs", .array(JupyterOutputs.displays(output)))])
        } catch {
            session.history.append(trimmed)
            Runner.log(trimmed, output: nil, error: ErrorMessages.message(for: error), in: session)
            return .object([("command", .string(trimmed)), ("error", Runner.errorJSON(error)), ("outputs", .array([JupyterOutputs.error(error)]))])
        }
    }

    /// What Tab offers for the word at the end of `text`, from the REPL's completer; file names when it offers none.
    func complete(_ text: String) -> JSONValue {
        let scalars = Array(text.unicodeScalars)
        var start = scalars.count
        // Words break where readline breaks them for the REPL (spaces and quotes).
        while start > 0, !" \t\"'".unicodeScalars.contains(scalars[start - 1]) { start -= 1 }
        var before = String.UnicodeScalarView(), word = String.UnicodeScalarView()
        before.append(contentsOf: scalars[..<start])
        word.append(contentsOf: scalars[start...])
        let matches = Completer(session: session).candidates(before: String(before), word: String(word)) ?? Self.files(String(word))
        return .object([("matches", .strings(matches)), ("start", .int(start))])
    }

    /// File and folder names that start with `word`, relative to the session's folder; folders end in `/`.
    static func files(_ word: String) -> [String] {
        let folder = (word as NSString).deletingLastPathComponent
        let prefix = (word as NSString).lastPathComponent
        let listed = word.hasSuffix("/") ? word : (folder.isEmpty ? "" : folder + "/")
        let stem = word.hasSuffix("/") ? "" : prefix
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: listed.isEmpty ? "." : listed) else { return [] }
        return names.filter { $0.hasPrefix(stem) && !$0.hasPrefix(".") }.sorted().map { name in
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: listed + name, isDirectory: &isFolder)
            return listed + name + (isFolder.boolValue ? "/" : "")
        }
    }
}
