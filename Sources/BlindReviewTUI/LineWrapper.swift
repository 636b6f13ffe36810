/// The wrapping of one safe line (no line breaks) at a column width, one output line at a time: ``next()`` gives
/// the next line as a range of the input, reading only as far as it needs. ``TextWrapper/wrapLine(_:width:into:)``
/// runs it to the end; ``WrappedLines`` runs it only as far as the lines on screen, so a 5 MB line shows its
/// first page after reading only that page's words.
///
/// Lines break at spaces (dropped at the break) by display width; a word wider than the line is cut into
/// line-sized pieces, and each wide character (CJK, emoji) is a word of its own so lines fill up.
///
///     var wrapper = LineWrapper("the quick brown fox", width: 9)
///     wrapper.next()   // the range of "the quick"
///     wrapper.next()   // the range of "brown fox"
///     wrapper.next()   // nil
///
/// Runs of ASCII are measured a byte at a time (one column each); only around other bytes are characters
/// (grapheme clusters) formed and measured. A word wider than the line is cut while it is read, so even a
/// line with no space in it yields its first pieces at once.
///
/// - Complexity: O(n) in the line's length over all calls; a call reads up to the end of the line it returns
///   (and the spaces after it).
public struct LineWrapper {
    public let line: String
    public let width: Int
    private let utf8: String.UTF8View
    private let end: String.Index
    /// The next position to read.
    private var position: String.Index
    // The current output line, the word being read and the spaces before it, as ranges of `line`.
    private var current: Range<String.Index>?
    private var currentWidth = 0
    private var wordStart: String.Index, wordEnd: String.Index
    private var wordWidth = 0
    private var spacesStart: String.Index
    private var spacesWidth = 0
    /// The word being read is wider than a line: it is being cut into pieces as it is read, up to `cut`.
    private var cutting = false
    private var cut: String.Index
    /// Lines found but not yet returned (at most a few: one read step emits at most two).
    private var ready: [Range<String.Index>] = []
    private var readyHead = 0
    private var emitted = 0
    private var finished = false
    /// How many lines were found before the end of ``line`` was read (nil until then). When ``line`` is a
    /// prefix of a longer line cut between two printable ASCII characters, exactly these first lines are the
    /// longer line's first lines too: the rest come from the end of the prefix (see ``WrappedLines``).
    public private(set) var linesBeforeEnd: Int?
    /// Each distinct character other than ASCII is measured once (a language's letters repeat).
    private var widths: [Character: Int] = [:]

    public init(_ line: String, width: Int) {
        self.line = line
        self.width = width
        utf8 = line.utf8
        end = utf8.endIndex
        position = utf8.startIndex
        wordStart = position
        wordEnd = position
        spacesStart = position
        cut = position
    }

    /// The next output line as a range of ``line`` (an empty range for an empty line), or nil after the last.
    public mutating func next() -> Range<String.Index>? {
        while readyHead == ready.count {
            if finished { return nil }
            read()
        }
        let range = ready[readyHead]
        readyHead += 1
        if readyHead == ready.count {
            ready.removeAll(keepingCapacity: true)
            readyHead = 0
        }
        return range
    }

    private var hasWord: Bool { wordStart < wordEnd }

    private mutating func emit(_ range: Range<String.Index>?) {
        ready.append(range ?? position..<position)
        emitted += 1
    }

    /// Reads one character (or, at the end, finishes the line).
    private mutating func read() {
        guard position < end else {
            linesBeforeEnd = emitted
            flushWord()
            // An empty line, or one of only spaces, is one empty line; trailing spaces end the last line.
            if current != nil || emitted == 0 || spacesWidth > 0 { emit(current) }
            finished = true
            return
        }
        let i = position
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
            if cutting {
                cutUnit(i, next, w)
                cut = next
            } else if wordWidth > width {
                // It cannot fit on any line: what flushing it would do (end the current line, cut the word into
                // pieces) is done now, and the rest of the word is cut as it comes.
                if current != nil { emit(current) }
                current = nil
                currentWidth = 0
                cutting = true
                cut = wordStart
                while cut < wordEnd {
                    let (after, unitWidth) = unit(at: cut)
                    cutUnit(cut, after, unitWidth)
                    cut = after
                }
            }
            // CJK text has no spaces: let every wide character be its own word so lines fill up.
            if w == 2 {
                flushWord()
                wordStart = next
                wordEnd = next
            }
        }
        position = next
    }

    /// Adds the character `start..<after` (of width `w`) to the line being cut, starting a new line when full.
    private mutating func cutUnit(_ start: String.Index, _ after: String.Index, _ w: Int) {
        if currentWidth + w > width && current != nil {
            emit(current)
            current = nil
            currentWidth = 0
        }
        current = (current?.lowerBound ?? start)..<after
        currentWidth += w
    }

    private mutating func flushWord() {
        guard hasWord else { return }
        if cutting {
            cutting = false
        } else if currentWidth + spacesWidth + wordWidth <= width {
            // The spaces before the word go with it (at the start of a line too); they lie just before it.
            current = (current?.lowerBound ?? (spacesWidth > 0 ? spacesStart : wordStart))..<wordEnd
            currentWidth += spacesWidth + wordWidth
        } else {
            // It does not fit here but fits a line (wider words are cut as they are read): it starts the next.
            if current != nil { emit(current) }
            current = wordStart..<wordEnd
            currentWidth = wordWidth
        }
        wordStart = wordEnd
        wordWidth = 0
        spacesWidth = 0
    }

    /// The character starting at `i`: where it ends and its width. ASCII followed by ASCII is a character of its
    /// own (no combining mark can follow); anything else is formed as a grapheme cluster.
    private mutating func unit(at i: String.Index) -> (String.Index, Int) {
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
}
