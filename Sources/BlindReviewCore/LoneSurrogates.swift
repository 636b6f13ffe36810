import Foundation

/// JSON text may escape half of a UTF-16 surrogate pair on its own (`"\ud800"`), which no Swift string can
/// hold. Such an escape is replaced by `\ufffd` (U+FFFD REPLACEMENT CHARACTER) so the line can be read, and the
/// caller warns, naming the pair. Escaped backslashes (`"\\ud800"`) and well-formed pairs
/// (`"\ud83d\ude00"`) are left alone.
///
///     LoneSurrogates.replace(Data(#"{"a":"x\ud800y"}"#.utf8))   // ({"a":"x\ufffdy"}, 1)
///
/// - Complexity: O(n) in the line's bytes.
public enum LoneSurrogates {
    public static func replace(_ line: Data) -> (data: Data, replaced: Int) {
        let bytes = [UInt8](line)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var replaced = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < bytes.count else {
                out.append(byte)
                index += 1
                continue
            }
            guard bytes[index + 1] == UInt8(ascii: "u"), let unit = hex(bytes, at: index + 2) else {
                out += bytes[index...(index + 1)]
                index += 2
                continue
            }
            switch unit {
            case 0xD800...0xDBFF:
                if index + 12 <= bytes.count, bytes[index + 6] == UInt8(ascii: "\\"), bytes[index + 7] == UInt8(ascii: "u"),
                   let low = hex(bytes, at: index + 8), (0xDC00...0xDFFF).contains(low) {
                    out += bytes[index..<(index + 12)]
                    index += 12
                    continue
                }
                fallthrough
            case 0xDC00...0xDFFF:
                out += Array(#"\ufffd"#.utf8)
                replaced += 1
            default:
                out += bytes[index..<(index + 6)]
            }
            index += 6
        }
        return (Data(out), replaced)
    }

    static func hex(_ bytes: [UInt8], at start: Int) -> UInt32? {
        guard start + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for byte in bytes[start..<(start + 4)] {
            guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue else { return nil }
            value = value * 16 + UInt32(digit)
        }
        return value
    }
}

extension JSONLines {
    /// Like ``object(_:file:)``, but a line that fails only because of lone surrogate escapes is read with them
    /// replaced by U+FFFD; `replaced` says how many, for a warning. A plain line is read by hand
    /// (``PlainJSONLine``), with the same result.
    public static func objectAllowingLoneSurrogates(_ line: JSONLine, file: String) throws -> (object: [String: Any], replaced: Int) {
        if let plain = PlainJSONLine.object(line.bytes) { return (plain, 0) }
        do {
            return (try object(line, file: file), 0)
        } catch {
            let fixed = LoneSurrogates.replace(line.bytes)
            guard fixed.replaced > 0 else { throw error }
            return (try object(JSONLine(number: line.number, bytes: fixed.data), file: file), fixed.replaced)
        }
    }
}
