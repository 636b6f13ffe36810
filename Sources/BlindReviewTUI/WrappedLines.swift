/// A panel's text wrapped at one width, lazily: lines are wrapped when first asked for, so a 5 MB response shows
/// its first page after wrapping only that page. Its parts are ready-made lines (turn headers, Markdown) and
/// safe text (see ``SafeText``) wrapped by ``LineWrapper``, the same algorithm as ``TextWrapper/wrap(_:width:)``,
/// so the lines are exactly the eager ones. Wrapped lines are kept as ranges of the safe text and made into
/// strings only when read.
///
///     let lines = WrappedLines([.text(SafeText.lines(huge))], width: 78)
///     lines.lines(0..<20)          // the first 20 lines: only they are wrapped
///     lines.count(atMost: 60)      // 60, or fewer when the text is shorter
///     lines.knownCount             // nil until the end was reached
///     lines.count                  // wraps to the end
///
/// A text of one empty line or none becomes `whenEmpty` (when given), like the eager reading.
///
/// - Complexity: reading lines 0..<k costs the text up to line k; ``count`` and ``all`` cost the whole text once.
public final class WrappedLines: @unchecked Sendable {
    /// What the lines are made of, in order.
    public enum Part: Sendable {
        /// A line shown as it is (not wrapped).
        case line(StyledLine)
        /// Safe lines of plain text, each wrapped at the width.
        case text([String])
    }

    private enum Entry {
        case styled(StyledLine)
        /// Part `part`, its safe line `line`, the range of it.
        case piece(part: Int32, line: Int32, range: Range<String.Index>)
    }

    public let width: Int
    /// The texts are at most this many bytes in all: then ``knownCount`` wraps them to the end at once (cheap),
    /// so a response of ordinary size always shows its line total.
    public static let eagerBytes = 256 * 1024

    private let parts: [Part]
    private let whenEmpty: StyledLine?
    private let textBytes: Int
    private var entries: [Entry] = []
    private var partIndex = 0
    private var lineIndex = 0
    private var wrapper: LineWrapper?
    private var finished = false

    public init(_ parts: [Part], width: Int, whenEmpty: StyledLine? = nil) {
        self.parts = parts
        self.width = max(1, width)
        self.whenEmpty = whenEmpty
        var bytes = 0
        for case .text(let lines) in parts { for line in lines { bytes += line.utf8.count } }
        textBytes = bytes
    }

    /// Lines already made (Markdown, short texts): nothing left to wrap.
    public convenience init(ready lines: [StyledLine], width: Int, whenEmpty: StyledLine? = nil) {
        self.init(lines.map(Part.line), width: width, whenEmpty: whenEmpty)
        ensure(Int.max)
    }

    /// The number of lines, once the end has been reached (always, for texts of at most ``eagerBytes``).
    public var knownCount: Int? {
        if !finished && textBytes <= WrappedLines.eagerBytes { ensure(Int.max) }
        return finished ? entries.count : nil
    }

    /// The number of lines (wraps the whole text the first time).
    public var count: Int {
        ensure(Int.max)
        return entries.count
    }

    /// `min(count, limit)`, wrapping only as far as `limit` lines.
    public func count(atMost limit: Int) -> Int {
        ensure(limit)
        return min(entries.count, max(0, limit))
    }

    /// Line `index`, or nil past the end.
    public func line(_ index: Int) -> StyledLine? {
        guard index >= 0 else { return nil }
        ensure(index + 1)
        return index < entries.count ? styled(entries[index]) : nil
    }

    /// The lines of `range` that exist (fewer near the end).
    public func lines(_ range: Range<Int>) -> [StyledLine] {
        let lower = max(0, range.lowerBound)
        guard range.upperBound > lower else { return [] }
        ensure(range.upperBound)
        let upper = min(range.upperBound, entries.count)
        guard upper > lower else { return [] }
        return (lower..<upper).map { styled(entries[$0]) }
    }

    /// Every line (wraps and makes strings of the whole text).
    public var all: [StyledLine] { lines(0..<count) }

    private func styled(_ entry: Entry) -> StyledLine {
        switch entry {
        case .styled(let line): return line
        case .piece(let part, let line, let range):
            guard case .text(let lines) = parts[Int(part)] else { return StyledLine(text: "", style: .plain) }
            return StyledLine(text: String(lines[Int(line)][range]), style: .plain)
        }
    }

    /// Wraps until there are `needed` lines (at least two, so an empty text is known as such) or the end.
    private func ensure(_ needed: Int) {
        let target = max(needed, 2)
        while !finished && entries.count < target { step() }
    }

    /// Adds one line, or reaches the end.
    private func step() {
        while true {
            if wrapper != nil {
                if let range = wrapper!.next() {
                    entries.append(.piece(part: Int32(partIndex), line: Int32(lineIndex), range: range))
                    return
                }
                wrapper = nil
                lineIndex += 1
            }
            guard partIndex < parts.count else {
                finish()
                return
            }
            switch parts[partIndex] {
            case .line(let line):
                entries.append(.styled(line))
                partIndex += 1
                lineIndex = 0
                return
            case .text(let lines):
                if lineIndex < lines.count {
                    wrapper = LineWrapper(lines[lineIndex], width: width)
                } else {
                    partIndex += 1
                    lineIndex = 0
                }
            }
        }
    }

    private func finish() {
        finished = true
        if let whenEmpty, entries.isEmpty || (entries.count == 1 && styled(entries[0]).text.isEmpty) {
            entries = [.styled(whenEmpty)]
        }
    }
}

/// Lazily wrapped lines per (text key, width): a response is wrapped once per width, and only as far as it was
/// read. The oldest entries go first when full.
public final class WrappedLinesCache: @unchecked Sendable {
    private var entries: [String: WrappedLines] = [:]
    private var order: [String] = []
    private let capacity: Int

    public init(capacity: Int = 32) { self.capacity = capacity }

    /// How many (text, width) entries are kept.
    var count: Int { entries.count }

    public func lines(key: String, width: Int, make: () -> WrappedLines) -> WrappedLines {
        let full = "\(key)@\(width)"
        if let hit = entries[full] { return hit }
        let value = make()
        entries[full] = value
        order.append(full)
        if order.count > capacity { entries[order.removeFirst()] = nil }
        return value
    }
}

/// Each text's safe lines (``SafeText/lines(_:)``), which do not depend on the width: a resize wraps again but
/// does not make the text safe again.
public final class SafeLinesCache: @unchecked Sendable {
    private var entries: [String: [String]] = [:]
    private var order: [String] = []
    private let capacity: Int

    public init(capacity: Int = 8) { self.capacity = capacity }

    public func lines(key: String, text: () -> String) -> [String] {
        if let hit = entries[key] { return hit }
        let value = SafeText.lines(text())
        entries[key] = value
        order.append(key)
        if order.count > capacity { entries[order.removeFirst()] = nil }
        return value
    }
}
