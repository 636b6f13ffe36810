/// Makes text from a response safe to draw: nothing in it can reach the terminal as a control sequence.
///
/// - C0 controls (NUL, ESC, BEL, ...) become their visible Control Pictures (`␀`, `␛`, `␇`), DEL `␡`;
/// - C1 controls (U+0080-U+009F) become `�`;
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
            case 0x80...0x9F: return "�"
            default: break
            }
        }
        guard scalars.contains(where: { isHidden($0) || $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else {
            return String(character)
        }
        // A cluster mixing marks with controls or hidden format characters: show every scalar on its own.
        var out = ""
        for scalar in scalars {
            if isHidden(scalar) {
                out += "⟨U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(4) + "⟩"
            } else if scalar.value < 0x20 {
                out += String(Unicode.Scalar(0x2400 + scalar.value)!)
            } else if (0x7F...0x9F).contains(scalar.value) {
                out += scalar.value == 0x7F ? "␡" : "�"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061C, 0x200B, 0x200E, 0x200F, 0x202A...0x202E, 0x2060, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
