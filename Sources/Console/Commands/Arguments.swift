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

/// The words after a command name: positionals, `--option value` pairs and `--flag`s, checked against what the
/// command accepts.
struct Arguments {
    var positional: [String] = []
    var options: [String: String] = [:]
    var flags: Set<String> = []

    init(_ words: [String], command: String, valueOptions: Set<String>, flagOptions: Set<String>) throws {
        var i = 0
        while i < words.count {
            let w = words[i]
            if w.hasPrefix("--") && w.count > 2 {
                var name = String(w.dropFirst(2))
                var inlineValue: String?
                if let eq = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                if valueOptions.contains(name) {
                    if let v = inlineValue {
                        options[name] = v
                    } else {
                        guard i + 1 < words.count else {
                            throw ConsoleError.usage(command: command, message: "--\(name) needs a value")
                        }
                        options[name] = words[i + 1]
                        i += 1
                    }
                } else if flagOptions.contains(name) {
                    flags.insert(name)
                } else {
                    throw ConsoleError.unknownOption(command: command, option: w,
                                                     suggestion: Suggest.nearest(name, in: Array(valueOptions.union(flagOptions))).map { "--" + $0 })
                }
            } else {
                positional.append(w)
            }
            i += 1
        }
    }

    func int(_ name: String, command: String) throws -> Int? {
        guard let v = options[name] else { return nil }
        guard let i = Int(v) else { throw ConsoleError.usage(command: command, message: "--\(name) takes a whole number, not \"\(v)\"") }
        return i
    }

    func double(_ name: String, command: String) throws -> Double? {
        guard let v = options[name] else { return nil }
        guard let d = Double(v), d.isFinite else { throw ConsoleError.usage(command: command, message: "--\(name) takes a number, not \"\(v)\"") }
        return d
    }

    /// `Q [by X]`: the question and the grouping word after `by`.
    func questionAndBy(command: String) throws -> (question: String, by: String?) {
        guard let q = positional.first else { throw ConsoleError.usage(command: command, message: "which question? e.g. \(command) Q7") }
        if positional.count == 1 { return (q, nil) }
        guard positional.count == 3, positional[1].lowercased() == "by" else {
            throw ConsoleError.usage(command: command, message: "expected \(command) Q [by group|by Q], got \"\(positional.joined(separator: " "))\"")
        }
        return (q, positional[2])
    }
}
