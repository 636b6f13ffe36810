/// The copy of a text the leak scanner matches on, with a way back to the original.
///
/// Each Unicode scalar is decomposed for compatibility (NFKD: fullwidth `Ｇ` and mathematical `𝐆` become
/// `G`), lower-cased, stripped of combining marks and of format and zero-width characters (ZWSP, ZWJ, soft
/// hyphen, bidi controls, tags), mapped from Cyrillic, Greek and small-capital look-alikes to Latin (`С` to
/// `c`, `ɢ` to `g`), dashes to `-`, curly apostrophes to `'`, and runs of white space to one space. Markdown
/// emphasis marks (`*`, `` ` ``, `~`) are dropped (`**G**PT`), and HTML character references and URL escapes
/// that stand for a letter or digit are decoded (`&#71;PT`, `%47PT`). Plain ASCII text takes a fast path.
///
///     LeakNormalizer.normalize("Ｃｈａｔ\u{200B}GPT").text   // "chatgpt"
public struct LeakNormalizer {
    /// The normalised text as UTF-8.
    public var bytes: [UInt8]
    /// For each normalised byte, the UTF-8 offset in the original where the scalar it came from starts.
    var starts: [Int]
    /// For each normalised byte, the UTF-8 offset in the original where that scalar ends.
    var ends: [Int]
    /// True when normalised byte i came from original byte i (plain ASCII that lost and merged nothing); then
    /// `starts` and `ends` are left empty.
    var identity = false

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The original byte range behind normalised bytes `range`.
    func original(_ range: Range<Int>) -> Range<Int> {
        identity ? range : starts[range.lowerBound]..<ends[range.upperBound - 1]
    }

    public static func normalize(_ text: String) -> LeakNormalizer {
        if let plain = plainASCII(text) { return plain }
        var result = LeakNormalizer(bytes: [], starts: [], ends: [])
        let utf8 = text.utf8
        result.bytes.reserveCapacity(utf8.count)
        result.starts.reserveCapacity(utf8.count)
        result.ends.reserveCapacity(utf8.count)
        var lastWasSpace = false
        // Plain ASCII (most responses): lower-case and squeeze spaces in one pass over the bytes.
        let ascii: Bool? = utf8.withContiguousStorageIfAvailable { buffer in
            guard !buffer.contains(where: { $0 >= 0x80 }) else { return false }
            var offset = 0
            while offset < buffer.count {
                var byte = buffer[offset]
                var width = 1
                if byte == 0x2A || byte == 0x60 || byte == 0x7E {  // * ` ~
                    offset += 1
                    continue
                }
                if byte == 0x26 || byte == 0x25, let (decoded, length) = LeakNormalizer.escape(at: offset, count: buffer.count, { UInt32(buffer[$0]) }) {
                    byte = decoded
                    width = length
                }
                let isSpace = byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
                if !(isSpace && lastWasSpace) {
                    lastWasSpace = isSpace
                    result.bytes.append(isSpace ? 0x20 : (byte >= 65 && byte <= 90 ? byte + 32 : byte))
                    result.starts.append(offset)
                    result.ends.append(offset + width)
                }
                offset += width
            }
            return true
        }
        if ascii == true { return result }
        let scalars = Array(text.unicodeScalars)
        var offset = 0
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            var width = UTF8.width(scalar)
            var consumed = 1
            var mapped: [UInt8]
            if scalar.value == 0x26 || scalar.value == 0x25,
               let (decoded, length) = LeakNormalizer.escape(at: index, count: scalars.count, { scalars[$0].value }) {
                mapped = [decoded >= 65 && decoded <= 90 ? decoded + 32 : decoded]
                consumed = length
                width = length  // the escape is ASCII: one byte per scalar
            } else if scalar.value == 0x2A || scalar.value == 0x60 || scalar.value == 0x7E {
                mapped = []
            } else {
                mapped = folded(scalar)
            }
            let isSpace = mapped == [0x20]
            if !(isSpace && lastWasSpace) {
                for byte in mapped {
                    result.bytes.append(byte)
                    result.starts.append(offset)
                    result.ends.append(offset + width)
                }
                if !mapped.isEmpty { lastWasSpace = isSpace }
            }
            offset += width
            index += consumed
        }
        return result
    }

    /// The normalised copy of plain ASCII text in which every byte maps to one byte (no markdown mark, escape,
    /// or run of white space to drop or fold): the text lower-cased, white space as spaces, with offsets that
    /// are the identity. Most responses are like this, and skip building two offset tables. Nil otherwise.
    static func plainASCII(_ text: String) -> LeakNormalizer? {
        text.utf8.withContiguousStorageIfAvailable { buffer -> LeakNormalizer? in
            var plain = true
            let bytes = [UInt8](unsafeUninitializedCapacity: buffer.count) { out, count in
                var lastWasSpace = false
                for offset in 0..<buffer.count {
                    let byte = buffer[offset]
                    if byte >= 0x80 || byte == 0x2A || byte == 0x60 || byte == 0x7E || byte == 0x26 || byte == 0x25 {
                        plain = false
                        break
                    }
                    let isSpace = byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
                    if isSpace && lastWasSpace {
                        plain = false
                        break
                    }
                    lastWasSpace = isSpace
                    out[offset] = isSpace ? 0x20 : (byte >= 65 && byte <= 90 ? byte + 32 : byte)
                    count = offset + 1
                }
            }
            return plain ? LeakNormalizer(bytes: bytes, starts: [], ends: [], identity: true) : nil
        } ?? nil
    }

    /// An HTML character reference (`&#71;`, `&#x47;`) or a URL escape (`%47`) at `start` that stands for an
    /// ASCII letter or digit: the byte and the escape's length.
    static func escape(at start: Int, count: Int, _ at: (Int) -> UInt32) -> (UInt8, Int)? {
        func hex(_ value: UInt32) -> UInt32? {
            switch value {
            case 48...57: return value - 48
            case 65...70: return value - 55
            case 97...102: return value - 87
            default: return nil
            }
        }
        func letterOrDigit(_ value: UInt32) -> UInt8? {
            (48...57).contains(value) || (65...90).contains(value) || (97...122).contains(value) ? UInt8(value) : nil
        }
        if at(start) == 0x25 {  // %HH
            guard start + 2 < count, let high = hex(at(start + 1)), let low = hex(at(start + 2)), let byte = letterOrDigit(high * 16 + low) else { return nil }
            return (byte, 3)
        }
        // &#DDD; or &#xHH;
        guard start + 3 < count, at(start + 1) == 0x23 else { return nil }
        var index = start + 2
        let isHex = at(index) == 0x78 || at(index) == 0x58
        if isHex { index += 1 }
        var value: UInt32 = 0
        var digits = 0
        while index < count, digits < 6 {
            let c = at(index)
            if c == 0x3B { break }
            guard let d = isHex ? hex(c) : ((48...57).contains(c) ? c - 48 : nil) else { return nil }
            value = value * (isHex ? 16 : 10) + d
            digits += 1
            index += 1
        }
        guard digits > 0, index < count, at(index) == 0x3B, let byte = letterOrDigit(value) else { return nil }
        return (byte, index - start + 1)
    }

    /// The normalised UTF-8 of one scalar (empty when it is dropped).
    static func folded(_ scalar: Unicode.Scalar) -> [UInt8] {
        if scalar.isASCII {
            let byte = UInt8(scalar.value)
            if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) { return [0x20] }
            return [byte >= 65 && byte <= 90 ? byte + 32 : byte]
        }
        if scalar.properties.isWhitespace { return [0x20] }
        var out: [UInt8] = []
        for part in String(scalar).decomposedStringWithCompatibilityMapping.unicodeScalars {
            if isDropped(part) { continue }
            if let latin = lookAlike(part) {
                out.append(latin)
                continue
            }
            for lower in part.properties.lowercaseMapping.unicodeScalars {
                if isDropped(lower) { continue }
                if let latin = lookAlike(lower) {
                    out.append(latin)
                } else {
                    out.append(contentsOf: Array(String(lower).utf8))
                }
            }
        }
        return out
    }

    /// Combining marks, format characters (ZWSP, ZWJ, soft hyphen, bidi controls, tags) and other
    /// default-ignorable code points: they change nothing a reader sees.
    static func isDropped(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .spacingMark, .format: return true
        default: return scalar.properties.isDefaultIgnorableCodePoint
        }
    }

    /// Cyrillic and Greek letters that look like Latin ones, dashes and apostrophes, as ASCII.
    static func lookAlike(_ scalar: Unicode.Scalar) -> UInt8? {
        if let mapped = lookAlikes[scalar.value] { return mapped }
        if scalar.properties.generalCategory == .dashPunctuation { return UInt8(ascii: "-") }
        return nil
    }

    static let lookAlikes: [UInt32: UInt8] = {
        var table: [UInt32: UInt8] = [:]
        let pairs: [(String, String)] = [
            // Cyrillic, lower then upper case
            ("аеорсухіјѕһԁԛԝӏкмтвнпь", "aeopcyxijshdqwlkmtbhnb"),
            ("АВЕНІЈКМОРСТУХЅ", "abehijkmopctyxs"),
            // Greek, lower then upper case
            ("αβεικνοπρτυχωζη", "abeiknoprtuxwzn"),
            ("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "abezhikmnoptyx"),
            // Other letters and signs that pass for Latin
            ("ıɡℓ’‘ʼ´", "igl''''"),
            // Small capitals
            ("ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ", "abcdefghijklmnoprstuvwyz"),
        ]
        for (from, to) in pairs {
            for (source, target) in zip(from.unicodeScalars, to.utf8) { table[source.value] = target }
        }
        return table
    }()
}
