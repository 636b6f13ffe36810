@testable import BlindReviewTUI
import BlindReviewCore
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Text in many scripts, each line a hazard for terminals: ZWJ sequences, flags, skin tones, Devanagari, Thai,
/// Arabic, combining marks, CJK.
let graphemeCorpus: [String] = [
    "ZWJ: 👩‍💻 👨‍👩‍👧‍👦 🧑‍🤝‍🧑 🏳️‍🌈 ❤️‍🔥 end",
    "Flags: 🇯🇵 🇫🇷 🇧🇷 🇮🇳 🏴󠁧󠁢󠁳󠁣󠁴󠁿 end",
    "Skin tones: 👍🏽 👋🏿 🙏🏻 🧑🏾‍💻 end",
    "Devanagari: हिन्दी किताब क्षत्रिय end",
    "Thai: ภาษาไทย น้ำ กำลัง end",
    "Arabic: مرحبا بالعالم end",
    "Combining: e\u{301} a\u{308}\u{304} Z\u{335}\u{30C} n\u{303} end",
    "CJK: 日本語のテキスト 漢字 한국어 end",
]

/// The terminal's width of one code point, as ncurses and tmux see it.
func terminalWidth(_ scalar: Unicode.Scalar) -> Int {
    Int(libcWcwidth(Int32(bitPattern: scalar.value)))
}

@_silgen_name("wcwidth") func libcWcwidth(_ character: Int32) -> Int32

final class GraphemeTests: XCTestCase {
    override func setUp() {
        _ = setlocale(LC_ALL, "C.UTF-8")
    }

    func testClusterWidthsFollowTheTable() {
        XCTAssertEqual(DisplayWidth.of("👩‍💻" as Character), 2, "ZWJ sequence")
        XCTAssertEqual(DisplayWidth.of("👨‍👩‍👧‍👦" as Character), 2, "family")
        XCTAssertEqual(DisplayWidth.of("🧑🏾‍💻" as Character), 2, "skin tone and ZWJ")
        XCTAssertEqual(DisplayWidth.of("🇯🇵" as Character), 2, "flag")
        XCTAssertEqual(DisplayWidth.of("कि" as Character), 2, "Devanagari vowel sign i is a spacing mark")
        XCTAssertEqual(DisplayWidth.of("न्" as Character), 1, "virama combines")
        XCTAssertEqual(DisplayWidth.of("ที" as Character), 1, "Thai vowel above combines")
        XCTAssertEqual(DisplayWidth.of("a\u{308}\u{304}" as Character), 1)
    }

    /// Every cell of every corpus line, handed to the terminal, takes exactly the columns the grid planned.
    func testEveryCellKeepsItsPlannedColumnsInTheTerminal() {
        for line in graphemeCorpus {
            let safe = SafeText.line(line)
            var grid = ScreenGrid(width: 120, height: 1)
            let used = grid.put(safe, x: 0, y: 0)
            XCTAssertEqual(used, DisplayWidth.of(safe))
            var total = 0
            for x in 0..<grid.width where grid[x, 0].width > 0 {
                let cell = grid[x, 0]
                let plan = CellHandOff.pieces(for: cell.text, planned: cell.width, terminalWidth: terminalWidth)
                XCTAssertEqual(plan.width, cell.width, "\(cell.text.unicodeScalars.map { String($0.value, radix: 16) })")
                for piece in plan.pieces {
                    XCTAssertLessThanOrEqual(piece.scalars.count, CellHandOff.scalarsPerCell)
                    XCTAssertEqual(terminalWidth(piece.scalars[0]), piece.width, "a piece starts with its spacing code point")
                    XCTAssertTrue(piece.scalars.dropFirst().allSatisfy { terminalWidth($0) == 0 }, "the rest are zero-width")
                }
                total += plan.width
            }
            XCTAssertEqual(total, 120, line)
        }
    }

    func testFallbackKeepsTheFirstCodePointAndMarksTheCell() {
        let zwj = CellHandOff.pieces(for: "👩‍💻", planned: 2, terminalWidth: terminalWidth)
        XCTAssertTrue(zwj.shortened)
        XCTAssertEqual(zwj.pieces, [CellHandOff.Piece(scalars: ["👩"], width: 2)])
        let heart = CellHandOff.pieces(for: "❤️", planned: 2, terminalWidth: terminalWidth)
        XCTAssertTrue(heart.shortened, "wcwidth counts ❤ as one column: padded to two")
        XCTAssertEqual(heart.pieces.map(\.width), [1, 1])
        XCTAssertEqual(heart.pieces[0].scalars, ["❤"], "no variation selector in a shortened cell")
        let flag = CellHandOff.pieces(for: "🇯🇵", planned: 2, terminalWidth: terminalWidth)
        XCTAssertFalse(flag.shortened, "a flag is two one-column regional indicators: passed whole")
        XCTAssertEqual(flag.pieces.count, 2)
        let accent = CellHandOff.pieces(for: "e\u{301}", planned: 1, terminalWidth: terminalWidth)
        XCTAssertEqual(accent, CellHandOff.Plan(pieces: [CellHandOff.Piece(scalars: ["e", "\u{301}"], width: 1)], shortened: false))
        let tooMany = CellHandOff.pieces(for: "Z\u{335}\u{30C}\u{301}\u{302}\u{303}\u{304}", planned: 1, terminalWidth: terminalWidth)
        XCTAssertTrue(tooMany.shortened)
        XCTAssertEqual(tooMany.pieces[0].scalars.count, CellHandOff.scalarsPerCell)
    }

    /// The corpus in a response, drawn at each width: every row exactly fills the screen, and the hand-off of
    /// every cell keeps the planned columns.
    func testCorpusScreensAtEveryWidth() throws {
        let text = graphemeCorpus.joined(separator: "\n")
        for (width, height) in [(60, 18), (80, 24), (120, 40), (200, 60)] {
            let h = try Harness(pairs: [(prompt: graphemeCorpus[0], a: text, b: text, reference: nil)], width: width, height: height)
            let grid = h.screen
            for (y, row) in grid.lines().enumerated() {
                XCTAssertEqual(DisplayWidth.of(row), width, "row \(y): \(row)")
                var columns = 0
                for x in 0..<width where grid[x, y].width > 0 {
                    columns += CellHandOff.pieces(for: grid[x, y].text, planned: grid[x, y].width, terminalWidth: terminalWidth).width
                }
                XCTAssertEqual(columns, width, "row \(y) in the terminal: \(row)")
            }
            if height >= 24 { XCTAssertTrue(h.text.contains("Devanagari: हिन्दी किताब"), h.text) }
            if width >= Layout.sideBySideWidth {
                let divider = (width - 1) / 2
                let rows = grid.lines().indices.filter { grid[divider, $0].text == "│" }
                XCTAssertGreaterThan(rows.count, 5, "the divider between A and B stays in its column")
            }
        }
    }

    func testInvisibleCharactersAreNamed() {
        XCTAssertEqual(SafeText.line("next\u{85}line"), "next⟨U+0085⟩line")
        XCTAssertEqual(SafeText.line("\u{9B}31m"), "⟨U+009B⟩31m")
        XCTAssertEqual(SafeText.line("soft\u{AD}hyphen"), "soft⟨SHY⟩hyphen")
        XCTAssertEqual(SafeText.line("hi\u{E0069}\u{E0021}"), "hi⟨TAG i⟩⟨TAG !⟩")
        XCTAssertEqual(SafeText.line("x\u{E007F}"), "x⟨TAG END⟩")
        XCTAssertEqual(SafeText.line("🏴󠁧󠁢󠁳󠁣󠁴󠁿"), "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "a subdivision flag keeps its tags")
        XCTAssertEqual(SafeText.line("a\u{2062}b"), "a⟨U+2062⟩b", "invisible times")
    }
}

final class ReservedKeyTests: XCTestCase {
    /// Every key the update function acts on is in the one table; a rubric's preference keys must avoid them.
    func testTheTableHoldsEveryKeyTheScreenUses() {
        for character in "kjhl0123456789xn]p[g rsefu?qdm/Ni" {
            XCTAssertTrue(AnnotationKeys.isReserved(character), "\(character) missing from the table")
        }
        XCTAssertFalse(AnnotationKeys.isReserved("a"))
        XCTAssertFalse(AnnotationKeys.isReserved("b"))
        XCTAssertFalse(AnnotationKeys.isReserved("t"))
        let characters = AnnotationKeys.table.flatMap(\.characters)
        XCTAssertEqual(characters.count, Set(characters).count, "no character is bound twice")
    }
}
