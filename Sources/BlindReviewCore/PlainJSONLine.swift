import Foundation

/// Reads one JSONL line by hand when it holds only what model and pair files usually do: an object whose values
/// are strings, `null`, and lists and objects of those, nested at most ``maximumDepth`` deep. It gives the same
/// `[String: Any]` `JSONSerialization` gives (Swift `String`s, `[Any]`, `[String: Any]`, `NSNull`), several
/// times faster on the 10,000-prompt files `create` reads.
///
/// Anything it does not read exactly as `JSONSerialization` does gives nil, and the caller reads the line with
/// `JSONSerialization` as before, so every error, warning and odd but valid line reads as it always did: a
/// number or `true`/`false` anywhere, a repeated key, a lone surrogate escape (`\ud800`), an unknown escape, a
/// raw control character, invalid UTF-8, a byte order mark before the object or at the start of a string or just
/// after an escape in one (where `JSONSerialization` drops it), a trailing comma (which it accepts), anything
/// else before or after the object, or deeper nesting.
///
///     PlainJSONLine.object(Data(#"{"id":"q1","prompt":"Hi","response":"Hello\n"}"#.utf8))
///     // ["id": "q1", "prompt": "Hi", "response": "Hello\n"]
///     PlainJSONLine.object(Data(#"{"question_id":81}"#.utf8))   // nil: a number, left to JSONSerialization
///
/// - Complexity: O(n) in the line's bytes.
public enum PlainJSONLine {
    /// Lists and objects nested deeper than this are left to `JSONSerialization`.
    public static let maximumDepth = 32

    public static func object(_ line: Data) -> [String: Any]? {
        line.withUnsafeBytes { raw -> [String: Any]? in
            var reader = Reader(bytes: raw.bindMemory(to: UInt8.self))
            reader.skipSpace()
            guard let object = reader.object(depth: 1) else { return nil }
            reader.skipSpace()
            return reader.at == reader.bytes.count ? object : nil
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0
        /// Bytes of a string with escapes, reused from one such string to the next.
        var scratch: [UInt8] = []

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        /// JSON's white space: space, tab, line feed, carriage return.
        mutating func skipSpace() {
            while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x09 || bytes[at] == 0x0A || bytes[at] == 0x0D { at += 1 }
        }

        /// Takes `byte` after white space; false (moving nothing but the white space) when another byte is next.
        mutating func take(_ byte: UInt8) -> Bool {
            skipSpace()
            guard at < bytes.count, bytes[at] == byte else { return false }
            at += 1
            return true
        }

        /// One value; nil when it is of a kind this reader leaves to `JSONSerialization` (or malformed).
        mutating func value(depth: Int) -> Any? {
            skipSpace()
            guard at < bytes.count else { return nil }
            switch bytes[at] {
            case 0x22: return string()
            case UInt8(ascii: "{"): return object(depth: depth + 1)
            case UInt8(ascii: "["): return array(depth: depth + 1)
            case UInt8(ascii: "n"):
                guard at + 4 <= bytes.count, bytes[at + 1] == UInt8(ascii: "u"), bytes[at + 2] == UInt8(ascii: "l"),
                      bytes[at + 3] == UInt8(ascii: "l") else { return nil }
                at += 4
                return NSNull()
            default: return nil  // numbers, true, false, and anything malformed
            }
        }

        /// `{ "key": value, ... }` with no key twice.
        mutating func object(depth: Int) -> [String: Any]? {
            guard depth <= PlainJSONLine.maximumDepth, take(UInt8(ascii: "{")) else { return nil }
            var object: [String: Any] = [:]
            if take(UInt8(ascii: "}")) { return object }
            repeat {
                skipSpace()
                guard at < bytes.count, bytes[at] == 0x22, let key = string(), object[key] == nil,
                      take(UInt8(ascii: ":")), let value = value(depth: depth) else { return nil }
                object[key] = value
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "}")) ? object : nil
        }

        /// `[ value, ... ]`.
        mutating func array(depth: Int) -> [Any]? {
            guard depth <= PlainJSONLine.maximumDepth, take(UInt8(ascii: "[")) else { return nil }
            var list: [Any] = []
            if take(UInt8(ascii: "]")) { return list }
            repeat {
                guard let value = value(depth: depth) else { return nil }
                list.append(value)
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "]")) ? list : nil
        }

        /// A string starting at the opening quote. Runs without escapes are copied whole; the escapes JSON
        /// defines are decoded, a surrogate pair included; a lone surrogate, another escape, a raw control
        /// character or invalid UTF-8 gives nil.
        mutating func string() -> String? {
            at += 1  // the opening quote
            var start = at
            var escaped = false
            while true {
                // The run up to the next quote, backslash or control character.
                at = JSONStringRun.end(in: bytes, from: at)
                guard at < bytes.count, bytes[at] >= 0x20 else { return nil }
                // JSONSerialization drops a byte order mark (U+FEFF) that begins a run (the string's start, or
                // just after an escape): such a string is left to it.
                if at - start >= 3, bytes[start] == 0xEF, bytes[start + 1] == 0xBB, bytes[start + 2] == 0xBF { return nil }
                if bytes[at] == 0x22 {
                    let run = UnsafeBufferPointer(rebasing: bytes[start..<at])
                    at += 1
                    guard escaped else { return String(validating: run, as: UTF8.self) }
                    scratch.append(contentsOf: run)
                    return String(validating: scratch, as: UTF8.self)
                }
                // A backslash.
                if !escaped {
                    escaped = true
                    scratch.removeAll(keepingCapacity: true)
                }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<at]))
                guard at + 1 < bytes.count else { return nil }
                let kind = bytes[at + 1]
                at += 2
                switch kind {
                case 0x22, 0x5C, 0x2F: scratch.append(kind)  // \" \\ \/
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"):
                    guard let unit = hex4() else { return nil }
                    var value = unit
                    if (0xD800...0xDBFF).contains(unit) {
                        guard at + 1 < bytes.count, bytes[at] == 0x5C, bytes[at + 1] == UInt8(ascii: "u") else { return nil }
                        at += 2
                        guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                        value = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(unit) {
                        return nil
                    }
                    guard let scalar = Unicode.Scalar(value) else { return nil }
                    scratch.append(contentsOf: UTF8.encode(scalar)!)
                default: return nil
                }
                start = at
            }
        }

        /// Four hex digits (either case) of a `\u` escape.
        mutating func hex4() -> UInt32? {
            guard at + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[at]
                let digit: UInt8
                switch byte {
                case 0x30...0x39: digit = byte - 0x30
                case 0x41...0x46: digit = byte - 0x37
                case 0x61...0x66: digit = byte - 0x57
                default: return nil
                }
                value = value << 4 | UInt32(digit)
                at += 1
            }
            return value
        }
    }
}
