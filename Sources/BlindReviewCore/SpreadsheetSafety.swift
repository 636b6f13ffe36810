/// Keeps CSV cells from running as formulas when a spreadsheet opens the file (CSV injection, as OWASP
/// describes it): a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return, and is not a
/// number, gets a leading `'`. Reading back removes exactly that added `'`, so export then import round-trips;
/// a cell that itself starts with `'` before such a character gets one more, so that nothing is ambiguous.
///
///     SpreadsheetSafety.neutralise("=HYPERLINK(\"x\")")   // "'=HYPERLINK(\"x\")"
///     SpreadsheetSafety.neutralise("-3.5")                // "-3.5" (a number)
///     SpreadsheetSafety.restore("'=HYPERLINK(\"x\")")     // "=HYPERLINK(\"x\")"
public enum SpreadsheetSafety {
    static let triggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    public static func neutralise(_ text: String) -> String {
        // Most cells start with a letter or digit: one byte decides.
        guard let first = text.utf8.first, first == 0x27 || first == 0x3D || first == 0x2B || first == 0x2D || first == 0x40 || first == 0x09 || first == 0x0D
        else { return text }
        return needsQuote(Substring(text)) ? "'" + text : text
    }

    public static func restore(_ text: String) -> String {
        text.hasPrefix("'") && needsQuote(text.dropFirst()) ? String(text.dropFirst()) : text
    }

    static func needsQuote(_ text: Substring) -> Bool {
        guard let first = text.first else { return false }
        if first == "'" { return needsQuote(text.dropFirst()) }
        return triggers.contains(first) && !isPlainNumber(text)
    }

    /// Digits with sign, point and exponent only ("-3.5", "1e-3"), which a spreadsheet reads as a number.
    static func isPlainNumber(_ text: Substring) -> Bool {
        text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == 0x2E || $0 == 0x2B || $0 == 0x2D || $0 == 0x65 || $0 == 0x45 }
            && Double(text) != nil
    }
}
