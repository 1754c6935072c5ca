import Foundation
import Render
import Statistics
import Workspace

/// SIGINT outside the REPL: a batch run (`-e`, `run FILE`, piped lines, notebooks) stops at once with status 130,
/// as shells report an interrupted program. `_exit` is async-signal-safe; a workspace change in flight is an SQLite
/// transaction, which a killed process leaves as it was (the SIGKILL tests show it).
private func batchInterrupted(_ signal: Int32) {
    _exit(130)
}

/// Runs commands in one session: interactively (readline on a terminal, plain lines otherwise), from `-e`
/// arguments, or from a script. Output goes to the terminal's standard output; errors to its standard error as
/// `error: ...`.
public struct Runner {
    public let session: Session
    public let terminal: Terminal
    let colour: Bool
    /// With --format json, the entries of the whole run, printed as one document when it ends.
    let entries = MachineEntries()

    public init(session: Session, terminal: Terminal = .standard) {
        self.session = session
        self.terminal = terminal
        colour = terminal.colour
    }

    enum Outcome { case ok, failed(String), quit }

    /// Commands whose results are computed from the survey's answers (a cleaned survey is named under them).
    static let surveyCommands: Set<String> = ["groups", "describe", "crosstab", "chisq", "compare", "gap", "exposure", "priorities", "report",
                                              "plot", "words", "kwic", "themes", "quotes", "matrix", "cooccur", "wordcloud", "audit", "explain"]

    /// What a run in a machine format has printed or will print: `{command, result}` and `{command, error}`.
    final class MachineEntries {
        var items: [JSONValue] = []
    }

    /// The error of a command as a program reads it: a stable code, the sentence, and where it happened.
    static func errorJSON(_ error: Error) -> JSONValue {
        var fields: [(String, JSONValue)] = [("code", .string(ErrorMessages.code(for: error))), ("message", .string(ErrorMessages.message(for: error)))]
        let position = ErrorMessages.position(for: error)
        fields.append(("position", position.isEmpty ? .null : .object(position)))
        return .object(fields)
    }

    /// Records one command's entry in a machine format: printed at once as a line (ndjson), or kept for the
    /// document printed at the end of the run (json).
    func record(_ command: String, result: JSONValue?, error: JSONValue?) {
        // Each entry names what produced it: the version, the input files with their hashes, the cleaning steps.
        let entry: JSONValue = .object([("command", .string(command)), error.map { ("error", $0) } ?? ("result", result ?? .null),
                                        ("provenance", Provenance(session).json)])
        if session.format == .ndjson {
            terminal.write(entry.encoded(pretty: false) + "\n")
        } else {
            entries.items.append(entry)
        }
    }

    /// Ends a run: in json, the one document of every command's entry; in xlsx, the workbook of every table.
    func finish(_ status: Int32) -> Int32 {
        if session.format == .json {
            terminal.write(JSONValue.array(entries.items).encoded() + "\n")
        }
        if session.format == .xlsx, let path = session.workbookPath {
            do {
                try session.workbook.write(to: path)
                terminal.write("wrote \(path): \(Formatting.count(session.workbook.sheets.count, "sheet"))\n")
            } catch {
                report(ErrorMessages.message(for: error))
                return 1
            }
        }
        return status
    }

    /// Batch runs stop on Ctrl-C with status 130 (when the run owns the process); the REPL installs its own
    /// handler (see `LineEditor`).
    func stopOnInterrupt() {
        if terminal.ownsProcess { Self.stopOnInterrupt() }
    }

    public static func stopOnInterrupt() {
        signal(SIGINT, batchInterrupted)
        unblockInterrupt()
    }

    /// A parent may start trustgap with SIGINT blocked (test runners and some launchers do, and the mask survives
    /// exec): then Ctrl-C would never arrive. The REPL and batch runs both want it.
    static func unblockInterrupt() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    func execute(_ line: String) -> Outcome {
        execute(line) { try CommandTable.execute(line, in: self.session) }
    }

    /// Runs one command of the command line given as typed values (`trustgap synth survey …`), printed, logged and
    /// saved exactly as the same command typed at the prompt (`line`), with no command text in between.
    public func runTyped(_ line: String, _ command: (Session) throws -> CommandOutput) -> Int32 {
        stopOnInterrupt()
        switch execute(line, { try command(self.session) }) {
        case .ok, .quit: return finish(0)
        case .failed(let m): report(m); return finish(1)
        }
    }

    func execute(_ line: String, _ command: () throws -> CommandOutput?) -> Outcome {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return .ok }
        session.history.append(trimmed)
        var outcome: Outcome
        var digest = ""
        var text = ""
        let machine = session.format.isMachine
        do {
            if var output = try command() {
                if output.quit { return .quit }
                Self.noteCleaning(&output, command: trimmed, in: session)
                if machine {
                    record(trimmed, result: output.json, error: nil)
                } else {
                    if session.format == .csv, let folder = session.csvFolder, output.raw == nil {
                        text = try Self.writeTables(output.json, command: trimmed, to: folder, in: session)
                    } else if session.format == .xlsx {
                        // Sheets of the workbook written when the run ends; nothing on the screen per command.
                        session.commandsRun += 1
                        if output.raw == nil {
                            session.workbook.add(TidyCSV.tidyTables(output.json), command: trimmed.split(separator: " ").first.map { $0.lowercased() } ?? "command",
                                                 number: session.commandsRun)
                        }
                    } else {
                        text = output.rendered(as: session.format, colour: colour, keepFormulas: session.csvKeepsFormulas)
                    }
                    // A finished rendering (explain --format text|html|markdown) carries record text, and CSV and
                    // Markdown carry data as it is: made visible too (text tables are made visible cell by cell, and
                    // their colour sequences are trustgap's own).
                    if output.raw != nil || session.format != .text { text = TerminalText.visible(text) }
                }
                digest = WorkspaceSnapshot.sha256(Data(output.json.encoded(pretty: false).utf8))
            } else if machine {
                record(trimmed, result: nil, error: nil)
            }
            outcome = .ok
        } catch {
            if machine { record(trimmed, result: nil, error: Self.errorJSON(error)) }
            outcome = .failed(ErrorMessages.message(for: error))
        }
        // The output (the acknowledgement) is printed only after the workspace has committed the change.
        defer {
            // CSV: one table per command, a blank line between them (split on it to read each on its own).
            if !text.isEmpty { terminal.write((session.format == .csv ? text + "\n" : text) + "\n") }
        }
        // The analysis log: what ran, against which files (hashes), with which result (digest).
        let status: String
        if case .failed(let m) = outcome { status = "error: \(m)" } else { status = "ok" }
        let entry = Self.logEntry(trimmed, digest: digest, status: status, in: session)
        session.log.append(entry)
        if let store = session.workspace, !store.readOnly {
            // Committed as it happens: a killed process loses nothing that was acknowledged.
            do {
                // Only what the command changed is written, as each piece of the session noted it (a coding is one
                // new row; files by content and load options, since `set` reloads the same file with other options).
                try store.apply(try session.takeChanges())
                try store.append(command: trimmed, log: entry)
            } catch {
                text = ""
                return .failed(ErrorMessages.message(for: error))
            }
        }
        return outcome
    }

    /// Whatever was computed from a cleaned survey says how it was cleaned.
    static func noteCleaning(_ output: inout CommandOutput, command: String, in session: Session) {
        if let survey = session.survey, !survey.cleaning.isEmpty, output.raw == nil,
           surveyCommands.contains(command.split(separator: " ").first.map { $0.lowercased() } ?? "") {
            output.document.note("cleaned: \(survey.cleaning.joined(separator: "; ")) (\(survey.respondents.count) of \(session.loadedSurvey?.respondents.count ?? survey.respondents.count) respondents)")
        }
    }

    /// `--format csv --out-dir DIR`: the command's tables as files `NN-COMMAND-TABLE.csv` in the folder (made when
    /// missing), and the list of what was written as the command's output.
    static func writeTables(_ result: JSONValue, command: String, to folder: String, in session: Session) throws -> String {
        session.commandsRun += 1
        let word = command.split(separator: " ").first.map { $0.lowercased() } ?? "command"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var written: [String] = []
        for table in TidyCSV.tables(result, keepFormulas: session.csvKeepsFormulas) {
            let path = (folder as NSString).appendingPathComponent(String(format: "%02d-%@-%@.csv", session.commandsRun, FileNames.safe(word), FileNames.safe(table.name)))
            try FileOutput.write(table.csv + "\n", to: path)
            written.append(path)
        }
        // Beside each command's tables, what produced them (version, input hashes, cleaning steps), as a table too.
        let provenance = Provenance(session)
        var rows = [["trustgap_version", provenance.trustgapVersion], ["weights", provenance.weights]]
        rows += provenance.inputs.map { ["input_\($0.kind)", "\($0.path) sha256:\($0.sha256)"] }
        rows += provenance.cleaning.map { ["cleaning", $0] }
        if let grouping = provenance.grouping { rows.append(["grouping", grouping]) }
        let path = (folder as NSString).appendingPathComponent(String(format: "%02d-%@-provenance.csv", session.commandsRun, FileNames.safe(word)))
        try FileOutput.write((["field,value"] + rows.map { $0.map(CSVRenderer.quote).joined(separator: ",") }).joined(separator: "\n") + "\n", to: path)
        written.append(path)
        return written.map { "wrote \($0)" }.joined(separator: "\n")
    }

    /// The longest error message printed whole; a message that quotes a huge cell or word is cut there.
    static let longestMessage = 2_000

    /// One entry of the analysis log: what ran, against which files (hashes), with which result (digest).
    static func logEntry(_ command: String, digest: String, status: String, in session: Session) -> WorkspaceSnapshot.LogEntry {
        WorkspaceSnapshot.LogEntry(time: ISO8601DateFormatter().string(from: Date()), command: command,
                                   inputHashes: session.files.list.map { "\($0.kind):\($0.path):\($0.sha256)" }.joined(separator: ";"),
                                   resultDigest: digest, status: status)
    }

    /// Logs a command run outside the REPL loop (a notebook block), with the same digest the REPL records.
    static func log(_ command: String, output: CommandOutput?, error: String?, in session: Session) {
        let digest = output.map { WorkspaceSnapshot.sha256(Data($0.json.encoded(pretty: false).utf8)) } ?? ""
        session.log.append(logEntry(command, digest: digest, status: error.map { "error: \($0)" } ?? "ok", in: session))
    }

    func report(_ message: String) {
        // Messages quote cells and file names: shown with their control characters made visible, and cut when a
        // quoted value is enormous (a 1 MB word once came back twice in one message).
        var text = TerminalText.visible(message, keepNewlines: false)
        if text.count > Self.longestMessage {
            let rest = text.count - Self.longestMessage
            text = String(text.prefix(Self.longestMessage)) + "… (\(rest) more characters)"
        }
        terminal.writeError("error: \(text)\n")
    }

    /// `-e CMD ...`: stops at the first failure with status 1.
    public func runCommands(_ commands: [String]) -> Int32 {
        stopOnInterrupt()
        for c in commands {
            switch execute(c) {
            case .ok: continue
            case .quit: return finish(0)
            case .failed(let m): report(m); return finish(1)
            }
        }
        return finish(0)
    }

    /// `run FILE`: stops at the first failure, naming the script line.
    public func runScript(path: String) -> Int32 {
        stopOnInterrupt()
        guard let data = FileManager.default.contents(atPath: path) else {
            report(ErrorMessages.message(for: ConsoleError.unreadableScript(path: path, reason: "no such file or not readable")))
            return 1
        }
        guard let text = String(data: data, encoding: .utf8) else {
            report(ErrorMessages.message(for: ConsoleError.unreadableScript(path: path, reason: "not valid UTF-8")))
            return 1
        }
        for (k, line) in text.components(separatedBy: .newlines).enumerated() {
            switch execute(line) {
            case .ok: continue
            case .quit: return finish(0)
            case .failed(let m):
                report(ErrorMessages.message(for: ConsoleError.scriptFailed(path: path, line: k + 1, message: m)))
                return finish(1)
            }
        }
        return finish(0)
    }

    /// The REPL. On a terminal: readline, prompt, history, completion. Otherwise lines are read plainly and
    /// errors are reported without stopping, as an interactive user would see them.
    public func repl() -> Int32 {
        if terminal.isInteractive {
            let env = ProcessInfo.processInfo.environment
            let history = env["TRUSTGAP_HISTORY"] ?? ((env["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".trustgap_history")
            let editor = LineEditor(completer: Completer(session: session), historyPath: history)
            terminal.write("trustgap — type help for commands, quit or Ctrl-D to leave\n")
            while let line = editor.readLine(prompt: "trustgap> ") {
                switch execute(line) {
                case .ok: continue
                case .quit: return 0
                case .failed(let m): report(m)
                }
            }
            terminal.write("\n")
            return session.format == .xlsx ? finish(0) : 0
        }
        // Piped lines: errors are reported as they come and the run goes on, but the exit status says that one
        // failed, as `run FILE` does.
        stopOnInterrupt()
        var status: Int32 = 0
        while let line = terminal.readLine() {
            switch execute(line) {
            case .ok: continue
            case .quit: return finish(status)
            case .failed(let m): report(m); status = 1
            }
        }
        return finish(status)
    }
}
