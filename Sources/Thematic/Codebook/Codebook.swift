/// A code of the codebook. Themes are codes that are not themselves codable and group others as their parent.
public struct Code: Sendable, Equatable {
    public var id: String
    public var name: String
    public var definition: String
    public var include: String
    public var exclude: String
    public var example: String
    /// `#RRGGBB`.
    public var colour: String
    public var parent: String?
    public var codable: Bool
    public var memo: String

    public init(id: String, name: String? = nil, definition: String = "", include: String = "", exclude: String = "",
                example: String = "", colour: String = "#888888", parent: String? = nil, codable: Bool = true, memo: String = "") {
        self.id = id
        self.name = name ?? id
        self.definition = definition
        self.include = include
        self.exclude = exclude
        self.example = example
        self.colour = colour
        self.parent = parent
        self.codable = codable
        self.memo = memo
    }
}

/// The codes in the order they were defined, with the hierarchy given by `parent`.
public struct Codebook: Sendable, Equatable {
    public private(set) var codes: [Code] = []
    /// Each code's place in `codes`, by id: looking codes up by walking the list made adding 60,000 codes take 54 s.
    private var position: [String: Int] = [:]
    /// Each parent's children's ids in codebook order (nil: the top level), kept as codes are added: building it
    /// for every `subtree` made listing 60,000 codes quadratic.
    private var childIDs: [String?: [String]] = [:]

    public init() {}

    public init(_ codes: [Code]) throws {
        for c in codes { try add(c) }
    }

    public func code(_ id: String) -> Code? { position[id].map { codes[$0] } }

    private mutating func reindex() {
        position = [:]
        childIDs = [:]
        for (k, c) in codes.enumerated() {
            position[c.id] = k
            childIDs[c.parent, default: []].append(c.id)
        }
    }

    public func require(_ id: String) throws -> Code {
        guard let c = code(id) else { throw ThematicError.unknownCode(id, suggestion: nearest(id)) }
        return c
    }

    func nearest(_ id: String) -> String? {
        // Prefer a code whose last segment matches ("drift" → "capability.concept_drift").
        if let hit = codes.first(where: { $0.id.split(separator: ".").last.map(String.init) == id }) { return hit.id }
        return Self.closest(id, codes.map(\.id))
    }

    /// The nearest candidate within max(2, a third of the word) edits. A word over 256 bytes gets none, and each
    /// distance is computed once, for candidates whose length is close enough: a 2 MB unknown code name once took 73 s.
    static func closest(_ word: String, _ candidates: [String]) -> String? {
        guard word.utf8.count <= 256 else { return nil }
        let length = word.count, limit = max(2, length / 3)
        var best: (String, Int)?
        for c in candidates where c.utf8.count <= 256 && abs(c.count - length) <= limit {
            let d = editDistance(word, c)
            if d <= limit, d < best?.1 ?? .max { best = (c, d) }
        }
        return best?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased()), y = Array(b.lowercased())
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var prev = Array(0...y.count)
        for i in 1...x.count {
            var cur = [i] + Array(repeating: 0, count: y.count)
            for j in 1...y.count { cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)) }
            prev = cur
        }
        return prev[y.count]
    }

    /// "#RRGGBB", the only colour form a codebook keeps: colours go into XML attributes and SVG on export.
    public static func isColour(_ s: String) -> Bool {
        s.utf8.count == 7 && s.utf8.first == UInt8(ascii: "#") && s.utf8.dropFirst().allSatisfy { (48...57).contains($0) || (65...70).contains($0) || (97...102).contains($0) }
    }

    public mutating func add(_ c: Code) throws {
        guard code(c.id) == nil else { throw ThematicError.duplicateCode(c.id) }
        guard Self.isColour(c.colour) else { throw ThematicError.invalidColour(code: c.id, colour: c.colour) }
        if let p = c.parent { _ = try require(p) }
        position[c.id] = codes.count
        childIDs[c.parent, default: []].append(c.id)
        codes.append(c)
    }

    /// Replaces a code's descriptive fields (not its id or parent).
    public mutating func update(_ c: Code) throws {
        guard Self.isColour(c.colour) else { throw ThematicError.invalidColour(code: c.id, colour: c.colour) }
        guard let i = position[c.id] else { throw ThematicError.unknownCode(c.id, suggestion: nearest(c.id)) }
        var updated = c
        updated.parent = codes[i].parent
        codes[i] = updated
    }

    /// Gives a code a new id; children follow. Codings are renamed by `CodingProject`.
    public mutating func rename(_ id: String, to newID: String) throws {
        _ = try require(id)
        guard code(newID) == nil else { throw ThematicError.duplicateCode(newID) }
        for i in codes.indices {
            if codes[i].id == id { codes[i].id = newID; if codes[i].name == id { codes[i].name = newID } }
            if codes[i].parent == id { codes[i].parent = newID }
        }
        reindex()
    }

    /// Removes `id`; its children move to `into`.
    public mutating func remove(_ id: String, childrenTo into: String?) throws {
        _ = try require(id)
        for i in codes.indices where codes[i].parent == id { codes[i].parent = into }
        codes.removeAll { $0.id == id }
        reindex()
    }

    public mutating func move(_ id: String, to parent: String?) throws {
        _ = try require(id)
        if let p = parent {
            _ = try require(p)
            var cursor: String? = p
            while let c = cursor {
                if c == id { throw ThematicError.cycle(code: id, parent: p) }
                cursor = code(c)?.parent
            }
        }
        if let i = position[id] { codes[i].parent = parent }
        reindex()
    }

    public func children(of id: String?) -> [Code] { codes.filter { $0.parent == id } }

    /// The top-level ancestor (the theme) of a code.
    public func theme(of id: String) -> String {
        var current = id
        while let p = code(current)?.parent { current = p }
        return current
    }

    /// "theme / parent / code".
    public func path(of id: String) -> String {
        var parts = [id]
        var current = id
        while let p = code(current)?.parent { parts.insert(p, at: 0); current = p }
        return parts.joined(separator: " / ")
    }

    /// Each parent's children in codebook order (nil: the top level).
    private var childrenByParent: [String?: [Code]] {
        childIDs.mapValues { ids in ids.compactMap { code($0) } }
    }

    /// Codes in tree order (depth-first) with their depth. Walked with an explicit stack: a codebook from someone
    /// else may nest 10,000 levels deep, which recursion turned into a crash.
    public var tree: [(code: Code, depth: Int)] {
        let children = childrenByParent
        var out: [(Code, Int)] = []
        var stack: [(Code, Int)] = (children[nil] ?? []).reversed().map { ($0, 0) }
        var seen: Set<String> = []
        while let (code, depth) = stack.popLast() {
            guard seen.insert(code.id).inserted else { continue }
            out.append((code, depth))
            stack += (children[code.id] ?? []).reversed().map { ($0, depth + 1) }
        }
        return out
    }

    /// The code and all its descendants (iteratively, as `tree`).
    public func subtree(_ id: String) -> Set<String> {
        var out: Set<String> = [id]
        var stack = [id]
        while let next = stack.popLast() {
            for c in childIDs[next] ?? [] where out.insert(c).inserted { stack.append(c) }
        }
        return out
    }
}
