import Survey

/// Splits a command line into words: whitespace separates, single or double quotes group, backslash escapes the
/// next character. An unclosed quote is a usage error rather than a guess.
public enum Tokenizer {
    /// A word quoted so that `split` gives it back unchanged (for command lines built by the program).
    public static func quote(_ word: String) -> String {
        "\"" + word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func split(_ line: String) throws -> [String] {
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
        if quote != nil { throw ConsoleError.usage(command: words.first ?? "input", message: "a quote is not closed") }
        if inWord { words.append(current) }
        return words
    }
}
