@preconcurrency import CReadline
import Foundation
import Statistics

/// GNU readline with history kept in a file and Tab completion from `Completer`.
///
/// Swift 6 treats readline's C globals as shared mutable state, so the callbacks are top-level functions (a C
/// function pointer cannot capture) and their state lives in `nonisolated(unsafe)` statics of `ReadlineState`;
/// readline calls them on the one thread that runs the REPL.
enum ReadlineState {
    /// True while readline waits for a line: Ctrl-C then abandons the line; otherwise it stops the command.
    nonisolated(unsafe) static var reading = false
    nonisolated(unsafe) static var completer: Completer?
    nonisolated(unsafe) static var matches: [String] = []
    nonisolated(unsafe) static var matchIndex = 0
}

/// readline's attempted-completion hook: our candidates, or nil to let readline complete file names.
private func attemptCompletion(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    guard let completer = ReadlineState.completer, let text, let buffer = rl_line_buffer else { return nil }
    let line = String(cString: buffer)
    let utf8 = Array(line.utf8)
    let before = String(decoding: utf8.prefix(Int(start)), as: UTF8.self)
    guard let candidates = completer.candidates(before: before, word: String(cString: text)) else {
        rl_attempted_completion_over = 0
        return nil
    }
    rl_attempted_completion_over = 1
    ReadlineState.matches = candidates
    ReadlineState.matchIndex = 0
    return rl_completion_matches(text, generateMatch)
}

/// readline's generator: called with state 0 first, then repeatedly until it returns nil.
private func generateMatch(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
    if state == 0 { ReadlineState.matchIndex = 0 }
    guard ReadlineState.matchIndex < ReadlineState.matches.count else { return nil }
    let match = ReadlineState.matches[ReadlineState.matchIndex]
    ReadlineState.matchIndex += 1
    return strdup(match)
}

/// Ctrl-C at the prompt abandons the line being typed and shows a fresh prompt. While a command runs, it asks the
/// command to stop (`Interruption`): long computations poll the flag, throw, and the session stays as it was.
/// Touching readline while a command runs (as this handler once did) redrew a prompt over a computation that went on.
private func interrupted(_ signal: Int32) {
    guard ReadlineState.reading else {
        Interruption.request()
        return
    }
    _ = write(STDOUT_FILENO, "\n", 1)
    rl_on_new_line()
    rl_replace_line("", 0)
    rl_redisplay()
}

struct LineEditor {
    let historyPath: String

    init(completer: Completer, historyPath: String) {
        self.historyPath = historyPath
        ReadlineState.completer = completer
        rl_readline_name = UnsafePointer(strdup("trustgap"))
        rl_attempted_completion_function = attemptCompletion
        // Complete words after spaces and quotes, as the tokenizer splits them.
        rl_basic_word_break_characters = UnsafePointer(strdup(" \t\n\"'"))
        // A word that opened a quote is completed inside it (a name with spaces), and readline closes the quote.
        rl_completer_quote_characters = UnsafePointer(strdup("\"'"))
        signal(SIGINT, interrupted)
        Runner.unblockInterrupt()
        using_history()
        _ = read_history(historyPath)
    }

    /// The next line, or nil at end of input (Ctrl-D).
    func readLine(prompt: String) -> String? {
        // A Ctrl-C typed at an idle prompt must not cancel the next command; one that comes after the line was read
        // (even before the command starts) must cancel it, so the flag is cleared here and not when the command starts.
        Interruption.reset()
        ReadlineState.reading = true
        let raw = readline(prompt)
        ReadlineState.reading = false
        guard let raw else { return nil }
        defer { free(raw) }
        let line = String(cString: raw)
        if !line.trimmingCharacters(in: .whitespaces).isEmpty {
            add_history(raw)
            // Append as we go, so a killed session keeps what was typed.
            if append_history(1, historyPath) != 0 { _ = write_history(historyPath) }
            _ = history_truncate_file(historyPath, 5000)
        }
        return line
    }
}
