import BlindReviewCore
@testable import BlindReviewTUI
import XCTest

/// Notices the annotator must not miss (the journal replaced on disk and merged, the lead's amendment) stay on
/// screen through the keys of their first seconds; an ordinary line goes at the next key.
///
/// Found by CI: the idle check merged a replaced journal and showed the notice a moment before the annotator's
/// next key arrived, and that key wiped it, so the annotator never learned an orphan copy had been kept.
final class HeldNoticeTests: XCTestCase {
    let notice = "The journal was replaced on disk; the old copy is kept as demo.jsonl.orphan-1 and 1 change(s) from it were merged"

    func testAReloadNoticeSurvivesTheKeysOfItsFirstSecondsThenGoes() throws {
        var h = try Harness()
        let (reloaded, _) = AnnotationUpdate.update(h.state, .journalReloaded(h.state.journal, notice: notice, time: h.time))
        h.state = reloaded
        h.type("4")  // a second later: the score is taken and the notice stays
        XCTAssertEqual(h.score(.a, "accuracy"), 4)
        XCTAssertEqual(h.state.message, notice)
        assertScreen(h, contains: ["replaced on disk"])
        h.press(.down, seconds: 3)
        XCTAssertEqual(h.state.message, notice, "4 s after: still shown")
        h.press(.down, seconds: 5)
        XCTAssertNil(h.state.message, "9 s after: the next key clears it as any line")
        XCTAssertNil(h.state.heldMessageUntil)
    }

    func testALineOfTheAnnotatorsOwnReplacesAHeldNoticeForGood() throws {
        var h = try Harness()
        let (reloaded, _) = AnnotationUpdate.update(h.state, .journalReloaded(h.state.journal, notice: notice, time: h.time))
        h.state = reloaded
        h.type("u")  // nothing to undo: its own line replaces the notice
        XCTAssertNotEqual(h.state.message, notice)
        h.type("4")
        XCTAssertNotEqual(h.state.message, notice, "the replaced notice does not come back")
        XCTAssertNil(h.state.heldMessageUntil)
    }

    func testAnOrdinaryLineStillGoesAtTheNextKey() throws {
        var h = try Harness()
        h.type("u")
        XCTAssertNotNil(h.state.message)
        h.type("4")
        XCTAssertNil(h.state.message)
    }
}
