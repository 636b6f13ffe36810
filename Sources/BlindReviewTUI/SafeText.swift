/// Makes text from a response safe to draw: nothing in it can reach the terminal as a control sequence.
///
/// - C0 controls (NUL, ESC, BEL, ...) become their visible Control Pictures (`␀`, `␛`, `␇`), DEL `␡`;
/// - C1 controls (U+0080-U+009F) become their code, such as `⟨U+0085⟩`;
/// - Unicode tag characters (which can carry hidden ASCII) become `⟨TAG a⟩` (except inside an emoji flag such as
///   🏴󠁧󠁢󠁳󠁣󠁴󠁿, where they are its name); a soft hyphen becomes `⟨SHY⟩`;
/// - a lone carriage return becomes `␍` (CR LF is a line break); a tab becomes spaces to the next 4-column stop;
/// - invisible format characters that reorder or hide text (bidi overrides and isolates, zero-width space,
///   BOM) become a visible `⟨U+202E⟩`.
///
///     SafeText.lines("hi\u{1B}[31mred\tx")  // ["hi␛[31mred  x"]
public enum SafeText {
    /// The text split at line breaks, each line made safe.
    public static func lines(_ text: String) -> [String] {
        var lines: [String] = []
        var current = ""
        var column = 0
        for character in text {
            if character == "\n" || character == "\r\n" {
                lines.append(current)
                current = ""
                column = 0
                continue
            }
            if character == "\t" {
                let spaces = 4 - column % 4
                current += String(repeating: " ", count: spaces)
                column += spaces
                continue
            }
            let safe = visible(character)
            current += safe
            column += DisplayWidth.of(safe)
        }
        lines.append(current)
        return lines
    }

    /// One line of text (line breaks shown as `⏎`), made safe: for headers and notes.
    public static func line(_ text: String) -> String {
        lines(text).joined(separator: "⏎")
    }

    static func visible(_ character: Character) -> String {
        let scalars = character.unicodeScalars
        if scalars.count == 1, let scalar = scalars.first {
            switch scalar.value {
            case 0x0D: return "␍"
            case 0x00...0x1F: return String(Unicode.Scalar(0x2400 + scalar.value)!)
            case 0x7F: return "␡"
            case 0x20...0x7E: return String(character)
            default: break
            }
        }
        let emojiTagSequence = scalars.first?.value == 0x1F3F4
        guard scalars.contains(where: { needsName($0, inEmojiTagSequence: emojiTagSequence) }) else {
            return String(character)
        }
        // Show every scalar that would be invisible or act on the terminal by name; keep the rest.
        var out = ""
        for scalar in scalars {
            if scalar.value < 0x20 {
                out += String(Unicode.Scalar(0x2400 + scalar.value)!)
            } else if scalar.value == 0x7F {
                out += "␡"
            } else if needsName(scalar, inEmojiTagSequence: emojiTagSequence) {
                out += name(scalar)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whether a scalar must be replaced by a visible name.
    static func needsName(_ scalar: Unicode.Scalar, inEmojiTagSequence: Bool) -> Bool {
        let value = scalar.value
        if (0xE0000...0xE007F).contains(value) { return !inEmojiTagSequence }
        return value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x00AD || isHidden(scalar)
    }

    /// `⟨SHY⟩`, `⟨TAG a⟩`, `⟨TAG END⟩`, or `⟨U+0085⟩`.
    static func name(_ scalar: Unicode.Scalar) -> String {
        let value = scalar.value
        switch value {
        case 0x00AD: return "⟨SHY⟩"
        case 0xE007F: return "⟨TAG END⟩"
        case 0xE0020: return "⟨TAG SPACE⟩"
        case 0xE0021...0xE007E: return "⟨TAG \(Character(Unicode.Scalar(value - 0xE0000)!))⟩"
        default: return "⟨U+" + String(value, radix: 16, uppercase: true).leftPadded(4) + "⟩"
        }
    }

    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061C, 0x180E, 0x200B, 0x200E, 0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
