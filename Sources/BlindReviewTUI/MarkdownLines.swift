/// A Markdown-aware reading of a response for the `m` view: fenced code kept verbatim (never reflowed, cut into
/// screen-wide pieces marked `↩`) behind a `│` gutter, headings in bold without their `#`s, list items with a
/// bullet and a hanging indent, quotes behind `┃`. Everything else wraps as plain text; inline marks (`**`, `_`,
/// backticks) stay as typed, so nothing the model wrote is hidden. Raw text stays the default.
///
///     MarkdownLines.render("# Title\n- one\n```\nlet x = 1\n```", width: 20).map(\.text)
///     // ["Title", "• one", "┌ code", "│ let x = 1", "└"]
///
/// - Complexity: O(n) in the text length.
public enum MarkdownLines {
    public static func render(_ text: String, width: Int) -> [StyledLine] {
        let width = max(4, width)
        var out: [StyledLine] = []
        var fence: String?
        let code = CellStyle(color: .muted)
        for line in SafeText.lines(text) {
            let trimmed = line.drop { $0 == " " }
            if let open = fence {
                if trimmed.hasPrefix(open) {
                    fence = nil
                    out.append(StyledLine(text: "└", style: .dim))
                } else {
                    out += verbatim(line, width: width - 2).map { StyledLine(text: "│ " + $0, style: code) }
                }
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                fence = String(trimmed.prefix(3))
                let language = trimmed.dropFirst(3).trimmingSpaces()
                out.append(StyledLine(text: "┌ code" + (language.isEmpty ? "" : " (\(language))"), style: .dim))
                continue
            }
            if let level = headingLevel(trimmed) {
                let title = trimmed.dropFirst(level).trimmingSpaces()
                out += TextWrapper.wrap(title, width: width).map { StyledLine(text: $0, style: CellStyle(bold: true, underline: level <= 2)) }
                continue
            }
            if let (indent, marker, rest) = listItem(line) {
                let lead = String(repeating: " ", count: indent) + marker + " "
                let hanging = String(repeating: " ", count: DisplayWidth.of(lead))
                let body = TextWrapper.wrap(rest, width: max(1, width - DisplayWidth.of(lead)))
                for (index, piece) in body.enumerated() {
                    out.append(StyledLine(text: (index == 0 ? lead : hanging) + piece, style: .plain))
                }
                continue
            }
            if trimmed.hasPrefix(">") {
                let quote = trimmed.dropFirst().trimmingSpaces()
                out += TextWrapper.wrap(quote, width: width - 2).map { StyledLine(text: "┃ " + $0, style: .plain) }
                continue
            }
            out += TextWrapper.wrap(line, width: width).map { StyledLine(text: $0, style: .plain) }
        }
        if fence != nil { out.append(StyledLine(text: "└ (code block not closed)", style: .dim)) }
        return out
    }

    /// A code line cut into pieces of `width` columns, every piece but the last ending in `↩`.
    static func verbatim(_ line: String, width: Int) -> [String] {
        guard DisplayWidth.of(line) > width else { return [line] }
        var pieces: [String] = []
        var current = "", used = 0
        for character in line {
            let w = DisplayWidth.of(character)
            if used + w > width - 1 {
                pieces.append(current + "↩")
                current = ""
                used = 0
            }
            current.append(character)
            used += w
        }
        pieces.append(current)
        return pieces
    }

    static func headingLevel(_ line: Substring) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }

    /// `- x`, `* x`, `+ x` or `12. x`: indent, the marker shown (a bullet, or the number), and the text.
    static func listItem(_ line: String) -> (Int, String, String)? {
        let indent = line.prefix { $0 == " " }.count
        let rest = line.dropFirst(indent)
        if let first = rest.first, "-*+".contains(first), rest.dropFirst().first == " " {
            return (indent, "•", String(rest.dropFirst(2)))
        }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, digits.count <= 9, rest.dropFirst(digits.count).hasPrefix(". ") || rest.dropFirst(digits.count).hasPrefix(") ") {
            return (indent, String(rest.prefix(digits.count + 1)), String(rest.dropFirst(digits.count + 2)))
        }
        return nil
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
