/// Encodes a domain module's `Encodable` result straight into a `JSONValue`, keeping the order in which its
/// `encode(to:)` writes the keys (so the JSON and the tidy CSV columns read in the result's own order), writing a
/// missing optional as `null` rather than leaving the key out (every row of a table has the same columns), and a
/// non-finite number as `null` (JSON has no NaN).
///
/// Foundation's `JSONEncoder` would do the encoding, but a round trip through `JSONSerialization` loses the key order.
public enum JSONValueEncoder {
    public static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let root = Node()
        try root.encode(value, path: [])
        return root.json
    }

    /// One value being written: a plain value, an object whose fields are written in order, or an array.
    final class Node {
        enum Content { case value(JSONValue), object([(String, Node)]), array([Node]) }
        var content: Content = .value(.null)

        var json: JSONValue {
            switch content {
            case .value(let v): return v
            case .object(let fields): return .object(fields.map { ($0.0, $0.1.json) })
            case .array(let items): return .array(items.map(\.json))
            }
        }

        func encode<T: Encodable>(_ value: T, path: [any CodingKey]) throws {
            switch value {
            case let v as String: content = .value(.string(v))
            case let v as Bool: content = .value(.bool(v))
            case let v as Int: content = .value(.int(v))
            case let v as Double: content = .value(.double(v))
            case let v as Float: content = .value(.double(Double(v)))
            // Every other integer and floating-point type: written as the number, never handed back to its own
            // `encode(to:)`, which would ask for a single-value container and come back here.
            case let v as any BinaryInteger: content = .value(Int(exactly: v).map(JSONValue.int) ?? .double(Double(v)))
            case let v as any BinaryFloatingPoint: content = .value(.double(Double(v)))
            default: try value.encode(to: NodeEncoder(node: self, codingPath: path))
            }
        }

        func field(_ key: String) -> Node {
            let child = Node()
            if case .object(var fields) = content {
                fields.removeAll { $0.0 == key }
                fields.append((key, child))
                content = .object(fields)
            } else {
                content = .object([(key, child)])
            }
            return child
        }

        func appended() -> Node {
            let child = Node()
            if case .array(var items) = content { items.append(child); content = .array(items) } else { content = .array([child]) }
            return child
        }
    }

    struct NodeEncoder: Encoder {
        let node: Node
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if case .object = node.content {} else { node.content = .object([]) }
            return KeyedEncodingContainer(Keyed<Key>(node: node, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if case .array = node.content {} else { node.content = .array([]) }
            return Unkeyed(node: node, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(node: node, codingPath: codingPath) }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws { node.field(key.stringValue).content = .value(.null) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try node.field(key.stringValue).encode(value, path: codingPath + [key])
        }
        // A missing optional is written as null, not left out (the synthesised conformance calls these).
        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try encodeIfPresent(value as (any Encodable)?, key) }
        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try encodeIfPresent(value as (any Encodable)?, key) }
        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try encodeIfPresent(value as (any Encodable)?, key) }
        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try encodeIfPresent(value as (any Encodable)?, key) }
        mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try encodeIfPresent(value as (any Encodable)?, key) }

        private mutating func encodeIfPresent(_ value: (any Encodable)?, _ key: Key) throws {
            if let value { try node.field(key.stringValue).encode(value, path: codingPath + [key]) } else { try encodeNil(forKey: key) }
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let child = node.field(key.stringValue)
            return NodeEncoder(node: child, codingPath: codingPath + [key]).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            NodeEncoder(node: node.field(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { NodeEncoder(node: node.field("super"), codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { NodeEncoder(node: node.field(key.stringValue), codingPath: codingPath + [key]) }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]
        var count: Int { if case .array(let items) = node.content { return items.count }; return 0 }

        mutating func encodeNil() throws { node.appended().content = .value(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws { try node.appended().encode(value, path: codingPath) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            NodeEncoder(node: node.appended(), codingPath: codingPath).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            NodeEncoder(node: node.appended(), codingPath: codingPath).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { NodeEncoder(node: node.appended(), codingPath: codingPath) }
    }

    struct Single: SingleValueEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { node.content = .value(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws { try node.encode(value, path: codingPath) }
    }
}
