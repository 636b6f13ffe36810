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
        // A line of printable ASCII without tabs is already safe and is kept as it is, byte for byte; any other
        // line is made safe character by character.
        rawLines(text).map(safe)
    }

    /// The text split at LF (a CR just before it goes too), not yet made safe: see ``safe(_:)``.
    ///
    ///     SafeText.rawLines("a\r\nb\nc")   // ["a", "b", "c"]
    public static func rawLines(_ text: String) -> [Substring] {
        var lines: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var i = start
        while i < utf8.endIndex {
            if utf8[i] == 0x0A {
                var stop = i
                if stop > start, utf8[utf8.index(before: stop)] == 0x0D { stop = utf8.index(before: stop) }
                lines.append(text[start..<stop])
                i = utf8.index(after: i)
                start = i
                continue
            }
            i = utf8.index(after: i)
        }
        lines.append(text[start...])
        return lines
    }

    /// One raw line (from ``rawLines(_:)``) made safe: kept as it is when it is printable ASCII without tabs.
    public static func safe(_ raw: Substring) -> String {
        raw.utf8.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }) ? String(raw) : safeLine(raw)
    }

    /// One line (no LF in it) made safe: runs of printable ASCII are copied as they are, and only other
    /// characters are formed (as grapheme clusters), replaced when unsafe, and measured for tab stops.
    static func safeLine(_ text: Substring) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var column = 0
        var seen: [Character: (String, Int)] = [:]
        let utf8 = text.utf8
        let end = utf8.endIndex
        var i = utf8.startIndex
        var run = i
        while i < end {
            let byte = utf8[i]
            let next = utf8.index(after: i)
            // Printable ASCII not followed by a byte that could combine with it: one column, kept.
            if byte >= 0x20, byte <= 0x7E, next == end || utf8[next] < 0x80 {
                column += 1
                i = next
                continue
            }
            out += text[run..<i]
            let after = text.index(after: i)
            let character = text[i..<after].first!
            if character == "\t" {
                let spaces = 4 - column % 4
                out += String(repeating: " ", count: spaces)
                column += spaces
            } else {
                // Characters repeat (a language's letters): each distinct one is made safe and measured once.
                let (safe, width) = seen[character] ?? {
                    let made = visible(character)
                    let entry = (made, DisplayWidth.of(made))
                    if seen.count < 4096 { seen[character] = entry }
                    return entry
                }()
                out += safe
                column += width
            }
            i = after
            run = i
        }
        out += text[run..<end]
        return out
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
