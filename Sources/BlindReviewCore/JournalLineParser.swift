import Foundation

/// A fast reader for journal event lines: flat JSON objects of strings, integers, one decimal and nulls, as
/// ``JournalWriter`` writes them. About 20 times faster than `JSONDecoder`, which matters for reports over
/// hundreds of thousands of events. Anything it does not recognise (an unknown key, a nested value, odd
/// spacing it cannot skip) returns nil, and the caller falls back to `JSONDecoder`, so correctness never
/// depends on this shortcut.
///
///     JournalLineParser.parse(Array(#"{"seq":3,"t":"x","type":"undo","target":2}"#.utf8)[...])?.target  // 2
enum JournalLineParser {
    static func parse(_ bytes: ArraySlice<UInt8>) -> JournalEvent? {
        var event = JournalEvent(type: .open)
        var sawType = false, sawSeq = false
        var i = bytes.startIndex
        let end = bytes.endIndex
        func skipSpace() { while i < end, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 } }
        func expect(_ byte: UInt8) -> Bool {
            skipSpace()
            guard i < end, bytes[i] == byte else { return false }
            i += 1
            return true
        }
        func string() -> String? {
            skipSpace()
            guard i < end, bytes[i] == 0x22 else { return nil }
            i += 1
            let start = i
            var plain = true
            while i < end, bytes[i] != 0x22 {
                if bytes[i] == 0x5C { plain = false; i += 2; continue }
                if bytes[i] < 0x20 { return nil }
                i += 1
            }
            guard i < end else { return nil }
            defer { i += 1 }
            if plain { return String(decoding: bytes[start..<i], as: UTF8.self) }
            return unescape(bytes[start..<i])
        }
        func number() -> (Int?, Double?)? {
            skipSpace()
            let start = i
            var isDouble = false
            while i < end, (bytes[i] >= 0x30 && bytes[i] <= 0x39) || bytes[i] == 0x2D || bytes[i] == 0x2B || bytes[i] == 0x2E || bytes[i] == 0x65 || bytes[i] == 0x45 {
                if bytes[i] == 0x2E || bytes[i] == 0x65 || bytes[i] == 0x45 { isDouble = true }
                i += 1
            }
            guard i > start else { return nil }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            if isDouble { return Double(text).map { (nil, $0) } }
            guard let value = Int(text) else { return nil }
            return (value, Double(value))
        }
        func isNull() -> Bool {
            skipSpace()
            if end - i >= 4, bytes[i] == 0x6E, bytes[i + 1] == 0x75, bytes[i + 2] == 0x6C, bytes[i + 3] == 0x6C {
                i += 4
                return true
            }
            return false
        }
        guard expect(0x7B) else { return nil }
        skipSpace()
        if i < end, bytes[i] == 0x7D { return nil }
        while true {
            guard let key = string(), expect(0x3A) else { return nil }
            switch key {
            case "seq":
                guard let n = number()?.0 else { return nil }
                event.seq = n
                sawSeq = true
            case "slot": if !isNull() { guard let n = number()?.0 else { return nil }; event.slot = n }
            case "target": if !isNull() { guard let n = number()?.0 else { return nil }; event.target = n }
            case "value": if !isNull() { guard let n = number()?.0 else { return nil }; event.value = n }
            case "active_seconds": if !isNull() { guard let n = number()?.1 else { return nil }; event.activeSeconds = n }
            case "t": guard let s = string() else { return nil }; event.t = s
            case "type":
                guard let s = string(), let kind = JournalEvent.Kind(rawValue: s) else { return nil }
                event.type = kind
                sawType = true
            case "item": if !isNull() { guard let s = string() else { return nil }; event.item = s }
            case "response": if !isNull() { guard let s = string() else { return nil }; event.response = s }
            case "criterion": if !isNull() { guard let s = string() else { return nil }; event.criterion = s }
            case "option": if !isNull() { guard let s = string() else { return nil }; event.option = s }
            case "text": if !isNull() { guard let s = string() else { return nil }; event.text = s }
            default: return nil
            }
            skipSpace()
            guard i < end else { return nil }
            if bytes[i] == 0x2C { i += 1; continue }
            if bytes[i] == 0x7D { i += 1; break }
            return nil
        }
        skipSpace()
        guard i == end, sawType, sawSeq else { return nil }
        return event
    }

    /// JSON string escapes, including \u surrogate pairs; nil for anything malformed.
    static func unescape(_ bytes: ArraySlice<UInt8>) -> String? {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= bytes.endIndex else { return nil }
            return UInt32(String(decoding: bytes[at..<(at + 4)], as: UTF8.self), radix: 16)
        }
        while i < bytes.endIndex {
            let byte = bytes[i]
            guard byte == 0x5C else { out.append(byte); i += 1; continue }
            guard i + 1 < bytes.endIndex else { return nil }
            let code = bytes[i + 1]
            i += 2
            switch code {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x2F: out.append(0x2F)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                guard var scalar = hex4(i) else { return nil }
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    guard i + 6 <= bytes.endIndex, bytes[i] == 0x5C, bytes[i + 1] == 0x75, let low = hex4(i + 2), (0xDC00...0xDFFF).contains(low) else { return nil }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                guard let unicode = Unicode.Scalar(scalar) else { return nil }
                out.append(contentsOf: Array(String(unicode).utf8))
            default: return nil
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
