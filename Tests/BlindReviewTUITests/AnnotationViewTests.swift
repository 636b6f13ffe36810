import BlindReviewCore
@testable import BlindReviewTUI
import XCTest

final class AnnotationViewTests: XCTestCase {
    /// Every row fits the grid's width exactly: nothing spills or overlaps.
    func assertWellFormed(_ grid: ScreenGrid, file: StaticString = #filePath, line: UInt = #line) {
        for (y, row) in grid.lines().enumerated() {
            XCTAssertEqual(DisplayWidth.of(row), grid.width, "row \(y) is \(DisplayWidth.of(row)) wide: \(row)", file: file, line: line)
            XCTAssertFalse(row.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "control character on row \(y)", file: file, line: line)
        }
    }

    func testEightyByTwentyFourShowsEverythingOneResponseAtATime() throws {
        var h = try Harness(width: 80, height: 24)
        let grid = h.screen
        assertWellFormed(grid)
        let lines = grid.lines()
        XCTAssertTrue(lines[0].contains("blindreview · t · ann · pair 1/8"))
        XCTAssertTrue(lines[0].contains("0 done · 8 left"))
        assertScreen(h, contains: ["Prompt", "User", "Response A  (Tab: B)", "Accuracy", "Relevance", "Format compliance", "Fluency", "Preference", "Note", "1-5 score"])
        XCTAssertFalse(h.text.contains("Response B  (Tab"), "one response below 120 columns")
        XCTAssertFalse(h.text.contains("Answer B to") && h.text.contains("Answer A to"), "one response below 120 columns")
        h.press(.tab, .tab)
        assertScreen(h, contains: ["Response B  (Tab: A)"])
        h.type("4")
        assertScreen(h, contains: ["[4]", "saved ✓"])
        assertWellFormed(h.screen)
    }

    func testTwoHundredBySixtyShowsBothResponsesSideBySide() throws {
        let h = try Harness(width: 200, height: 60)
        let grid = h.screen
        assertWellFormed(grid)
        assertScreen(h, contains: ["Response A", "Response B", "Answer A to question", "Answer B to question"])
        let row = grid.lines().first { $0.contains("Response A") }!
        XCTAssertTrue(row.contains("Response B"), "same row: side by side")
    }

    func testNothingNamesAModel() throws {
        var h = try Harness(width: 200, height: 60)
        h.type("5555")
        h.press(.character("?"))
        for text in [h.text, try Harness(width: 80, height: 24).text] {
            XCTAssertFalse(text.contains("base") || text.contains("tuned"), text)
        }
    }

    func testCJKEmojiAndCombiningMarksLayOutInBothSizes() throws {
        let pairs = [(
            prompt: "日本語で説明してください 🙏 — café, naïve, Ångström, e\u{301}",
            a: String(repeating: "これは長い日本語の回答です。絵文字も👍🏽含みます。", count: 12),
            b: "Réponse en français avec des accents: à, é, ü, ñ, ç; et des emoji ❤️🇫🇷 🎉",
            reference: "참고 답변 (Korean reference)"
        )]
        for (width, height) in [(80, 24), (200, 60), (120, 40), (61, 18)] {
            var h = try Harness(pairs: pairs, width: width, height: height)
            assertWellFormed(h.screen)
            assertScreen(h, contains: ["日本語で説明して"])
            // On the smallest screens the reference is one scroll away.
            h.press(.tab, .tab)
            XCTAssertEqual(h.state.focus, .prompt)
            h.press(.end)
            assertScreen(h, contains: ["참고 답변"])
            assertWellFormed(h.screen)
        }
        var wide = try Harness(pairs: pairs, width: 200, height: 60)
        assertScreen(wide, contains: ["これは長い日本語の回答です", "❤️🇫🇷"])
        wide.press(.end)
        assertWellFormed(wide.screen)
    }

    func testHostileResponsesCannotReachTheTerminalRaw() throws {
        let hostile = "Click\u{1B}]0;owned\u{07} here\u{1B}[2J\u{1B}[31mRED\u{0}NUL\rCR\tTAB \u{9B}1m \u{202E}gnp.exe \u{FFFD}"
        let pairs = [(prompt: "p\u{1B}[1m", a: hostile, b: hostile, reference: nil as String?)]
        for (width, height) in [(80, 24), (200, 60)] {
            var h = try Harness(pairs: pairs, width: width, height: height)
            h.press(.character("e"))
            h.type("note \u{1B}[5m")
            h.press(.enter)
            let grid = h.screen
            assertWellFormed(grid)
            assertScreen(h, contains: ["␛]0;owned␇", "␛[2J", "␀NUL␍CR", "⟨U+202E⟩", "note ␛[5m"])
            for cell in grid.cells {
                XCTAssertFalse(cell.text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0 || $0.value == 0x9B || $0.value == 0x0D })
            }
        }
    }

    func testTinyTerminalShowsAMessageAndRecovers() throws {
        var h = try Harness(width: 80, height: 24)
        for (width, height) in [(20, 5), (59, 30), (100, 10), (1, 1), (0, 0)] {
            let (next, _) = AnnotationUpdate.update(h.state, .resize(width: width, height: height))
            h.state = next
            let grid = h.screen
            XCTAssertEqual(grid.width, width)
            if width >= 20 { XCTAssertTrue(h.text.contains("too small"), "\(width)x\(height): \(h.text)") }
            h.type("5")  // keys are ignored while too small, never crash
        }
        XCTAssertNil(h.score(.a, "accuracy"))
        let (back, _) = AnnotationUpdate.update(h.state, .resize(width: 80, height: 24))
        h.state = back
        assertWellFormed(h.screen)
        assertScreen(h, contains: ["Response A", "Rubric"])
    }

    func testEveryScreenAtBothSizes() throws {
        for (width, height) in [(80, 24), (200, 60)] {
            var h = try Harness(width: width, height: height)
            h.press(.character("?"))
            assertWellFormed(h.screen)
            assertScreen(h, contains: ["Keys", "quit (everything is already saved)", "Every change is saved", "any"])
            h.press(.escape)
            h.type("5")
            h.press(.character("n"))
            assertWellFormed(h.screen)
            assertScreen(h, contains: ["Leave this pair?", "Relevance A"])
            h.press(.character("n"))
            h.press(.character("e"))
            h.type("a long note " + String(repeating: "word ", count: 40))
            assertWellFormed(h.screen)
            assertScreen(h, contains: ["Enter save", "▏"])
            h.press(.enter)
        }
    }

    func testFooterKeepsHelpAndQuitAtEightyColumns() throws {
        let h = try Harness(width: 80, height: 24)
        let footer = h.screen.lines().last!
        XCTAssertTrue(footer.contains("? help") && footer.contains("q quit"), footer)
    }

    func testLeaveConfirmationListsEveryMissingFieldAtEightyColumns() throws {
        var h = try Harness(width: 80, height: 24)
        h.type("5")
        h.press(.character("n"))
        assertScreen(h, contains: ["Relevance A", "Fluency A", "Format compliance B", "and 2 more"])
        assertWellFormed(h.screen)
    }

    func testAShortResponseLeavesRoomForTheWholePrompt() throws {
        let prompt = (1...6).map { "Prompt line \($0)." }.joined(separator: "\n")
        let h = try Harness(pairs: [(prompt, "short A", "short B", "gold line")], width: 80, height: 24)
        assertScreen(h, contains: ["Prompt line 1.", "Prompt line 6.", "gold line", "short"])
    }

    func testChosenScoresAreVisibleWithoutColour() throws {
        var h = try Harness(width: 80, height: 24)
        h.type("3")
        let row = h.screen.lines().first { $0.contains("Accuracy") }!
        XCTAssertTrue(row.contains("[3]"), row)
        h.press(.character("t"))
        assertScreen(h, contains: ["[✓ Tie]"])
    }
}

/// A graded scale at 60 columns: shortened labels must not read alike ("A …" twice).
final class GradedScaleViewTests: XCTestCase {
    func testShortenedGradedOptionsStayDistinct() throws {
        let scale = PreferenceQuestion(question: "Which is better?", options: [
            PreferenceOption(id: "a2", label: "A much better", key: "A", favours: .a, strength: 2),
            PreferenceOption(id: "a1", label: "A better", key: "a", favours: .a),
            PreferenceOption(id: "tie", label: "Tie", key: "t", favours: nil),
            PreferenceOption(id: "b1", label: "B better", key: "b", favours: .b),
            PreferenceOption(id: "b2", label: "B much better", key: "B", favours: .b, strength: 2),
        ])
        let rubric = Rubric(name: "graded", criteria: Array(Rubric.standard.criteria.prefix(1)), preference: scale)
        let narrow = try Harness(width: 60, height: 18, rubric: rubric)
        let line = try XCTUnwrap(narrow.screen.lines().first { $0.contains("Preference") })
        for shown in ["(A) A++", "(a) A+", "(t) tie", "(b) B+", "(B) B++"] { XCTAssertTrue(line.contains(shown), line) }
        let wide = try Harness(width: 200, height: 60, rubric: rubric)
        let full = try XCTUnwrap(wide.screen.lines().first { $0.contains("Preference") })
        XCTAssertTrue(full.contains("(A) A much better") && full.contains("(b) B better"), full)
    }
}
