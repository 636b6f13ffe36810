import BlindReviewCore
@testable import BlindReviewTUI
import XCTest

/// A change the journal could not take is never shown as saved: it stays pending, is retried on `s` or the next
/// key, and no other change is accepted meanwhile.
final class NotSavedTests: XCTestCase {
    let red = "NOT SAVED: No space left on device — your last change was not recorded"

    func testAFailedChangeShowsInRedStaysPendingAndIsRetriedOnS() throws {
        var h = try Harness()
        h.failure = "No space left on device"
        h.type("4")
        XCTAssertNil(h.score(.a, "accuracy"), "not shown as scored")
        XCTAssertEqual(h.state.message, red)
        XCTAssertEqual(h.state.unsaved.count, 1)
        assertScreen(h, contains: ["NOT SAVED ✗", "NOT SAVED: No space left on device"])
        XCTAssertFalse(h.text.contains("saved ✓"))
        let line = h.screen.text.split(separator: "\n").first { $0.contains("your last change was not recorded") }
        XCTAssertNotNil(line)

        h.type("s")  // still full: still pending, nothing written
        XCTAssertEqual(h.state.unsaved.count, 1)
        XCTAssertEqual(h.journal.count, 1, "only the opening event")

        h.failure = nil  // space is back
        h.type("s")
        XCTAssertEqual(h.score(.a, "accuracy"), 4)
        XCTAssertTrue(h.state.unsaved.isEmpty)
        XCTAssertEqual(h.state.saveStatus, .saved)
        assertScreen(h, contains: ["saved ✓"])
        XCTAssertEqual(h.journal.filter { $0.type == .rating }.count, 1)
    }

    func testOtherChangesAreRefusedWhileOneIsPendingAndTheNextKeyRetries() throws {
        var h = try Harness()
        h.failure = "Disk quota exceeded"
        h.type("4")
        h.type("a")  // a preference while the score is pending: refused
        XCTAssertNil(h.state.judgment.preference)
        XCTAssertEqual(h.state.message, "NOT SAVED: Disk quota exceeded — your last change was not recorded")
        h.press(.character("n"), .character("y"))  // moving on writes too: refused, stays on the pair
        XCTAssertEqual(h.state.slot, 0)
        XCTAssertEqual(h.state.message, "NOT SAVED: Disk quota exceeded — your last change was not recorded")
        h.failure = nil
        h.type("5")  // the next key retries the pending score; the 5 itself is refused and said so
        XCTAssertEqual(h.score(.a, "accuracy"), 4)
        XCTAssertTrue(h.state.message?.contains("press it again") == true, h.state.message ?? "")
        h.type("5")
        XCTAssertEqual(h.score(.a, "relevance"), 5)
        XCTAssertEqual(h.journal.filter { $0.type == .rating }.map(\.value), [4, 5])
    }

    func testKeysThatWriteNothingStillWorkAndQuitQuits() throws {
        var h = try Harness()
        h.failure = "File too large"
        h.type("4")
        h.type("?")
        XCTAssertEqual(h.state.overlay, .help)
        h.press(.escape)
        h.type("q")
        XCTAssertTrue(h.quit)
        XCTAssertFalse(h.state.unsaved.isEmpty, "the unsaved change is still known, for the closing line")
    }
}
