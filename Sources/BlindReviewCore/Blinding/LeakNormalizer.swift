/// The copy of a text the leak scanner matches on, with a way back to the original.
///
/// Each Unicode scalar is decomposed for compatibility (NFKD: fullwidth `Ｇ` and mathematical `𝐆` become
/// `G`), lower-cased, stripped of combining marks and of format and zero-width characters (ZWSP, ZWJ, soft
/// hyphen, bidi controls, tags), mapped from Cyrillic and Greek look-alikes to Latin (`С` to `c`), dashes to
/// `-`, curly apostrophes to `'`, and runs of white space to one space. Plain ASCII text takes a fast path.
///
///     LeakNormalizer.normalize("Ｃｈａｔ\u{200B}GPT").text   // "chatgpt"
public struct LeakNormalizer {
    /// The normalised text as UTF-8.
    public var bytes: [UInt8]
    /// For each normalised byte, the UTF-8 offset in the original where the scalar it came from starts.
    var starts: [Int]
    /// For each normalised byte, the UTF-8 offset in the original where that scalar ends.
    var ends: [Int]

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The original byte range behind normalised bytes `range`.
    func original(_ range: Range<Int>) -> Range<Int> { starts[range.lowerBound]..<ends[range.upperBound - 1] }

    public static func normalize(_ text: String) -> LeakNormalizer {
        var result = LeakNormalizer(bytes: [], starts: [], ends: [])
        let utf8 = text.utf8
        result.bytes.reserveCapacity(utf8.count)
        result.starts.reserveCapacity(utf8.count)
        result.ends.reserveCapacity(utf8.count)
        var lastWasSpace = false
        if !utf8.contains(where: { $0 >= 0x80 }) {
            for (offset, byte) in utf8.enumerated() {
                let isSpace = byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
                if isSpace && lastWasSpace { continue }
                lastWasSpace = isSpace
                result.bytes.append(isSpace ? 0x20 : (byte >= 65 && byte <= 90 ? byte + 32 : byte))
                result.starts.append(offset)
                result.ends.append(offset + 1)
            }
            return result
        }
        var offset = 0
        for scalar in text.unicodeScalars {
            let width = UTF8.width(scalar)
            let mapped = folded(scalar)
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
        }
        return result
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
            ("ıɡℓ’‘ʼ`´", "igl'''''"),
        ]
        for (from, to) in pairs {
            for (source, target) in zip(from.unicodeScalars, to.utf8) { table[source.value] = target }
        }
        return table
    }()
}
