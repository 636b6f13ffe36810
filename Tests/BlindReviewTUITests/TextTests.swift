@testable import BlindReviewTUI
import XCTest

final class TextTests: XCTestCase {
    func testDisplayWidths() {
        XCTAssertEqual(DisplayWidth.of("a" as Character), 1)
        XCTAssertEqual(DisplayWidth.of("界" as Character), 2)
        XCTAssertEqual(DisplayWidth.of("한" as Character), 2)
        XCTAssertEqual(DisplayWidth.of("ｱ" as Character), 1, "halfwidth katakana")
        XCTAssertEqual(DisplayWidth.of("Ａ" as Character), 2, "fullwidth Latin")
        XCTAssertEqual(DisplayWidth.of("e\u{301}" as Character), 1, "combining acute joins its base")
        XCTAssertEqual(DisplayWidth.of("👍" as Character), 2)
        XCTAssertEqual(DisplayWidth.of("👍🏽" as Character), 2, "skin tone modifier")
        XCTAssertEqual(DisplayWidth.of("❤️" as Character), 2, "emoji presentation selector")
        XCTAssertEqual(DisplayWidth.of("🇫🇷" as Character), 2, "flag")
        XCTAssertEqual(DisplayWidth.of("日本語 ok"), 9)
    }

    func testHostileTextIsMadeVisible() {
        XCTAssertEqual(SafeText.lines("red\u{1B}[31mX\u{1B}[0m"), ["red␛[31mX␛[0m"])
        XCTAssertEqual(SafeText.lines("a\u{0}b\u{7}c\u{7F}d"), ["a␀b␇c␡d"])
        XCTAssertEqual(SafeText.lines("over\rwrite"), ["over␍write"])
        XCTAssertEqual(SafeText.lines("one\r\ntwo\nthree"), ["one", "two", "three"])
        XCTAssertEqual(SafeText.lines("\u{9B}31m"), ["⟨U+009B⟩31m"], "C1 CSI")
        XCTAssertEqual(SafeText.lines("a\tb\tc"), ["a   b   c"])
        XCTAssertEqual(SafeText.lines("abc\u{202E}txt.exe"), ["abc⟨U+202E⟩txt.exe"], "bidi override shown")
        XCTAssertEqual(SafeText.lines("zero\u{200B}width"), ["zero⟨U+200B⟩width"])
        XCTAssertEqual(SafeText.lines("e\u{301}\u{1B}"), ["é␛"])
        XCTAssertEqual(SafeText.lines("bad \u{FFFD} byte"), ["bad \u{FFFD} byte"], "invalid UTF-8 arrives as U+FFFD and stays visible")
        // Nothing below U+0020 or in U+007F-U+009F survives, whatever the input.
        var all = ""
        for value in 0..<0xA0 { all.unicodeScalars.append(Unicode.Scalar(value)!) }
        for line in SafeText.lines(all) {
            XCTAssertFalse(line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        }
    }

    func testWrappingAtWordsByDisplayWidth() {
        XCTAssertEqual(TextWrapper.wrap("the quick brown fox", width: 9), ["the quick", "brown fox"])
        XCTAssertEqual(TextWrapper.wrap("supercalifragilistic", width: 8), ["supercal", "ifragili", "stic"])
        XCTAssertEqual(TextWrapper.wrap("日本語のテキストです", width: 7), ["日本語", "のテキ", "ストで", "す"])
        XCTAssertEqual(TextWrapper.wrap("a\n\nb", width: 5), ["a", "", "b"])
        for line in TextWrapper.wrap("mixed 漢字 and emoji 👍👍👍 with café and ñ, repeated " + String(repeating: "日本 ok 👍 ", count: 20), width: 11) {
            XCTAssertLessThanOrEqual(DisplayWidth.of(line), 11, line)
        }
    }

    func testGridPlacesWideAndCombiningCharactersAndClips() {
        var grid = ScreenGrid(width: 6, height: 2)
        XCTAssertEqual(grid.put("日本語", x: 0, y: 0), 6)
        XCTAssertEqual(grid.lines()[0], "日本語")
        grid.put("ab界", x: 3, y: 1)   // 界 would straddle the edge: replaced by a space
        XCTAssertEqual(grid.lines()[1], "   ab ")
        grid.put("x", x: 1, y: 0)      // overwriting half of 日 blanks the other half
        XCTAssertEqual(grid.lines()[0], " x本語")
        var marks = ScreenGrid(width: 4, height: 1)
        marks.put("e\u{301}e\u{308}", x: 0, y: 0)
        XCTAssertEqual(marks.lines()[0], "éë  ")
        XCTAssertEqual(marks[0, 0].text, "e\u{301}")
        var tiny = ScreenGrid(width: 0, height: 0)
        tiny.put("anything", x: 0, y: 0)
        XCTAssertEqual(tiny.lines(), [])
    }

    func testWrapCacheWrapsOncePerWidth() {
        let cache = WrapCache()
        var calls = 0
        _ = cache.lines(key: "r1", width: 10) { calls += 1; return "some text here" }
        _ = cache.lines(key: "r1", width: 10) { calls += 1; return "some text here" }
        _ = cache.lines(key: "r1", width: 12) { calls += 1; return "some text here" }
        XCTAssertEqual(calls, 2)
    }
}
