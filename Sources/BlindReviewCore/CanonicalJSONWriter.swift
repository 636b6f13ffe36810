import Foundation

/// Writes JSON by hand, byte for byte what ``CanonicalJSON/encode(_:pretty:)`` (`JSONEncoder` with sorted keys
/// and unescaped slashes, optionally pretty-printed) writes for the same value, several times faster: `create`
/// writes tens of megabytes of pairs, queues and key entries. The caller writes an object's keys in sorted
/// order (byte order, which is the encoder's order for ASCII keys); anything without a hand-written form
/// (a rubric, free-form metadata) goes through ``encodable(_:)``, which asks `JSONEncoder` for those bytes.
/// `CanonicalJSONWriterTests` compares the output with `JSONEncoder`'s on whole studies.
///
///     var writer = CanonicalJSONWriter(pretty: false)
///     writer.beginObject()
///     writer.key("id")
///     writer.string("p1")
///     writer.key("n")
///     writer.int(2)
///     writer.endObject()
///     // {"id":"p1","n":2}
struct CanonicalJSONWriter {
    private(set) var bytes: [UInt8] = []
    let pretty: Bool
    /// One entry per open object or array: whether it has no member yet.
    private var empty: [Bool] = []

    init(pretty: Bool, capacity: Int = 0) {
        self.pretty = pretty
        bytes.reserveCapacity(capacity)
    }

    var data: Data { Data(bytes) }

    private mutating func newline(depth: Int) {
        bytes.append(0x0A)
        for _ in 0..<depth { bytes.append(0x20); bytes.append(0x20) }
    }

    /// Starts a member of the innermost array (a comma after the previous one, a new line when pretty).
    private mutating func member() {
        guard let last = empty.last else { return }
        if !last { bytes.append(UInt8(ascii: ",")) }
        empty[empty.count - 1] = false
        if pretty { newline(depth: empty.count) }
    }

    /// The next key of the innermost object; keys must come in sorted order.
    mutating func key(_ name: String) {
        member()
        quoted(name)
        if pretty {
            bytes.append(contentsOf: [0x20, UInt8(ascii: ":"), 0x20])
        } else {
            bytes.append(UInt8(ascii: ":"))
        }
        afterKey = true
    }

    /// Inside an array, each value starts a member; after a key, the value follows it.
    private var afterKey = false

    private mutating func value() {
        if afterKey { afterKey = false } else { member() }
    }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    private mutating func open(_ bracket: UInt8) {
        value()
        bytes.append(bracket)
        empty.append(true)
    }

    private mutating func close(_ bracket: UInt8) {
        let wasEmpty = empty.removeLast()
        if pretty {
            // JSONEncoder writes an empty container pretty as "[", an empty line, then "]".
            if wasEmpty { bytes.append(0x0A) }
            newline(depth: empty.count)
        }
        bytes.append(bracket)
    }

    /// A string, escaped as `JSONEncoder` escapes it: `"` and `\`, the short forms `\b \f \n \r \t`, other
    /// control characters as `\u00xx`; everything else (DEL, non-ASCII, `/`) as it is.
    mutating func string(_ text: String) {
        value()
        quoted(text)
    }

    private mutating func quoted(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            bytes.append(UInt8(ascii: "\""))
            var runStart = 0
            while true {
                let index = JSONStringRun.end(in: utf8, from: runStart)
                guard index < utf8.count else { break }
                let byte = utf8[index]
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                runStart = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case 0x22: bytes.append(0x22)
                case 0x5C: bytes.append(0x5C)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
            bytes.append(UInt8(ascii: "\""))
        }
    }

    mutating func int<I: BinaryInteger>(_ number: I) {
        value()
        bytes.append(contentsOf: String(number).utf8)
    }

    mutating func bool(_ flag: Bool) {
        value()
        bytes.append(contentsOf: (flag ? "true" : "false").utf8)
    }

    /// Any value, as `JSONEncoder` writes it (indented to the current depth when pretty).
    mutating func encodable<T: Encodable>(_ item: T) {
        value()
        let encoded = CanonicalJSON.encode(item, pretty: pretty)
        guard pretty, !empty.isEmpty else {
            bytes.append(contentsOf: encoded)
            return
        }
        // Strings never hold a raw line break, so each one in the output starts a line to indent.
        for byte in encoded {
            bytes.append(byte)
            if byte == 0x0A { for _ in 0..<empty.count { bytes.append(0x20); bytes.append(0x20) } }
        }
    }

    /// A line break between top-level values (`items.jsonl` holds one per line).
    mutating func newLine() {
        precondition(empty.isEmpty, "a line break inside a value")
        bytes.append(0x0A)
    }

    /// Whether every key can be written by hand: ASCII keys sort in byte order, as the encoder sorts them.
    static func sortable<S: Sequence>(_ keys: S) -> Bool where S.Element == String {
        keys.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } }
    }

    /// Keys in the order the encoder writes them.
    static func sorted<S: Sequence>(_ keys: S) -> [String] where S.Element == String {
        keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
