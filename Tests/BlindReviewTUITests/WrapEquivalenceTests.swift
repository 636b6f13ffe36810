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
            XCTAssertEqual(state.markdownCache.count, 2, "width \(width)")
            XCTAssertEqual(state.responseLines(.b, width: layout.textWidth(.responseB)).count,
                           state.responseLines(.b, width: layout.textWidth(.responseB)).count)
            XCTAssertEqual(state.markdownCache.count, 2, "width \(width): drawing used another width than the layout")
        }
    }
}
