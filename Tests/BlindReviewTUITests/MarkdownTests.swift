import BlindReviewCore
@testable import BlindReviewTUI
import XCTest

/// `m`: a Markdown-aware view; raw text is the default.
final class MarkdownTests: XCTestCase {
    let response = """
        ## Steps
        1. Open the settings and look for the security section of your account page.
        - a bullet
          - nested bullet
        > quoted advice
        ```swift
        let x = veryLongFunctionName(argumentOne: 1, argumentTwo: 2, argumentThree: 3)
            indented()
        ```
        Plain **bold** stays as typed.
        """

    func testRendering() {
        let lines = MarkdownLines.render(response, width: 40)
        XCTAssertEqual(lines[0].text, "Steps")
        XCTAssertTrue(lines[0].style.bold)
        XCTAssertEqual(lines[1].text, "1. Open the settings and look for the")
        XCTAssertEqual(lines[2].text, "   security section of your account", "hanging indent under the text")
        XCTAssertTrue(lines.contains { $0.text == "• a bullet" })
        XCTAssertTrue(lines.contains { $0.text == "  • nested bullet" })
        XCTAssertTrue(lines.contains { $0.text == "┃ quoted advice" })
        let open = lines.firstIndex { $0.text == "┌ code (swift)" }!
        XCTAssertEqual(lines[open + 1].text, "│ let x = veryLongFunctionName(argument↩", "code is cut, never reflowed")
        XCTAssertEqual(lines[open + 2].text, "│ One: 1, argumentTwo: 2, argumentThree↩")
        XCTAssertTrue(lines.contains { $0.text == "│     indented()" }, "indent kept verbatim")
        XCTAssertTrue(lines.contains { $0.text == "└" })
        XCTAssertEqual(lines.last?.text, "Plain **bold** stays as typed.")
        for line in lines { XCTAssertLessThanOrEqual(DisplayWidth.of(line.text), 40, line.text) }
    }

    func testToggleOnScreen() throws {
        var h = try Harness(pairs: [(prompt: "How?", a: response, b: response, reference: nil)], width: 80, height: 30)
        assertScreen(h, contains: ["## Steps", "```swift"])
        h.press(.character("m"))
        assertScreen(h, contains: ["Response A · markdown", "┌ code (swift)", "• a bullet"])
        XCTAssertFalse(h.text.contains("## Steps"))
        h.press(.character("/"))
        h.type("indented")
        h.press(.enter)
        XCTAssertEqual(h.state.searchHits(Layout(h.state)).count, 2, "search reads the lines shown")
        h.press(.escape, .character("m"))
        assertScreen(h, contains: ["## Steps"])
    }
}
