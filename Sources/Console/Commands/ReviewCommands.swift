import ArgumentParser
import Foundation
import Render
import Statistics
import Survey
import Thematic

/// Reviewing and writing up codings: themes, matrix, cooccur, uncoded, kwic, quotes, words, wordcloud, agreement.
enum ReviewCommands {
    static let all: [Command] = [themes, matrix, cooccur, uncoded, kwic, quotes, words, wordcloud, agreement]

    /// Codings to review: one coder's (--coder), or everyone's.
    static func codings(_ session: Session, coder: String?) -> [Coding] {
        session.coding.project.codings.filter { coder == nil || $0.coder == coder }
    }

    static let themes = Command(ThemesCommand.self)

    struct ThemesCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "themes", abstract: "theme and code frequencies by group, with tests",
            usage: "themes [Q] [by group|by Q] [--coder NAME]",
            discussion: "Counts, for every theme and code, the respondents (not mentions) in each group whose answer carries it or a code below it, as a share of the group's respondents who answered; each row is tested across groups (Pearson chi-square with Fisher's exact p, the one to read at these sizes). --coder restricts to one coder's codings.")
        static let completes: Command.Completion = .questions
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("coder")) var coder: String?

        func run(in session: Session) throws -> CommandOutput {
            let (qName, by) = try optionalQuestionAndBy(positional, command: "themes")
            return try themesOutput(session, question: qName, by: by, coder: coder)
        }
    }

    /// Theme and code frequencies by group, with a test per row (`ThemeFrequencies`), as a table and as JSON.
    static func themesOutput(_ session: Session, question: String?, by: String?, coder: String?) throws -> CommandOutput {
        let q = try session.openQuestion(question)
        let grouping = try session.grouping(by)
        let f = try ThemeFrequencies(project: session.coding.project, answers: try session.answerSet(), question: q, groups: grouping.levels,
                                     groupOf: grouping.groupOf, coder: coder)
        let rows = f.rows.map { r -> [String] in
            [String(repeating: "  ", count: r.depth) + r.code]
                + zip(r.counts, f.answered).map { c, n in "\(c) (\(Formatting.percent(n > 0 ? 100 * Double(c) / Double(n) : .nan)))" }
                + [Formatting.p(r.pearson?.p), Formatting.p(r.fisher?.p)]
        }
        var doc = Document()
        doc.heading("Themes and codes in \(q), respondents by \(grouping.variable.name)\(coder.map { " (coder \($0))" } ?? "")")
        doc.table(Table(columns: ["code"] + zip(f.groups, f.answered).map { "\($0) (n=\($1))" } + ["p", "Fisher p"], rows: rows))
        doc.note("counts are respondents, not mentions; a theme counts a respondent once however many of its codes apply")
        let items: [JSONValue] = f.rows.map { r in
            .object([("code", .string(r.code)), ("theme", .bool(r.isTheme)), ("parent", r.parent.map(JSONValue.string) ?? .null),
                     ("counts", .array(r.counts.map(JSONValue.int))),
                     ("shares", .array(zip(r.counts, f.answered).map { c, n in .double(n > 0 ? Double(c) / Double(n) : nil) })),
                     ("p", .double(r.pearson?.p)), ("fisher_p", .double(r.fisher?.p))])
        }
        return CommandOutput(document: doc, json: .object([("question", .string(q)), ("by", .string(grouping.variable.name)),
                                                           ("groups", .strings(f.groups)), ("n", .array(f.answered.map(JSONValue.int))), ("codes", .array(items))]))
    }

    /// `[Q] [by X]` where Q is optional.
    static func optionalQuestionAndBy(_ words: [String], command: String) throws -> (String?, String?) {
        let p = words
        if p.isEmpty { return (nil, nil) }
        if p.count == 2, p[0].lowercased() == "by" { return (nil, p[1]) }
        return try Grammar.questionAndBy(words, command: command)
    }

    static let matrix = Command(MatrixCommand.self)

    struct MatrixCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "matrix", abstract: "respondent × code 0/1 matrix",
            usage: "matrix [Q] [--coder NAME]",
            discussion: "One row per respondent who answered Q, with their group and a 0/1 column per code used. --format csv writes it for R or a spreadsheet.")
        static let completes: Command.Completion = .questions
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("coder")) var coder: String?

        func run(in session: Session) throws -> CommandOutput {
            let q = try session.openQuestion(positional.first)
            let m = CodeMatrix(project: session.coding.project, answers: try session.answerSet(), question: q, coder: coder)
            var doc = Document()
            doc.table(Table(columns: ["respondent", "group"] + m.codes, rows: m.rows.map { [$0.respondent, $0.group ?? ""] + $0.values.map(String.init) }))
            return CommandOutput(document: doc, json: .object([("codes", .strings(m.codes)),
                                                               ("rows", .array(m.rows.map { r in .object([("respondent", .string(r.respondent)), ("group", .string(r.group ?? "")), ("values", .array(r.values.map(JSONValue.int)))]) }))]))
        }
    }

    static let cooccur = Command(CooccurCommand.self)

    struct CooccurCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "cooccur", abstract: "how often two codes apply to the same answer",
            usage: "cooccur [Q] [--coder NAME]",
            discussion: "A code × code table: the number of answers to Q that carry both codes (the diagonal: answers with the code).")
        static let completes: Command.Completion = .questions
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("coder")) var coder: String?

        func run(in session: Session) throws -> CommandOutput {
            let q = try session.openQuestion(positional.first)
            let c = CodeCooccurrence(project: session.coding.project, answers: try session.answerSet(), question: q, coder: coder)
            var doc = Document()
            let short = c.codes.map { String($0.split(separator: ".").last ?? Substring($0)) }
            doc.table(Table(columns: ["code"] + short, rows: zip(c.codes, c.counts).map { [$0] + $1.map(String.init) }))
            return CommandOutput(document: doc, json: .object([("codes", .strings(c.codes)), ("counts", .array(c.counts.map { .array($0.map(JSONValue.int)) }))]))
        }
    }

    static let uncoded = Command(UncodedCommand.self)

    struct UncodedCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "uncoded", abstract: "answers with no code yet",
            usage: "uncoded [Q] [--coder NAME]",
            discussion: "Lists the answers to Q that no coder (or not --coder) has coded.")
        static let completes: Command.Completion = .questions
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("coder")) var coder: String?

        func run(in session: Session) throws -> CommandOutput {
            let q = try session.openQuestion(positional.first)
            let answers = try session.answerSet()
            let coded = Set(codings(session, coder: coder).filter { $0.question == q }.map(\.respondent))
            let rest = answers.answers(to: q).filter { !coded.contains($0.respondent) }
            var doc = Document()
            doc.heading("\(rest.count) of \(answers.answers(to: q).count) answers to \(q) are uncoded")
            doc.table(Table(columns: ["respondent", "group", "answer"], alignments: [.left, .left, .left],
                            rows: rest.map { [$0.respondent, answers.groupOf[$0.respondent] ?? "", $0.text] }))
            return CommandOutput(document: doc, json: .object([
                ("question", .string(q)), ("answers", .int(answers.answers(to: q).count)), ("uncoded", .int(rest.count)),
                ("rows", .array(rest.map { .object([("respondent", .string($0.respondent)), ("group", .string(answers.groupOf[$0.respondent] ?? "")),
                                                    ("text", .string($0.text))]) })),
            ]))
        }
    }

    static let kwic = Command(KwicCommand.self)

    struct KwicCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "kwic", abstract: "keyword in context",
            usage: "kwic WORD [Q]",
            discussion: "Every occurrence of WORD (and words starting with it) in the answers to Q, with the text around it.")
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            guard let word = positional.first else { throw ConsoleError.usage(command: "kwic", message: "which word? e.g. kwic drift") }
            let q = try session.openQuestion(positional.count > 1 ? positional[1] : nil)
            let answers = try session.answerSet()
            var rows: [[String]] = []
            for a in answers.answers(to: q) {
                for hit in TextStatistics.keywordInContext(a.text, word: word) {
                    rows.append([a.respondent, answers.groupOf[a.respondent] ?? "", "…" + hit.left, hit.match.uppercased(), hit.right + "…"])
                }
            }
            var doc = Document()
            doc.table(Table(columns: ["respondent", "group", "left", "keyword", "right"], alignments: [.left, .left, .right, .left, .left], rows: rows))
            return CommandOutput(document: doc, json: .array(rows.map { .object([("respondent", .string($0[0])), ("left", .string($0[2])), ("match", .string($0[3])), ("right", .string($0[4]))]) }))
        }
    }

    static let quotes = Command(QuotesCommand.self)

    struct QuotesCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "quotes", abstract: "verbatim quote table per theme",
            usage: "quotes [THEME|CODE] [Q] [--coder NAME]",
            discussion: "Verbatim quotes grouped by theme: \"R012 (CG): …\" with the code path; a span shows the coded text, a whole-answer coding the answer. Give a theme or code to see only its quotes.")
        static let completes: Command.Completion = .codes
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("coder")) var coder: String?

        func run(in session: Session) throws -> CommandOutput {
            let book = session.coding.project.codebook
            var filter: String?
            var qName: String?
            for p in positional {
                if book.code(p) != nil { filter = p } else { qName = p }
            }
            return try quotesOutput(session, filter: filter, question: qName, coder: coder)
        }
    }

    /// Verbatim quotes by theme, of one theme or code (`filter`) or all.
    static func quotesOutput(_ session: Session, filter: String?, question: String?, coder: String?) throws -> CommandOutput {
        let book = session.coding.project.codebook
        let q = try session.openQuestion(question)
        let answers = try session.answerSet()
        let allowed = filter.map { book.subtree($0) }
        let list = codings(session, coder: coder).filter { $0.question == q && (allowed?.contains($0.code) ?? true) }
        var rows: [[String]] = []
        var seen = Set<String>()
        for c in list.sorted(by: { (book.theme(of: $0.code), $0.code, $0.respondent) < (book.theme(of: $1.code), $1.code, $1.respondent) }) {
            guard let text = answers.text(c.respondent, q) else { continue }
            var quote = text
            if let s = c.start, let e = c.end {
                let scalars = Array(text.unicodeScalars)
                if s >= 0, e <= scalars.count, s < e { quote = String(String.UnicodeScalarView(scalars[s..<e])) }
            }
            let key = "\(c.code)|\(c.respondent)|\(quote)"
            guard seen.insert(key).inserted else { continue }
            rows.append([book.theme(of: c.code), book.path(of: c.code), "\(c.respondent) (\(answers.groupOf[c.respondent] ?? "?")): \(quote)"])
        }
        var doc = Document()
        doc.table(Table(columns: ["theme", "code", "quote"], alignments: [.left, .left, .left], rows: rows))
        return CommandOutput(document: doc, json: .array(rows.map { .object([("theme", .string($0[0])), ("code", .string($0[1])), ("quote", .string($0[2]))]) }))
    }

    /// The stop words `words` and `wordcloud` read without --stopwords.
    static let defaultStopWords = "questionnaires/stopwords/en.txt"

    static func stopWords(_ path: String?) throws -> Set<String> {
        // A copy beside the work (a notebook hand-out carries one) is read; else the one the binary carries.
        try TextStatistics.stopWords(path: path ?? (FileManager.default.fileExists(atPath: defaultStopWords)
                                                    ? defaultStopWords : BundledFiles.path(defaultStopWords)))
    }

    /// `--stem LANGUAGE` (english, spanish, ...), or none.
    static func stemmer(_ language: String?, command: String) throws -> Stemmer? {
        guard let language else { return nil }
        guard let s = Stemmer(language: language.lowercased()) else {
            throw ConsoleError.usage(command: command, message: "no Snowball stemmer for \"\(language)\" (try english, spanish, italian, portuguese, greek, dutch)")
        }
        return s
    }

    static let words = Command(WordsCommand.self)

    struct WordsCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "words", abstract: "word and phrase frequencies per group",
            usage: "words [Q] [by group] [--ngram N] [--top K] [--stopwords FILE] [--stem LANGUAGE]",
            discussion: "Word (or, with --ngram 2 or 3, phrase) frequencies in the answers to Q, overall and per group, after removing the stop words of FILE (default: the bundled English list, questionnaires/stopwords/en.txt). --stem english counts Snowball stems (validate, validated, validation → valid).")
        static let completes: Command.Completion = .questions
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("ngram")) var ngram: Int?
        @Option(name: .customLong("top")) var topOption: Int?
        @Option(name: .customLong("stopwords"), completion: .file()) var stopwords: String?
        @Option(name: .customLong("stem")) var stemOption: String?

        func run(in session: Session) throws -> CommandOutput {
            let (qName, by) = try optionalQuestionAndBy(positional, command: "words")
            let q = try session.openQuestion(qName)
            let n = ngram ?? 1
            guard (1...3).contains(n) else { throw ConsoleError.usage(command: "words", message: "--ngram takes 1, 2 or 3") }
            let top = topOption ?? 20
            let stop = try stopWords(stopwords)
            let stemmer = try ReviewCommands.stemmer(stemOption, command: "words")
            let answers = try session.answerSet()
            let grouping = try session.grouping(by)
            let all = TextStatistics.frequencies(answers.answers(to: q).map(\.text), n: n, stopWords: stop, stemmer: stemmer)
            let groupOf = grouping.groupOf
            let perGroup = grouping.levels.map { l in
                Dictionary(uniqueKeysWithValues: TextStatistics.frequencies(answers.answers(to: q).filter { groupOf[$0.respondent] == l }.map(\.text), n: n, stopWords: stop, stemmer: stemmer).map { ($0.term, $0.count) })
            }
            let rows = all.prefix(top).map { t in [t.term, String(t.count)] + perGroup.map { String($0[t.term] ?? 0) } }
            var doc = Document()
            doc.table(Table(columns: [n == 1 ? "word" : "\(n)-gram", "all"] + grouping.levels, rows: Array(rows)))
            return CommandOutput(document: doc, json: .array(all.prefix(top).map { t in
                .object([("term", .string(t.term)), ("count", .int(t.count)),
                         ("by_group", .object(zip(grouping.levels, perGroup).map { ($0, .int($1[t.term] ?? 0)) }))])
            }))
        }
    }

    static let wordcloud = Command(WordcloudCommand.self)

    struct WordcloudCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "wordcloud", abstract: "word cloud as SVG",
            usage: "wordcloud [Q] --out FILE.svg [--seed S] [--ngram N] [--group G] [--stopwords FILE] [--stem LANGUAGE]",
            discussion: "Writes a word cloud of the answers to Q (or one group's, --group) as SVG. The layout is deterministic for a given --seed (default 1).")
        static let completes: Command.Completion = .questions
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("out"), completion: .file()) var outOption: String?
        @Option(name: .customLong("seed")) var seed: Int?
        @Option(name: .customLong("ngram")) var ngram: Int?
        @Option(name: .customLong("group")) var group: String?
        @Option(name: .customLong("stopwords"), completion: .file()) var stopwords: String?
        @Option(name: .customLong("stem")) var stem: String?

        func run(in session: Session) throws -> CommandOutput {
            guard outOption != nil || session.showsFigures else { throw ConsoleError.usage(command: "wordcloud", message: "--out FILE.svg is required") }
            let q = try session.openQuestion(positional.first)
            let n = ngram ?? 1
            guard (1...3).contains(n) else { throw ConsoleError.usage(command: "wordcloud", message: "--ngram takes 1, 2 or 3") }
            let answers = try session.answerSet()
            var texts = answers.answers(to: q)
            if let g = group {
                let grouping = try session.grouping(nil)
                guard grouping.levels.contains(g) else {
                    throw ConsoleError.usage(command: "wordcloud", message: "no group \(g)\(ErrorMessages.didYouMean(Suggest.nearest(g, in: grouping.levels)))")
                }
                let groupOf = grouping.groupOf
                texts = texts.filter { groupOf[$0.respondent] == g }
            }
            let freq = TextStatistics.frequencies(texts.map(\.text), n: n, stopWords: try stopWords(stopwords), stemmer: try stemmer(stem, command: "wordcloud"))
            let cloud = WordCloud(words: freq, seed: UInt64(seed ?? 1),
                                  title: "\(q)\(group.map { " — \($0)" } ?? "") (n = \(texts.count) answers)")
            if let out = outOption {
                try FileOutput.write(cloud.svg, to: out)
                session.rememberFigure(cloud.svg, at: out)
            }
            var doc = Document([.paragraph("\(outOption.map { "wrote \($0): " } ?? "")\(cloud.placed.count) words")])
            if cloud.leftOut > 0 { doc.note("\(cloud.leftOut) less frequent words did not fit and were left out") }
            var output = CommandOutput(document: doc, json: .object([("out", outOption.map { .string($0) } ?? .null), ("words", .int(cloud.placed.count)), ("left_out", .int(cloud.leftOut))]))
            output.figure = outOption
            output.drawn = cloud.svg
            return output
        }
    }

    static let agreement = Command(AgreementCommand.self)

    struct AgreementCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "agreement", abstract: "inter-coder agreement: Cohen's kappa, Krippendorff's alpha",
            usage: "agreement [Q] [--coders A,B]",
            discussion: "Agreement between coders on the answers to Q. When every coder gave at most one code per answer: Krippendorff's alpha (nominal) over the codes, with Cohen's kappa (two coders) or Fleiss' kappa (three or more, over the answers all coded). With several codes per answer: Krippendorff's alpha with the MASI distance between the coders' sets of codes. Always: per code, Cohen's kappa and Krippendorff's alpha on present/absent per answer and the share of answers where they agree, and both over all (answer, code) units. An answer a coder gave no code counts as not coded by them (missing). --coders picks who to compare.")
        static let completes: Command.Completion = .questions
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("coders")) var coders: String?

        func run(in session: Session) throws -> CommandOutput {
            let q = try session.openQuestion(positional.first)
            let answers = try session.answerSet()
            let list = session.coding.project.codings.filter { $0.question == q }
            let wanted = coders.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            let codes = session.coding.project.codebook.tree.map(\.code).filter { c in c.codable && list.contains { $0.code == c.id } }.map(\.id)
            let a = try Agreement(codings: list, units: answers.answers(to: q).map { ($0.respondent, q) }, codes: codes, coders: wanted)
            var doc = Document()
            doc.heading("Agreement on \(q) between \(a.coders.joined(separator: ", ")) (\(a.units) answers)")
            if let n = a.nominal {
                // One code per answer: agreement on which code, as content analysts report it.
                doc.paragraph("which code (each coder gave one code per answer): Krippendorff's alpha (nominal) = \(Formatting.stat(n.alpha))"
                              + (a.coders.count == 2 ? ", Cohen's kappa = \(Formatting.stat(n.cohen))" : ", Fleiss' kappa = \(Formatting.stat(n.fleiss)) over the \(n.complete) answers every coder coded"))
            } else {
                doc.paragraph("which codes (coders gave several codes to some answers): Krippendorff's alpha with the MASI distance between the sets = \(Formatting.stat(a.masiAlpha)); per code below")
            }
            doc.paragraph("per (answer, code), present or absent: Cohen's kappa = \(Formatting.stat(a.kappa)), Krippendorff's alpha = \(Formatting.stat(a.alpha))")
            doc.table(Table(columns: ["code", "kappa", "alpha", "agreement", "answers"],
                            rows: a.perCode.map { [$0.code, Formatting.stat($0.kappa), Formatting.stat($0.alpha), $0.agreement.map { Formatting.percent(100 * $0) } ?? "NA", String($0.units)] }))
            if a.perCode.contains(where: { $0.kappa == nil || $0.alpha == nil }) || a.kappa == nil {
                doc.note("NA: undefined (one value throughout, so chance agreement is 1; or kappa with more than two coders)")
            }
            let json: JSONValue = .object([
                ("question", .string(q)), ("coders", .strings(a.coders)), ("answers", .int(a.units)),
                ("kappa", .double(a.kappa)), ("alpha", .double(a.alpha)),
                ("one_code_per_answer", .bool(a.oneCodePerAnswer)), ("masi_alpha", .double(a.masiAlpha)),
                ("nominal", a.nominal.map { n in .object([("alpha", .double(n.alpha)), ("cohen_kappa", .double(n.cohen)), ("fleiss_kappa", .double(n.fleiss)),
                                                          ("complete_answers", .int(n.complete))]) } ?? .null),
                ("per_code", .array(a.perCode.map { .object([("code", .string($0.code)), ("kappa", .double($0.kappa)), ("alpha", .double($0.alpha)),
                                                             ("agreement", .double($0.agreement)), ("answers", .int($0.units))]) })),
            ])
            return CommandOutput(document: doc, json: json)
        }
    }
}

/// Writing a file a command produced: to a temporary file beside it, then renamed into place, so a failure never
/// leaves half a file.
enum FileOutput {
    static func write(_ text: String, to path: String) throws {
        try stream(to: path) { emit in try emit(Array(text.utf8)) }
    }

    /// Writes a file piece by piece through `produce` (a 1 MB buffer between it and the disk) into a temporary
    /// file beside the target, renamed into place at the end, so a failed or interrupted write leaves the old file.
    static func stream(to path: String, _ produce: (_ emit: (_ bytes: [UInt8]) throws -> Void) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        // A name nobody could plant a link under beforehand (see SiblingFile).
        var tmp = URL(fileURLWithPath: "/nonexistent")
        func failure(_ reason: String) -> ConsoleError { .usage(command: "write", message: "cannot write \(path): \(reason)") }
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard let (fd, made) = SiblingFile.make(beside: path) else { throw failure(String(cString: strerror(errno))) }
            tmp = URL(fileURLWithPath: made)
            guard let file = fdopen(fd, "wb") else { close(fd); throw failure(String(cString: strerror(errno))) }
            var closed = false
            defer { if !closed { fclose(file) } }
            var buffer: [UInt8] = []
            buffer.reserveCapacity(1 << 20)
            func flush() throws {
                guard !buffer.isEmpty else { return }
                guard fwrite(buffer, 1, buffer.count, file) == buffer.count else { throw failure(String(cString: strerror(errno))) }
                buffer.removeAll(keepingCapacity: true)
            }
            try produce { bytes in
                // Large pieces go straight to the file rather than through the buffer.
                if bytes.count >= 1 << 20 {
                    try flush()
                    guard fwrite(bytes, 1, bytes.count, file) == bytes.count else { throw failure(String(cString: strerror(errno))) }
                    return
                }
                buffer.append(contentsOf: bytes)
                if buffer.count >= 1 << 20 { try flush() }
            }
            try flush()
            closed = true
            guard fclose(file) == 0 else { throw failure(String(cString: strerror(errno))) }
            // rename(2) replaces the target atomically; Foundation's replaceItemAt fails on Linux when it exists.
            guard rename(tmp.path, url.path) == 0 else { throw failure(String(cString: strerror(errno))) }
        } catch let error as ConsoleError {
            try? FileManager.default.removeItem(at: tmp)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw failure((error as NSError).localizedDescription)
        }
    }
}
