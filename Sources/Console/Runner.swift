import Foundation

/// Runs commands in one session: interactively (readline on a terminal, plain lines otherwise), from `-e`
/// arguments, or from a script. Output goes to standard output; errors to standard error as `error: ...`.
public struct Runner {
    public let session: Session
    let colour: Bool

    public init(session: Session) {
        self.session = session
        colour = isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    enum Outcome { case ok, failed(String), quit }

    func execute(_ line: String) -> Outcome {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty && !trimmed.hasPrefix("#") { session.history.append(trimmed) }
        do {
            guard let output = try CommandTable.execute(line, in: session) else { return .ok }
            if output.quit { return .quit }
            let text = output.rendered(as: session.format, colour: colour)
            if !text.isEmpty { print(text) }
            fflush(nil)  // all streams: `stdout` itself is a C global Swift 6 will not touch
            return .ok
        } catch {
            return .failed(ErrorMessages.message(for: error))
        }
    }

    static func report(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }

    /// `-e CMD ...`: stops at the first failure with status 1.
    public func runCommands(_ commands: [String]) -> Int32 {
        for c in commands {
            switch execute(c) {
            case .ok: continue
            case .quit: return 0
            case .failed(let m): Self.report(m); return 1
            }
        }
        return 0
    }

    /// `run FILE`: stops at the first failure, naming the script line.
    public func runScript(path: String) -> Int32 {
        guard let data = FileManager.default.contents(atPath: path) else {
            Self.report(ErrorMessages.message(for: ConsoleError.unreadableScript(path: path, reason: "no such file or not readable")))
            return 1
        }
        guard let text = String(data: data, encoding: .utf8) else {
            Self.report(ErrorMessages.message(for: ConsoleError.unreadableScript(path: path, reason: "not valid UTF-8")))
            return 1
        }
        for (k, line) in text.components(separatedBy: .newlines).enumerated() {
            switch execute(line) {
            case .ok: continue
            case .quit: return 0
            case .failed(let m):
                Self.report(ErrorMessages.message(for: ConsoleError.scriptFailed(path: path, line: k + 1, message: m)))
                return 1
            }
        }
        return 0
    }

    /// The REPL. On a terminal: readline, prompt, history, completion. Otherwise lines are read plainly and
    /// errors are reported without stopping, as an interactive user would see them.
    public func repl() -> Int32 {
        if isatty(STDIN_FILENO) != 0 {
            let env = ProcessInfo.processInfo.environment
            let history = env["TRUSTGAP_HISTORY"] ?? ((env["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".trustgap_history")
            let editor = LineEditor(completer: Completer(session: session), historyPath: history)
            print("trustgap — type help for commands, quit or Ctrl-D to leave")
            while let line = editor.readLine(prompt: "trustgap> ") {
                switch execute(line) {
                case .ok: continue
                case .quit: return 0
                case .failed(let m): Self.report(m)
                }
            }
            print("")
            return 0
        }
        while let line = readLine(strippingNewline: true) {
            switch execute(line) {
            case .ok: continue
            case .quit: return 0
            case .failed(let m): Self.report(m)
            }
        }
        return 0
    }
}
