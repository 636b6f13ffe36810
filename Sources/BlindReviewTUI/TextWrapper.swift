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

    /// Wraps one line (no line breaks) into `out`: ``LineWrapper`` run to the end. Every output line is a
    /// contiguous part of `line` (the spaces where a line breaks are dropped). A 5 MB line wraps in tens of
    /// milliseconds.
    ///
    /// - Complexity: O(n) in the line's length.
    static func wrapLine(_ line: String, width: Int, into out: inout [String]) {
        var wrapper = LineWrapper(line, width: width)
        while let range = wrapper.next() { out.append(String(line[range])) }
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
