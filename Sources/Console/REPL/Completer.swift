import Survey

/// What Tab offers at a point in the line: command names, subcommands, options, question ids, answer codes, or
/// (nil) file names, which readline completes itself.
public struct Completer {
    let session: Session

    public init(session: Session) { self.session = session }

    /// `before` is the line up to the word being completed; `word` is that partial word. A candidate that the
    /// tokenizer would split (spaces, quotes, backslashes: an inferred column named "How old are you") comes quoted,
    /// unless the word already opened a quote, which readline then closes.
    public func candidates(before: String, word: String) -> [String]? {
        var before = before
        var quoteOpened = false
        if let last = before.last, last == "\"" || last == "'" { before.removeLast(); quoteOpened = true }
        guard let found = unquotedCandidates(before: before, word: word) else { return nil }
        return quoteOpened ? found : found.map { Self.needsQuotes($0) ? Tokenizer.quote($0) : $0 }
    }

    static func needsQuotes(_ word: String) -> Bool {
        word.isEmpty || word.contains { $0.isWhitespace || $0 == "\"" || $0 == "'" || $0 == "\\" }
    }

    private func unquotedCandidates(before: String, word: String) -> [String]? {
        // Words typed earlier are split as the command will be, so a quoted name with spaces counts once.
        let words = (try? Tokenizer.split(before)) ?? before.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        guard let first = words.first else { return filter(CommandTable.names, word) }
        guard let command = CommandTable.find(first) else { return [] }
        let last = words.last ?? ""
        // Values an option takes, and options that name files (readline completes those), as its command declares them.
        if last.hasPrefix("--"), let values = command.optionValues[String(last.dropFirst(2))] { return filter(values, word) }
        if last.hasPrefix("--"), command.pathOptions.contains(String(last.dropFirst(2))) { return nil }
        switch last {
        case "--with", "--without":
            return filter(session.survey?.questionnaire.grouping?.rules.filter(\.optional).map(\.group) ?? [], word)
        case "--group": return filter(questionIDs(), word)
        default: break
        }
        if word.hasPrefix("--") {
            return filter(command.valueOptions.union(command.flagOptions).map { "--" + $0 }.sorted(), word)
        }
        let position = words.count  // words already typed, command included
        switch command.completes {
        case .subcommands:
            return filter(CommandTable.names, word)
        case .files:
            if position == 1 { return filter(command.subcommands, word) }
            if command.name == "report", position == 2 { return filter(session.records.map(\.id), word) }
            return nil
        case .questions:
            if last.lowercased() == "by" { return filter(["group"] + questionIDs(), word) }
            if position == 1 {
                return filter(command.subcommands + questionIDs(), word)
            }
            if position == 2, !command.subcommands.contains(words[1].lowercased()) {
                var options = ["by"]
                if command.name == "show", let q = session.survey?.questionnaire.question(words[1]) {
                    options = q.categories.map(\.code)
                }
                return filter(options, word)
            }
            return []
        case .codes:
            if position == 1 && !command.subcommands.isEmpty { return filter(command.subcommands, word) }
            if command.name == "codebook", words.count >= 2, words[1] == "load" { return nil }
            return filter(codeIDs(), word)
        case .respondents:
            // code RESPONDENT Q CODE
            switch position {
            case 1: return filter(session.survey?.respondents.map(\.id) ?? [], word)
            case 2: return filter(session.survey?.questionnaire.questions.filter { $0.type == .open }.map(\.id) ?? [], word)
            case 3: return filter(codeIDs(), word)
            default: return []
            }
        case .records:
            return position == 1 ? filter(session.records.map(\.id), word) : []
        case .none:
            return []
        }
    }

    private func codeIDs() -> [String] { session.coding.project.codebook.codes.map(\.id) }

    private func questionIDs() -> [String] { session.survey?.questionnaire.questions.map(\.id) ?? [] }

    private func filter(_ list: [String], _ prefix: String) -> [String] {
        list.filter { $0.lowercased().hasPrefix(prefix.lowercased()) }
    }
}
