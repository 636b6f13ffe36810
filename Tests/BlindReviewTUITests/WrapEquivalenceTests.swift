@testable import BlindReviewTUI
import XCTest

/// The fast paths of SafeText.lines and TextWrapper.wrapLine (bytes for ASCII, characters only around other
/// text) give exactly what the character-by-character definitions give, on random mixes of ASCII, spaces,
/// tabs, CR, LF, CJK, emoji, combining marks and control characters, at many widths.
final class WrapEquivalenceTests: XCTestCase {
    /// SafeText.lines as first written: character by character.
    static func linesByCharacter(_ text: String) -> [String] {
        var lines: [String] = []
        var current = ""
        var column = 0
        for character in text {
            if character == "\n" || character == "\r\n" {
                lines.append(current)
                current = ""
                column = 0
                continue
            }
            if character == "\t" {
                let spaces = 4 - column % 4
                current += String(repeating: " ", count: spaces)
                column += spaces
                continue
            }
            let safe = SafeText.visible(character)
            current += safe
            column += DisplayWidth.of(safe)
        }
        lines.append(current)
        return lines
    }

    /// TextWrapper.wrapLine as first written: words and spaces built up as strings.
    static func wrapLineByCharacter(_ line: String, width: Int, into out: inout [String]) {
        if line.isEmpty {
            out.append("")
            return
        }
        var current = "", word = "", spaces = ""
        var currentWidth = 0, wordWidth = 0, spacesWidth = 0
        func flushWord() {
            guard !word.isEmpty else { return }
            if currentWidth + spacesWidth + wordWidth <= width {
                current += spaces + word
                currentWidth += spacesWidth + wordWidth
            } else {
                if !current.isEmpty { out.append(current) }
                current = ""
                currentWidth = 0
                for character in word {
                    let w = DisplayWidth.of(character)
                    if currentWidth + w > width && !current.isEmpty {
                        out.append(current)
                        current = ""
                        currentWidth = 0
                    }
                    current.append(character)
                    currentWidth += w
                }
            }
            word = ""
            wordWidth = 0
            spaces = ""
            spacesWidth = 0
        }
        for character in line {
            if character == " " {
                if !word.isEmpty { flushWord() }
                spaces.append(" ")
                spacesWidth += 1
            } else {
                word.append(character)
                wordWidth += DisplayWidth.of(character)
                if DisplayWidth.of(character) == 2 { flushWord() }
            }
        }
        flushWord()
        if !current.isEmpty || out.isEmpty || spacesWidth > 0 { out.append(current) }
    }

    func testFastPathsMatchTheCharacterByCharacterDefinitions() {
        let pieces = ["a", "word", "longerwordthanaline", " ", "  ", "\t", "\n", "\r\n", "\r", "日本語", "界", "👍", "👍🏽",
                      "e\u{301}", "\u{301}", "🇫🇷", "\u{1B}[31m", "\u{202E}", "x,y", "é", "ि", "\u{7F}", "\u{85}"]
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        for round in 0..<1_500 {
            let text = (0..<next(40)).map { _ in pieces[next(round % 3 == 0 ? 5 : pieces.count)] }.joined()
            let lines = SafeText.lines(text)
            XCTAssertEqual(lines, Self.linesByCharacter(text), text.debugDescription)
            for width in [1, 2, 3, 5, 8, 13, 40] {
                for line in lines {
                    var fast: [String] = [], slow: [String] = []
                    TextWrapper.wrapLine(line, width: width, into: &fast)
                    Self.wrapLineByCharacter(line, width: width, into: &slow)
                    XCTAssertEqual(fast, slow, "\(line.debugDescription) at \(width)")
                }
            }
        }
    }
}

/// Each response is wrapped once per frame: the layout measures it at the width it is drawn at.
final class WrapOncePerFrameTests: XCTestCase {
    func testSideBySideResponsesAreWrappedAtTheirDrawnWidthOnly() throws {
        let long = String(repeating: "word ", count: 400)
        for width in [120, 121, 200, 201] {
            let harness = try Harness(pairs: [("Q?", long, long, nil)], width: width, height: 40)
            let state = harness.state
            _ = AnnotationView.render(state)
            let layout = Layout(state)
            // One entry per side, at the width drawn (A and B differ by a column at even widths).
            XCTAssertEqual(state.responseLineCache.count, 2, "width \(width)")
            XCTAssertEqual(state.responseLines(.b, width: layout.textWidth(.responseB)).count,
                           state.responseLines(.b, width: layout.textWidth(.responseB)).count)
            XCTAssertEqual(state.responseLineCache.count, 2, "width \(width): drawing used another width than the layout")
        }
    }
}

/// The lazy wrapping (``LineWrapper`` a line at a time, ``WrappedLines`` as far as read) gives exactly the eager
/// lines, on hostile text at many widths, whatever order the lines are read in.
final class LazyWrapEquivalenceTests: XCTestCase {
    static let pieces = ["a", "word", "longerwordthanaline", String(repeating: "x", count: 90), " ", "  ", String(repeating: " ", count: 30),
                         "\t", "\n", "\r\n", "\r", "日本語", "界", String(repeating: "漢字", count: 40), "👍", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "\u{200D}",
                         "e\u{301}", "\u{301}", "\u{301}\u{302}\u{303}", "🇫🇷", "\u{1B}[31m", "\u{1B}]0;title\u{7}", "\u{9B}2J", "\u{202E}",
                         "\u{0}", "\u{7F}", "\u{85}", "\u{E0041}", "\u{AD}", "x,y", "é", "ि", "\u{FFFD}"]

    struct Generator {
        var state: UInt64
        mutating func below(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        mutating func text(pieces count: Int) -> String {
            (0..<count).map { _ in LazyWrapEquivalenceTests.pieces[below(LazyWrapEquivalenceTests.pieces.count)] }.joined()
        }
    }

    static let widths = [1, 2, 3, 4, 5, 7, 8, 11, 13, 20, 39, 40, 79, 118, 200]

    func testLineWrapperGivesTheCharacterByCharacterLinesOneAtATime() {
        var generator = Generator(state: 7)
        for round in 0..<400 {
            let text = generator.text(pieces: 1 + generator.below(round % 10 == 0 ? 300 : 40))
            for line in SafeText.lines(text) {
                for width in Self.widths {
                    var lazy: [String] = []
                    var wrapper = LineWrapper(line, width: width)
                    while let range = wrapper.next() { lazy.append(String(line[range])) }
                    XCTAssertNil(wrapper.next(), "stays finished")
                    var slow: [String] = []
                    WrapEquivalenceTests.wrapLineByCharacter(line, width: width, into: &slow)
                    XCTAssertEqual(lazy, slow, "\(line.debugDescription) at \(width)")
                }
            }
        }
    }

    /// The lines as the eager reading gave them: each part in turn, texts wrapped line by line, an empty text
    /// replaced by the `whenEmpty` line.
    static func eager(_ parts: [WrappedLines.Part], width: Int, whenEmpty: StyledLine?) -> [StyledLine] {
        var lines: [StyledLine] = []
        for part in parts {
            switch part {
            case .line(let line): lines.append(line)
            case .rawLine(let raw):
                var out: [String] = []
                WrapEquivalenceTests.wrapLineByCharacter(WrapEquivalenceTests.linesByCharacter(String(raw))[0], width: width, into: &out)
                lines += out.map { StyledLine(text: $0, style: .plain) }
            case .text(let safe):
                for line in safe {
                    var out: [String] = []
                    WrapEquivalenceTests.wrapLineByCharacter(line, width: width, into: &out)
                    lines += out.map { StyledLine(text: $0, style: .plain) }
                }
            }
        }
        if let whenEmpty, lines.isEmpty || (lines.count == 1 && lines[0].text.isEmpty) { lines = [whenEmpty] }
        return lines
    }

    func testWrappedLinesReadInAnyOrderAreTheEagerLines() {
        var generator = Generator(state: 11)
        let header = StyledLine(text: "▌Turn", style: CellStyle(bold: true))
        let empty = StyledLine(text: "(empty response)", style: .dim)
        for round in 0..<300 {
            var parts: [WrappedLines.Part] = []
            for _ in 0..<generator.below(4) {
                if generator.below(3) == 0 { parts.append(.line(header)) }
                // Some texts empty or only spaces: the empty rule must still see them whole.
                let size = [0, 1, 3, 40, 200][generator.below(5)]
                parts.append(.text(SafeText.lines(size == 0 ? "" : generator.text(pieces: size))))
            }
            let width = Self.widths[round % Self.widths.count]
            let whenEmpty = round % 2 == 0 ? empty : nil
            let expected = Self.eager(parts, width: width, whenEmpty: whenEmpty)
            let lazy = WrappedLines(parts, width: width, whenEmpty: whenEmpty)
            // Random reads first, each checked against the eager lines, then the whole.
            for _ in 0..<6 {
                switch generator.below(4) {
                case 0:
                    let index = generator.below(expected.count + 3)
                    XCTAssertEqual(lazy.line(index), index < expected.count ? expected[index] : nil, "line \(index) at \(width)")
                case 1:
                    let start = generator.below(expected.count + 2), length = generator.below(30)
                    XCTAssertEqual(lazy.lines(start..<(start + length)), Array(expected[min(start, expected.count)..<min(start + length, expected.count)]))
                case 2:
                    let limit = generator.below(expected.count + 5)
                    XCTAssertEqual(lazy.count(atMost: limit), min(limit, expected.count))
                default:
                    XCTAssertTrue(lazy.knownCount == nil || lazy.knownCount == expected.count)
                }
            }
            XCTAssertEqual(lazy.all, expected, "round \(round) at \(width)")
            XCTAssertEqual(lazy.count, expected.count)
            XCTAssertEqual(lazy.knownCount, expected.count)
        }
    }

    func testHugeLinesMadeSafeInGrowingPrefixesGiveTheEagerLines() {
        var generator = Generator(state: 23)
        for round in 0..<8 {
            // 100-300 KB lines of hostile pieces (tabs keep their stops across the cuts), some with a long run
            // without spaces or printable ASCII after a space, where no prefix can end.
            var text = ""
            while text.utf8.count < 100_000 + round * 25_000 { text += generator.text(pieces: 50) }
            if round % 3 == 2 { text += String(repeating: "漢\t字", count: 30_000) + " end" }
            // Long words: cuts inside them, while a word is being cut into pieces and while it is not yet.
            if round % 3 == 1 { text += String(repeating: "ab", count: 40_000) + " x " + String(repeating: "q日", count: 20_000) }
            text = String(decoding: text.utf8.map { $0 == 0x0A ? 0x20 : $0 == 0x0D ? 0x09 : $0 }, as: UTF8.self)
            let parts = SafeLinesCache.parts("intro line\n" + text + "\nlast line")
            XCTAssertEqual(parts.count, 3, "a .text, the huge .rawLine, a .text")
            for width in [1, 7, 38, 79, 200] {
                let expected = TextWrapper.wrap("intro line\n" + text + "\nlast line", width: width).map { StyledLine(text: $0, style: .plain) }
                let lazy = WrappedLines(parts, width: width)
                for _ in 0..<4 {
                    let start = generator.below(expected.count), length = generator.below(400)
                    XCTAssertEqual(lazy.lines(start..<(start + length)), Array(expected[start..<min(start + length, expected.count)]), "round \(round) at \(width)")
                }
                XCTAssertEqual(lazy.all, expected, "round \(round) at \(width)")
            }
        }
    }

    func testAHugeTextIsWrappedOnlyAsFarAsRead() {
        let text = String(repeating: "lorem ipsum 日本語 dolor 👍 sit amet ", count: 20_000)  // about 800 KB, one line
        let lazy = WrappedLines(SafeLinesCache.parts(text), width: 78)
        XCTAssertEqual(lazy.lines(0..<20), Array(TextWrapper.wrap(String(text.prefix(5000)), width: 78).prefix(20)).map { StyledLine(text: $0, style: .plain) })
        XCTAssertEqual(lazy.count(atMost: 60), 60)
        XCTAssertNil(lazy.knownCount, "more than WrappedLines.eagerBytes: not wrapped to the end to draw a page")
        XCTAssertEqual(lazy.count, TextWrapper.wrap(text, width: 78).count)
        XCTAssertNotNil(lazy.knownCount)
        // A small text shows its total at once.
        XCTAssertEqual(WrappedLines([.text(SafeText.lines(String(text.prefix(1000))))], width: 78).knownCount,
                       TextWrapper.wrap(String(text.prefix(1000)), width: 78).count)
    }
}
