/// The words of a cleaning step or a correction as the prompt splits them: whitespace separates, single or double
/// quotes group ("What is your role?", "Korea, Republic of"), backslash escapes the next character. The console's
/// tokenizer is this one, so a step kept as text (in a workspace, under a table) reads back as it was typed.
public enum CommandWords {
    /// The words of `line`, or nil when a quote is not closed.
    public static func split(_ line: String) -> [String]? {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var escaping = false
        var inWord = false
        for ch in line {
            if escaping { current.append(ch); escaping = false; continue }
            if ch == "\\" && quote != "'" { escaping = true; inWord = true; continue }
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
                continue
            }
            if ch == "\"" || ch == "'" { quote = ch; inWord = true; continue }
            if ch.isWhitespace {
                if inWord { words.append(current); current = ""; inWord = false }
                continue
            }
            current.append(ch)
            inWord = true
        }
        if quote != nil { return nil }
        if inWord { words.append(current) }
        return words
    }

    /// A word quoted so that `split` gives it back unchanged.
    public static func quote(_ word: String) -> String {
        "\"" + word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// The word as typed: bare when `split` reads it back whole, quoted otherwise (spaces, quotes, commas when
    /// `commas`, since a list splits on them).
    public static func shown(_ word: String, commas: Bool = false) -> String {
        let plain = !word.isEmpty && !word.contains { $0.isWhitespace || $0 == "\"" || $0 == "'" || $0 == "\\" || (commas && $0 == ",") }
        return plain ? word : quote(word)
    }
}
