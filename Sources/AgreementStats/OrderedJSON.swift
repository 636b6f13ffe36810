import Foundation

/// A JSON value whose objects keep their key order, for output people read and schemas that promise an order.
///
///     OrderedJSON.object([("a", .number(1)), ("b", .null)]).rendered()   // {"a": 1, "b": null}
public indirect enum OrderedJSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case integer(Int)
    case string(String)
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])

    public static func == (lhs: OrderedJSON, rhs: OrderedJSON) -> Bool {
        lhs.rendered() == rhs.rendered()
    }

    /// A number, or null when absent or not finite.
    public static func number(_ value: Double?) -> OrderedJSON {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }

    public func rendered(indent: Int? = 2) -> String {
        var out = ""
        write(to: &out, indent: indent, depth: 0)
        return out
    }

    private func write(to out: inout String, indent: Int?, depth: Int) {
        let newline = indent == nil ? "" : "\n"
        let pad = { (level: Int) in indent.map { String(repeating: " ", count: $0 * level) } ?? "" }
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .integer(let value): out += String(value)
        case .number(let value):
            if value == value.rounded(), abs(value) < 1e15 { out += String(Int(value)) } else { out += "\(value)" }
        case .string(let value): OrderedJSON.escape(value, into: &out)
        case .array(let values):
            if values.isEmpty { out += "[]"; return }
            let scalar = values.allSatisfy { if case .array = $0 { return false }; if case .object = $0 { return false }; return true }
            if scalar {
                out += "["
                for (i, value) in values.enumerated() {
                    if i > 0 { out += ", " }
                    value.write(to: &out, indent: indent, depth: depth + 1)
                }
                out += "]"
                return
            }
            out += "[" + newline
            for (i, value) in values.enumerated() {
                out += pad(depth + 1)
                value.write(to: &out, indent: indent, depth: depth + 1)
                out += (i < values.count - 1 ? "," : "") + newline
            }
            out += pad(depth) + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{" + newline
            for (i, (key, value)) in members.enumerated() {
                out += pad(depth + 1)
                OrderedJSON.escape(key, into: &out)
                out += indent == nil ? ":" : ": "
                value.write(to: &out, indent: indent, depth: depth + 1)
                out += (i < members.count - 1 ? "," : "") + newline
            }
            out += pad(depth) + "}"
        }
    }

    static func escape(_ text: String, into out: inout String) {
        out += "\""
        // Only ASCII bytes are ever escaped (bytes of multi-byte UTF-8 characters are all above 0x7F), so the
        // text is copied in runs between them rather than scalar by scalar.
        let utf8 = text.utf8
        var run = utf8.startIndex
        var i = run
        while i < utf8.endIndex {
            let byte = utf8[i]
            guard byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F else {
                i = utf8.index(after: i)
                continue
            }
            // Sliced by bytes: a String slice would round to character boundaries (a quote followed by a
            // combining mark is one character).
            out += String(decoding: utf8[run..<i], as: UTF8.self)
            switch byte {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            default: out += String(format: "\\u%04x", UInt32(byte))
            }
            i = utf8.index(after: i)
            run = i
        }
        out += String(decoding: utf8[run..<utf8.endIndex], as: UTF8.self)
        out += "\""
    }
}
