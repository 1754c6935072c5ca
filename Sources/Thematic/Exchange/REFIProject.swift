import Foundation
import ZIPFoundation

/// REFI-QDA 1.5 projects (`.qdpx`): a zip with `project.qde` and a `sources/` folder. Each answer is a
/// `TextSource` (its text in `sources/GUID.txt`), each coding a `PlainTextSelection` in Unicode-scalar positions
/// with a `Coding`/`CodeRef` made by the coder's `User`; a whole-answer coding spans the whole text. Respondents
/// are `Case`s carrying their variables (group, roles) as `VariableValue`s.
public enum REFIProject {
    /// Case variables per respondent, in order (e.g. group, roles).
    public typealias CaseVariables = [String: [(name: String, value: String)]]

    public static func export(to path: String, name: String, project: CodingProject, answers: AnswerSet, questions: [String],
                              variables: CaseVariables) throws {
        let sources = answers.respondentOrder.flatMap { r in questions.compactMap { q in answers.text(r, q).map { (r, q, $0) } } }
        let coders = project.coders
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        xml += "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"\(XMLText.escape(name))\" origin=\"trustgap\">\n"
        if !coders.isEmpty {
            xml += "  <Users>\n" + coders.map { "    <User guid=\"\(user($0))\" name=\"\(XMLText.escape($0))\"/>\n" }.joined() + "  </Users>\n"
        }
        if !project.codebook.codes.isEmpty {
            xml += "  <CodeBook>\n" + REFICodebook.codes(project.codebook, indent: "    ") + "  </CodeBook>\n"
        }
        let variableNames = Array(Set(variables.values.flatMap { $0.map(\.name) })).sorted()
        if !variableNames.isEmpty {
            xml += "  <Variables>\n" + variableNames.map {
                "    <Variable guid=\"\(StableGUID.make("variable:" + $0))\" name=\"\(XMLText.escape($0))\" typeOfVariable=\"Text\"/>\n"
            }.joined() + "  </Variables>\n"
        }
        let cases = answers.respondentOrder.filter { r in sources.contains { $0.0 == r } }
        if !cases.isEmpty {
            xml += "  <Cases>\n"
            for r in cases {
                xml += "    <Case guid=\"\(StableGUID.make("case:" + r))\" name=\"\(XMLText.escape(r))\">\n"
                for v in variables[r] ?? [] {
                    xml += "      <VariableValue><VariableRef targetGUID=\"\(StableGUID.make("variable:" + v.name))\"/><TextValue>\(XMLText.escape(v.value))</TextValue></VariableValue>\n"
                }
                for (_, q, _) in sources.filter({ $0.0 == r }) { xml += "      <SourceRef targetGUID=\"\(source(r, q))\"/>\n" }
                xml += "    </Case>\n"
            }
            xml += "  </Cases>\n"
        }
        var files: [(String, String)] = []
        if !sources.isEmpty {
            xml += "  <Sources>\n"
            for (r, q, text) in sources {
                let guid = source(r, q)
                files.append(("sources/\(guid).txt", text))
                xml += "    <TextSource guid=\"\(guid)\" name=\"\(XMLText.escape("\(r) \(q)"))\" plainTextPath=\"internal://\(guid).txt\">\n"
                let length = text.unicodeScalars.count
                for (k, c) in project.codings.filter({ $0.respondent == r && $0.question == q }).enumerated() {
                    let start = c.start ?? 0, end = c.end ?? length
                    let sel = StableGUID.make("selection:\(r)|\(q)|\(c.code)|\(c.coder)|\(start)|\(end)|\(k)")
                    xml += "      <PlainTextSelection guid=\"\(sel)\" startPosition=\"\(start)\" endPosition=\"\(end)\" creatingUser=\"\(user(c.coder))\">\n"
                    xml += "        <Coding guid=\"\(StableGUID.make("coding:" + sel))\" creatingUser=\"\(user(c.coder))\"><CodeRef targetGUID=\"\(REFICodebook.guid(of: c.code))\"/></Coding>\n"
                    xml += "      </PlainTextSelection>\n"
                }
                xml += "    </TextSource>\n"
            }
            xml += "  </Sources>\n"
        }
        xml += "</Project>\n"
        // Write the zip beside the target and move it into place, so a failed export never leaves half a file.
        let target = URL(fileURLWithPath: path)
        let tmp = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).tmp-\(getpid())")
        try? FileManager.default.removeItem(at: tmp)
        do {
            let archive = try Archive(url: tmp, accessMode: .create)
            for (entry, text) in [("project.qde", xml)] + files {
                let data = Data(text.utf8)
                try archive.addEntry(with: entry, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            // rename(2) replaces an existing file atomically: the old project stays until the new one is complete.
            guard rename(tmp.path, target.path) == 0 else { throw ThematicError.file(path: path, line: 0, column: 0, message: String(cString: strerror(errno))) }
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw ThematicError.file(path: path, line: 0, column: 0, message: "cannot write the project: \((error as NSError).localizedDescription)")
        }
    }

    static func user(_ name: String) -> String { StableGUID.make("user:" + name) }
    static func source(_ r: String, _ q: String) -> String { StableGUID.make("source:\(r)|\(q)") }

    /// What a `.qdpx` holds, mapped onto the loaded answers.
    public struct Imported {
        public var codebook: Codebook
        public var codings: [Coding]
        public var name: String
    }

    /// Reads a `.qdpx`. Each text source is matched to an answer by its name ("R012 Q35") or, failing that, by its
    /// text; a source that matches no answer, a selection outside its text, or a code reference to no code is an
    /// error naming the line of project.qde.
    /// The largest entry read from an archive unless raised (`import project … --max-entry-mb`), and the largest
    /// compression ratio of an entry over 1 MB: a 1 MB .qdpx once expanded to 5.2 GB in memory.
    public static let defaultMaxEntryBytes = 512 << 20
    public static let maxCompressionRatio = 200

    public static func load(path: String, answers: AnswerSet, maxEntryBytes: Int = defaultMaxEntryBytes) throws -> Imported {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw ThematicError.file(path: path, line: 0, column: 0, message: "not a readable zip (.qdpx) file")
        }
        func read(_ entryPath: String) throws -> Data? {
            guard let entry = archive[entryPath] else { return nil }
            let where_ = "\(path)!\(entryPath)"
            let declared = entry.uncompressedSize, packed = max(1, entry.compressedSize)
            if declared > UInt64(maxEntryBytes) {
                throw ThematicError.file(path: where_, line: 0, column: 0, message: "the entry unpacks to \(declared >> 20) MB, over the budget of \(maxEntryBytes >> 20) MB (import project … --max-entry-mb N raises it)")
            }
            if declared > 1 << 20, declared / packed > UInt64(maxCompressionRatio) {
                throw ThematicError.file(path: where_, line: 0, column: 0, message: "the entry is compressed \(declared / packed):1, more than \(maxCompressionRatio):1 (an archive bomb, or not a REFI-QDA project)")
            }
            // The sizes in the archive may lie: the bytes are counted as they come out.
            var data = Data()
            do {
                _ = try archive.extract(entry) { chunk in
                    guard data.count + chunk.count <= maxEntryBytes, data.count + chunk.count <= max(1 << 20, Int(declared)) else {
                        throw ThematicError.file(path: where_, line: 0, column: 0, message: "the entry unpacks to more than its declared size or the budget of \(maxEntryBytes >> 20) MB (import project … --max-entry-mb N raises it)")
                    }
                    data.append(chunk)
                }
            } catch let e as ThematicError {
                throw e
            } catch {
                throw ThematicError.file(path: where_, line: 0, column: 0, message: "cannot unpack the entry: \(error)")
            }
            return data
        }
        guard let qde = try read("project.qde") else {
            throw ThematicError.file(path: path, line: 0, column: 0, message: "the archive has no project.qde")
        }
        let qdePath = "\(path)!project.qde"
        let root = try XMLNode.parse(qde, path: qdePath)
        guard root.name == "Project" else {
            throw ThematicError.file(path: qdePath, line: root.line, column: 0, message: "expected a <Project> root element, found <\(root.name)>")
        }
        var book = Codebook(), guids: [String: String] = [:]
        if let cb = root.child("CodeBook") { (book, guids) = try REFICodebook.read(cb, path: qdePath) }
        var users: [String: String] = [:]
        for u in root.child("Users")?.all("User") ?? [] { if let g = u.attributes["guid"] { users[g] = u.attributes["name"] ?? g } }
        var codings: [Coding] = []
        for s in root.child("Sources")?.all("TextSource") ?? [] {
            var text = s.child("PlainTextContent")?.text
            if text == nil, let p = s.attributes["plainTextPath"] {
                let file = p.hasPrefix("internal://") ? "sources/" + p.dropFirst("internal://".count) : p
                text = try read(file).flatMap { String(data: $0, encoding: .utf8) }
            }
            guard let body = text else {
                throw ThematicError.file(path: qdePath, line: s.line, column: 0, message: "text source \(s.attributes["name"] ?? "?") has no text")
            }
            let parts = (s.attributes["name"] ?? "").split(separator: " ").map(String.init)
            var target: (String, String)?
            if parts.count == 2, answers.text(parts[0], parts[1]) != nil { target = (parts[0], parts[1]) }
            if target == nil {
                let hits = answers.texts.flatMap { r, qs in qs.filter { $0.value == body }.map { (r, $0.key) } }
                if hits.count == 1 { target = hits[0] }
            }
            guard let (respondent, question) = target else {
                throw ThematicError.file(path: qdePath, line: s.line, column: 0,
                                         message: "text source \"\(s.attributes["name"] ?? "?")\" matches no answer of the loaded survey")
            }
            if let loaded = answers.text(respondent, question), loaded != body {
                throw ThematicError.file(path: qdePath, line: s.line, column: 0,
                                         message: "the text of source \"\(s.attributes["name"] ?? "?")\" differs from \(respondent)'s answer to \(question) in the loaded survey, so its selections cannot be placed")
            }
            let length = body.unicodeScalars.count
            for sel in s.all("PlainTextSelection") {
                guard let start = sel.attributes["startPosition"].flatMap(Int.init), let end = sel.attributes["endPosition"].flatMap(Int.init),
                      start >= 0, start < end, end <= length else {
                    throw ThematicError.file(path: qdePath, line: sel.line, column: 0,
                                             message: "selection \(sel.attributes["startPosition"] ?? "?")-\(sel.attributes["endPosition"] ?? "?") is outside its text (\(length) characters)")
                }
                for coding in sel.all("Coding") {
                    guard let ref = coding.child("CodeRef")?.attributes["targetGUID"], let code = guids[ref] else {
                        throw ThematicError.file(path: qdePath, line: coding.line, column: 0, message: "a coding refers to no code of the codebook")
                    }
                    let coder = (coding.attributes["creatingUser"] ?? sel.attributes["creatingUser"]).map { users[$0] ?? $0 } ?? "imported"
                    let whole = start == 0 && end == length
                    codings.append(Coding(respondent: respondent, question: question, code: code, coder: coder,
                                          start: whole ? nil : start, end: whole ? nil : end))
                }
            }
        }
        return Imported(codebook: book, codings: codings, name: root.attributes["name"] ?? path)
    }
}
