/// How many terminal columns a character (an extended grapheme cluster) takes: 2 for East Asian wide and emoji
/// (emoji presentation, ZWJ sequences, skin tones, flags), 0 for combining and format characters within their
/// cluster, and each spacing mark (Devanagari ि, Thai ำ) its own column, as terminals draw them. A table of our own (not `wcwidth`), so screens are the same under any
/// locale, in tests as in the terminal.
///
///     DisplayWidth.of("a")    // 1
///     DisplayWidth.of("界")   // 2
///     DisplayWidth.of("é")    // 1 (e + combining acute is one character)
///     DisplayWidth.of("👍")   // 2
public enum DisplayWidth {
    public static func of(_ character: Character) -> Int {
        if character.asciiValue != nil { return 1 }
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        // One code point (most text): its own width.
        if scalars.index(after: scalars.startIndex) == scalars.endIndex {
            if (0x1F1E6...0x1F1FF).contains(first.value) { return 1 }
            return isZeroWidth(first) ? 0 : isWide(first) ? 2 : 1
        }
        // Emoji sequences (presentation selector, ZWJ sequences, skin tones, keycaps) are one wide picture.
        if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        if first.properties.isEmoji,
           scalars.contains(where: { $0.value == 0x200D || (0x1F3FB...0x1F3FF).contains($0.value) || (0xE0020...0xE007F).contains($0.value) }) {
            return 2
        }
        // Flags: a pair of regional indicators.
        if (0x1F1E6...0x1F1FF).contains(first.value) { return scalars.count >= 2 ? 2 : 1 }
        // Otherwise each code point that takes room counts: the base, and spacing marks such as the Devanagari
        // vowel sign ि or Thai sara am ำ; combining and format characters add nothing.
        var width = 0
        for scalar in scalars where !isZeroWidth(scalar) { width += isWide(scalar) ? 2 : 1 }
        return width
    }

    /// Total columns of a string.
    public static func of(_ text: String) -> Int {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: return true
        case .format: return scalar.value != 0x00AD
        default:
            // Variation selectors, emoji skin-tone modifiers after a base, Hangul medial and final jamo.
            return (0xFE00...0xFE0F).contains(scalar.value) || (0x1160...0x11FF).contains(scalar.value) || (0xE0100...0xE01EF).contains(scalar.value)
        }
    }

    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x1100 { return false }
        if scalar.properties.isEmojiPresentation { return true }
        for range in wideRanges where range.contains(v) { return true }
        return false
    }

    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
        0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
        0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF,
        0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
