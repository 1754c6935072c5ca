import Yams

/// The length of a YAML document's text once its aliases are expanded. Yams resolves an alias to the node it names
/// without copying it, so reading is cheap, but whatever prints or joins the text pays for every repetition: a 1 MB
/// questionnaire of aliases to a long label once printed 1 GB and took 3.1 GB. A node named by an alias is measured
/// once (nodes are told apart by where they start and their kind), so measuring is linear in the file.
public enum YAMLSize {
    /// The most text a YAML file (questionnaire, profile) may amount to with its aliases expanded.
    public static let budget = 16 << 20

    /// The first node at which the expanded text passes `budget`, or nil when the whole document stays within it.
    public static func firstNodeOverBudget(_ root: Node, budget: Int = budget) -> Node? {
        var sizes: [String: Int] = [:]
        var over: Node?
        func key(_ n: Node, _ kind: String) -> String? { n.mark.map { "\($0.line):\($0.column):\(kind)" } }
        func size(_ n: Node) -> Int {
            guard over == nil else { return budget + 1 }
            switch n {
            case .scalar(let s): return s.string.utf8.count
            case .alias: return 0
            case .sequence(let seq):
                let k = key(n, "s")
                if let k, let known = sizes[k] { return known }
                var total = 0
                for item in seq {
                    total += size(item)
                    if total > budget { over = over ?? item; return total }
                }
                if let k { sizes[k] = total }
                return total
            case .mapping(let map):
                let k = key(n, "m")
                if let k, let known = sizes[k] { return known }
                var total = 0
                for (key, value) in map {
                    total += size(key) + size(value)
                    if total > budget { over = over ?? value; return total }
                }
                if let k { sizes[k] = total }
                return total
            }
        }
        _ = size(root)
        return over
    }
}
