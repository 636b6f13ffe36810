import BlindReviewCore
@testable import BlindReviewTUI
import Foundation
import XCTest

/// `f` flags a pair for the lead: a reason, an optional note, saved and undone like any change.
final class FlagTests: XCTestCase {
    func testFlagWithANoteIsSavedShownAndUndoable() throws {
        var h = try Harness(width: 80, height: 24)
        h.press(.character("f"))
        assertScreen(h, contains: ["Flag pair", "b  broken", "d  duplicate", "o  offensive", "u  unsure"])
        h.press(.character("b"))
        assertScreen(h, contains: ["⚑ broken, note (optional; Enter saves, Esc cancels): ▏"])
        h.type("cut off")
        h.press(.paste("\nmid-word"))
        h.press(.enter)
        let event = try XCTUnwrap(h.journal.last)
        XCTAssertEqual(event.type, .flag)
        XCTAssertEqual(event.option, "broken")
        XCTAssertEqual(event.text, "cut off mid-word")
        XCTAssertEqual(h.state.judgment.flag, "broken")
        XCTAssertEqual(h.state.judgment.flagNote, "cut off mid-word")
        XCTAssertTrue(h.screen.lines().contains { $0.hasPrefix("─ Rubric") && $0.contains("⚑ broken: cut off") }, h.text)
        XCTAssertTrue(h.journal.allSatisfy { $0.type != .rating && $0.type != .preference }, "no key typed in the note scored anything")
        h.press(.character("u"))
        XCTAssertNil(h.state.judgment.flag)
        XCTAssertFalse(h.text.contains("⚑"))
    }

    func testClearAndCancel() throws {
        var h = try Harness(width: 60, height: 18)
        h.press(.character("f"), .character("u"), .enter)
        XCTAssertEqual(h.state.judgment.flag, "unsure")
        XCTAssertNil(h.state.judgment.flagNote)
        h.press(.character("f"), .character("c"))
        XCTAssertNil(h.state.judgment.flag)
        XCTAssertEqual(h.journal.last?.type, .flag)
        XCTAssertNil(h.journal.last?.option)
        let count = h.journal.count
        h.press(.character("f"), .character("o"), .escape)
        h.press(.character("f"), .escape)
        XCTAssertEqual(h.journal.count, count, "cancelled twice: nothing written")
        XCTAssertNil(h.state.judgment.flag)
    }

    /// A journal with flag events reloads; older journals without them are unchanged.
    func testFlagEventsFoldAndValidate() throws {
        var state = JournalState(slotCount: 2)
        try state.apply(JournalEvent(seq: 1, type: .flag, slot: 1, item: "x", option: "duplicate", text: "same as 3"))
        XCTAssertEqual(state.slots[1].flag, "duplicate")
        XCTAssertEqual(state.slots[1].flagNote, "same as 3")
        try state.apply(JournalEvent(seq: 2, type: .undo, target: 1))
        XCTAssertNil(state.slots[1].flag)
        XCTAssertNil(state.slots[1].flagNote)
        let line = Data(#"{"item":"q7","option":"broken","seq":6,"slot":2,"t":"x","text":"cut off","type":"flag"}"#.utf8)
        let parsed = try JSONDecoder().decode(JournalEvent.self, from: line)
        XCTAssertEqual(parsed.type, .flag)
        XCTAssertEqual(parsed.option, "broken")
    }
}
