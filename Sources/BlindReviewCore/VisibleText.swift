/// The one sanitiser for strings from input in human-readable output (terminal text, Markdown, messages on
/// stderr), used by every command whether or not the output is a terminal: control characters, escape
/// sequences, bidi overrides and invisible format characters become visible symbols, so a hostile response,
/// name or category cannot drive the reader's terminal or hide text. JSON and CSV are data, escaped by their
/// own rules, and never pass through here.
///
///     VisibleText.line("I am \u{1B}[31mGPT\u{200B}\n")   // "I am ␛[31mGPT⟨U+200B⟩⏎"
///     VisibleText.block("a\u{7}\nb")                       // "a␇\nb"
public enum VisibleText {
    /// Several lines: line breaks and tabs are kept, everything else as in ``line(_:)``.
    public static func block(_ text: String) -> String {
        // Plain text (printable ASCII, newlines, tabs) is returned as it is.
        guard text.utf8.contains(where: { ($0 < 0x20 && $0 != 0x0A && $0 != 0x09) || $0 >= 0x7F }) else { return text }
        return visible(text, keepLines: true)
    }

    /// One line: a line break shows as `⏎`, a tab as a space.
    public static func line<S: StringProtocol>(_ text: S) -> String {
        visible(String(text), keepLines: false)
    }

    static func visible(_ text: String, keepLines: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: out += keepLines ? "\n" : "⏎"
            case 0x09: out += keepLines ? "\t" : " "
            case 0x0D: out += "␍"
            case 0x00...0x1F: out.unicodeScalars.append(Unicode.Scalar(0x2400 + scalar.value)!)
            case 0x7F: out += "␡"
            case 0x80...0x9F: out += code(scalar)
            case 0xAD: out += "⟨SHY⟩"
            case 0xE0000...0xE007F:
                // Tag characters can carry hidden ASCII text: show what they spell.
                let base = scalar.value - 0xE0000
                out += (0x20...0x7E).contains(base) ? "⟨TAG \(Character(Unicode.Scalar(base)!))⟩" : code(scalar)
            default:
                let category = scalar.properties.generalCategory
                if category == .format || category == .lineSeparator || category == .paragraphSeparator
                    || category == .privateUse || category == .unassigned && !scalar.properties.isNoncharacterCodePoint && scalar.value > 0xFFFF {
                    out += code(scalar)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    static func code(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "⟨U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "⟩"
    }
}
