/// Text from input made safe to print on one line of a terminal: control characters, escape sequences and
/// invisible format characters become visible symbols, so a hostile response cannot drive the lead's terminal.
///
///     VisibleText.line("I am \u{1B}[31mGPT\u{200B}\n")   // "I am ␛[31mGPT⟨U+200B⟩⏎"
public enum VisibleText {
    public static func line(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: out += "⏎"
            case 0x0D: out += "␍"
            case 0x09: out += " "
            case 0x00...0x1F: out.unicodeScalars.append(Unicode.Scalar(0x2400 + scalar.value)!)
            case 0x7F: out += "␡"
            case 0x80...0x9F, 0xAD: out += code(scalar)
            default:
                if scalar.properties.generalCategory == .format || scalar.properties.generalCategory == .lineSeparator
                    || scalar.properties.generalCategory == .paragraphSeparator {
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
