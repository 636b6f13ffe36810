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
        /// One line as written (from ``SafeText/rawLines(_:)``), made safe only as far as it is read: a huge
        /// line is made safe and wrapped in growing prefixes (see ``grow()``).
        case rawLine(Substring)
    }

    /// A line longer than this many bytes is made safe as far as read (see ``SafeLinesCache``).
    public static let hugeLineBytes = 64 * 1024
    /// The first prefix of a huge line made safe; each next one is four times longer.
    static let firstPrefixBytes = 16 * 1024

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
    /// While a huge line is read from a prefix: where the prefix ends in it (nil once it is read whole), its
    /// length asked for, its lines returned so far and where they start among the entries.
    private var rawCut: String.Index?
    private var prefixBytes = 0
    private var wrapperEmitted = 0
    private var lineFirstEntry = 0
    /// The safe text (a prefix, or the whole) of each huge line read so far, by part.
    private var madeSafe: [Int: String] = [:]

    public init(_ parts: [Part], width: Int, whenEmpty: StyledLine? = nil) {
        self.parts = parts
        self.width = max(1, width)
        self.whenEmpty = whenEmpty
        var bytes = 0
        for part in parts {
            switch part {
            case .line: break
            case .text(let lines): for line in lines { bytes += line.utf8.count }
            case .rawLine(let line): bytes += line.utf8.count
            }
        }
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
            switch parts[Int(part)] {
            case .text(let lines): return StyledLine(text: String(lines[Int(line)][range]), style: .plain)
            default: return StyledLine(text: String(madeSafe[Int(part)]![range]), style: .plain)
            }
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
                    if rawCut != nil, let before = wrapper!.linesBeforeEnd, wrapperEmitted >= before {
                        // This line ends the prefix, not the line: read a longer prefix.
                        grow()
                        continue
                    }
                    entries.append(.piece(part: Int32(partIndex), line: Int32(lineIndex), range: range))
                    wrapperEmitted += 1
                    return
                }
                if rawCut != nil {
                    grow()
                    continue
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
            case .rawLine(let line):
                if lineIndex == 0 {
                    lineFirstEntry = entries.count
                    prefixBytes = line.utf8.count > WrappedLines.hugeLineBytes ? WrappedLines.firstPrefixBytes : line.utf8.count
                    readPrefix(line)
                } else {
                    partIndex += 1
                    lineIndex = 0
                }
            }
        }
    }

    /// Makes the first `prefixBytes` of a huge line safe (cut between two printable ASCII characters, or at its
    /// end) and starts wrapping it. Both the safe-making and the wrapper read such a prefix exactly as they read
    /// the whole line up to the cut (an ASCII character followed by ASCII is a character of its own, kept as it
    /// is), so the lines the wrapper finds before reaching the cut are the whole line's first lines
    /// (``LineWrapper/linesBeforeEnd``): a word cut in two only delays its line to the next prefix.
    private func readPrefix(_ line: Substring) {
        let utf8 = line.utf8
        var cut = utf8.index(utf8.startIndex, offsetBy: prefixBytes, limitedBy: utf8.endIndex) ?? utf8.endIndex
        while cut > utf8.startIndex, cut < utf8.endIndex {
            let before = utf8[utf8.index(before: cut)], byte = utf8[cut]
            if (0x20...0x7E).contains(before), (0x20...0x7E).contains(byte) { break }
            cut = utf8.index(after: cut)
        }
        let safe = SafeText.safe(cut == utf8.endIndex ? line : line[..<cut])
        rawCut = cut == utf8.endIndex ? nil : cut
        madeSafe[partIndex] = safe
        wrapper = LineWrapper(safe, width: width)
        wrapperEmitted = 0
    }

    /// The lines so far came from a prefix: the line's lines are read again from one four times longer.
    private func grow() {
        guard case .rawLine(let line) = parts[partIndex] else { return }
        entries.removeSubrange(lineFirstEntry...)
        prefixBytes *= 4
        readPrefix(line)
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

/// Each text's lines as ``WrappedLines`` parts, which do not depend on the width: lines made safe (huge lines left
/// as written, made safe as far as read). A resize wraps again but does not make the text safe again.
public final class SafeLinesCache: @unchecked Sendable {
    private var entries: [String: [WrappedLines.Part]] = [:]
    private var order: [String] = []
    private let capacity: Int

    public init(capacity: Int = 8) { self.capacity = capacity }

    public func parts(key: String, text: () -> String) -> [WrappedLines.Part] {
        if let hit = entries[key] { return hit }
        let value = SafeLinesCache.parts(text())
        entries[key] = value
        order.append(key)
        if order.count > capacity { entries[order.removeFirst()] = nil }
        return value
    }

    /// `text`'s lines: runs of ordinary lines made safe now, each huge one (over ``WrappedLines/hugeLineBytes``)
    /// as written.
    static func parts(_ text: String) -> [WrappedLines.Part] {
        var parts: [WrappedLines.Part] = []
        var run: [String] = []
        for raw in SafeText.rawLines(text) {
            if raw.utf8.count > WrappedLines.hugeLineBytes {
                if !run.isEmpty { parts.append(.text(run)) }
                run = []
                parts.append(.rawLine(raw))
            } else {
                run.append(SafeText.safe(raw))
            }
        }
        if !run.isEmpty { parts.append(.text(run)) }
        return parts
    }
}
