import Survey

/// Splits a command line into words: whitespace separates, single or double quotes group, backslash escapes the
/// next character. An unclosed quote is a usage error rather than a guess.
public enum Tokenizer {
    /// A word quoted so that `split` gives it back unchanged (for command lines built by the program).
    public static func quote(_ word: String) -> String { CommandWords.quote(word) }

    static func split(_ line: String) throws -> [String] {
        guard let words = CommandWords.split(line) else {
            let first = line.split(whereSeparator: { $0.isWhitespace }).first.map(String.init)
            throw ConsoleError.usage(command: first.flatMap { $0.contains { "\"'\\".contains($0) } ? nil : $0 } ?? "input", message: "a quote is not closed")
        }
        return words
    }
}
