import BlindReviewCore
@testable import BlindReviewTUI
import XCTest

/// The study's guidelines: shown on a first open and under `i`, scrolled with j/Space, closed by any other key.
final class GuidelinesTests: XCTestCase {
    let text = "# How to judge\n\nRead the prompt first.\n" + (1...40).map { "- rule \($0)" }.joined(separator: "\n") + "\nLast line."

    func testShownOnFirstOpenScrolledAndClosed() throws {
        var h = try Harness(width: 80, height: 24)
        h.state.showGuidelinesOnFirstOpen(text)
        XCTAssertEqual(h.state.overlay, .guidelines)
        assertScreen(h, contains: ["Guidelines (i) (line 1/", "# How to judge", "Read the prompt first.", "↓ j/Space more"])
        h.press(.character(" "), .character(" "), .character(" "))
        assertScreen(h, contains: ["Last line.", "any key closes"])
        XCTAssertFalse(h.text.contains("Read the prompt first."))
        h.press(.character("4"))  // closes; not a score
        XCTAssertEqual(h.state.overlay, .none)
        XCTAssertTrue(h.journal.allSatisfy { !$0.isChange })
        h.press(.character("i"))
        XCTAssertEqual(h.state.overlay, .guidelines)
    }

    func testNotShownAgainOnceStartedAndAbsentGuidelinesAreSaid() throws {
        var h = try Harness(width: 60, height: 18)
        h.type("4")
        h.state.showGuidelinesOnFirstOpen(text)
        XCTAssertEqual(h.state.overlay, .none, "this annotator has started: no interruption")
        var none = try Harness(width: 60, height: 18)
        none.press(.character("i"))
        XCTAssertEqual(none.state.overlay, .none)
        assertScreen(none, contains: ["This study has no guidelines"])
    }
}
