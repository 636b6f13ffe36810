/// Wraps safe text to a column width at word boundaries, by display width (CJK and emoji take two columns),
/// breaking words longer than a line. Lines keep their characters; nothing is dropped.
///
///     TextWrapper.wrap("the quick brown fox", width: 9)   // ["the quick", "brown fox"]
///
/// - Complexity: O(n) in the text length.
public enum TextWrapper {
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var out: [String] = []
        for line in SafeText.lines(text) {
            wrapLine(line, width: width, into: &out)
        }
        return out
    }

    /// `text` cut to `width` columns with a final "…" when it does not fit.
    ///
    ///     TextWrapper.ellipsized("annotator-alice", width: 8)   // "annotat…"
    public static func ellipsized(_ text: String, width: Int) -> String {
        guard DisplayWidth.of(text) > width else { return text }
        guard width > 0 else { return "" }
        var out = ""
        var used = 0
        for character in text {
            let w = DisplayWidth.of(character)
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…"
    }

    /// Wraps one line (no line breaks) into `out`. Every output line is a contiguous part of `line` (the spaces
    /// where a line breaks are dropped), so the work is done on positions: runs of ASCII are measured a byte
    /// at a time (one column each), and only around other bytes are characters (grapheme clusters) formed and
    /// measured. A 5 MB line wraps in tens of milliseconds.
    ///
    /// - Complexity: O(n) in the line's length.
    static func wrapLine(_ line: String, width: Int, into out: inout [String]) {
        if line.isEmpty {
            out.append("")
            return
        }
        let utf8 = line.utf8
        let end = utf8.endIndex
        // The current output line, the word being read and the spaces before it, as ranges of `line`.
        var current: Range<String.Index>?
        var currentWidth = 0
        var wordStart = utf8.startIndex, wordEnd = utf8.startIndex
        var wordWidth = 0
        var spacesStart = utf8.startIndex
        var spacesWidth = 0
        var hasWord: Bool { wordStart < wordEnd }

        // Each distinct character other than ASCII is measured once (a language's letters repeat).
        var widths: [Character: Int] = [:]

        func emit(_ range: Range<String.Index>?) { out.append(range.map { String(line[$0]) } ?? "") }

        func flushWord() {
            guard hasWord else { return }
            if currentWidth + spacesWidth + wordWidth <= width {
                // The spaces before the word go with it (at the start of a line too); they lie just before it.
                current = (current?.lowerBound ?? (spacesWidth > 0 ? spacesStart : wordStart))..<wordEnd
                currentWidth += spacesWidth + wordWidth
            } else {
                if current != nil { emit(current) }
                current = nil
                currentWidth = 0
                // A word wider than the line is cut into line-sized pieces.
                var i = wordStart
                while i < wordEnd {
                    let (next, w) = unit(at: i)
                    if currentWidth + w > width && current != nil {
                        emit(current)
                        current = nil
                        currentWidth = 0
                    }
                    current = (current?.lowerBound ?? i)..<next
                    currentWidth += w
                    i = next
                }
            }
            wordStart = wordEnd
            wordWidth = 0
            spacesWidth = 0
        }

        /// The character starting at `i`: where it ends and its width. ASCII followed by ASCII is a character of
        /// its own (no combining mark can follow); anything else is formed as a grapheme cluster.
        func unit(at i: String.Index) -> (String.Index, Int) {
            let byte = utf8[i]
            let next = utf8.index(after: i)
            if byte < 0x80, next == end || utf8[next] < 0x80 { return (next, 1) }
            let after = line.index(after: i)
            let character = line[i..<after].first!
            if let width = widths[character] { return (after, width) }
            let width = DisplayWidth.of(character)
            if widths.count < 4096 { widths[character] = width }
            return (after, width)
        }

        var i = utf8.startIndex
        while i < end {
            let (next, w) = unit(at: i)
            if utf8[i] == 0x20 && next == utf8.index(after: i) {
                if hasWord { flushWord() }
                if spacesWidth == 0 { spacesStart = i }
                spacesWidth += 1
                wordStart = next
                wordEnd = next
            } else {
                if !hasWord { wordStart = i }
                wordEnd = next
                wordWidth += w
                // CJK text has no spaces: let every wide character be its own word so lines fill up.
                if w == 2 {
                    flushWord()
                    wordStart = next
                    wordEnd = next
                }
            }
            i = next
        }
        flushWord()
        if current != nil || out.isEmpty || spacesWidth > 0 { emit(current) }
    }
}

/// Wrapped lines per (text key, width), so a 100 KB response is wrapped once per width, not per keypress.
public final class WrapCache: @unchecked Sendable {
    private var entries: [String: [String]] = [:]
    private var order: [String] = []
    private let capacity: Int

    public init(capacity: Int = 64) {
        self.capacity = capacity
    }

    public func lines(key: String, width: Int, text: () -> String) -> [String] {
        let full = "\(key)@\(width)"
        if let hit = entries[full] { return hit }
        let wrapped = TextWrapper.wrap(text(), width: width)
        entries[full] = wrapped
        order.append(full)
        if order.count > capacity { entries[order.removeFirst()] = nil }
        return wrapped
    }
}
