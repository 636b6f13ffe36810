import BlindReviewCore
@testable import BlindReviewTUI
import XCTest

final class AnnotationUpdateTests: XCTestCase {
    func testStartRecordsTheOpenedPair() throws {
        let h = try Harness()
        XCTAssertEqual(h.journal.map(\.type), [.open])
        XCTAssertEqual(h.journal[0].slot, 0)
        XCTAssertEqual(h.state.slot, 0)
    }

    func testScoringMovesDownThenToTheOtherSideThenToThePreference() throws {
        var h = try Harness()
        h.type("5453")
        XCTAssertEqual(h.score(.a, "accuracy"), 5)
        XCTAssertEqual(h.score(.a, "fluency"), 3)
        XCTAssertEqual(h.state.rubricSide, .b, "after A's last criterion, B's first missing one")
        XCTAssertEqual(h.state.rubricRow, .criterion(0))
        h.type("2222")
        XCTAssertEqual(h.score(.b, "fluency"), 2)
        XCTAssertEqual(h.state.rubricRow, .preference)
        h.type("a")
        XCTAssertEqual(h.state.judgment.preference, "a")
        XCTAssertTrue(h.state.isComplete(0))
        let ratings = h.journal.filter { $0.type == .rating }
        XCTAssertEqual(ratings.count, 8)
        XCTAssertEqual(Set(ratings.prefix(4).map(\.response)), [h.entry.a], "ratings name the response id, not the side")
    }

    func testScoresOutsideTheScaleOrOffACriterionAreExplainedNotSaved() throws {
        var h = try Harness()
        h.type("7")
        XCTAssertEqual(h.state.message, "Accuracy is scored 1-5")
        h.press(.up, .down, .down, .down, .down)  // to the preference row
        XCTAssertEqual(h.state.rubricRow, .preference)
        h.type("3")
        XCTAssertEqual(h.state.message, "Move to a criterion (↑ ↓) to score it")
        XCTAssertEqual(h.journal.count, 1)
    }

    func testSameScoreTwiceWritesOnceAndClearWritesAClear() throws {
        var h = try Harness()
        h.type("4")
        h.press(.up)
        h.type("4")
        XCTAssertEqual(h.journal.filter { $0.type == .rating }.count, 1)
        h.press(.up)
        h.type("x")
        XCTAssertNil(h.score(.a, "accuracy"))
        XCTAssertEqual(h.journal.last?.type, .rating)
        XCTAssertNil(h.journal.last?.value)
    }

    func testUndoManyLevelsAndAcrossPairs() throws {
        var h = try Harness()
        h.type("54")
        h.type("b")
        XCTAssertEqual(h.state.judgment.preference, "b")
        h.press(.character("y"))  // unknown key: nothing
        h.press(.character("n"))  // asks: missing fields
        guard case .confirmLeave(let target, let missing) = h.state.overlay else { return XCTFail("expected a confirmation") }
        XCTAssertEqual(target, 1)
        XCTAssertEqual(missing.count, 6)
        h.press(.character("y"))
        XCTAssertEqual(h.state.slot, 1)
        h.type("3")
        XCTAssertEqual(h.score(.a, "accuracy"), 3)
        h.press(.character("u"))
        XCTAssertNil(h.score(.a, "accuracy"))
        XCTAssertEqual(h.state.slot, 1)
        h.press(.character("u"))  // the preference on pair 1: the UI goes back there
        XCTAssertEqual(h.state.slot, 0)
        XCTAssertNil(h.state.judgment.preference)
        XCTAssertEqual(h.state.message, "Went to pair 1. Undone: the preference is focused again")
        XCTAssertEqual(h.state.rubricRow, .preference)
        h.press(.character("u"), .character("u"))
        XCTAssertNil(h.score(.a, "accuracy"))
        h.press(.character("u"))
        XCTAssertEqual(h.state.message, "Nothing to undo")
    }

    /// Found in review: after `u` the focus stayed on the next criterion, so the redo score landed elsewhere.
    func testUndoPutsTheFocusBackOnTheUndoneField() throws {
        var h = try Harness()
        h.type("4")
        XCTAssertEqual(h.state.rubricRow, .criterion(1), "a score moves on")
        h.press(.character("u"))
        XCTAssertEqual(h.state.rubricRow, .criterion(0), "undo comes back to the undone criterion")
        XCTAssertEqual(h.state.rubricSide, .a)
        h.type("2")
        XCTAssertEqual(h.score(.a, "accuracy"), 2, "the redo lands on the criterion that was undone")
        XCTAssertNil(h.score(.a, "relevance"))
        // The last criterion of A moves to B; undoing it comes back to A.
        h.type("345")
        XCTAssertEqual(h.state.rubricSide, .b)
        XCTAssertEqual(h.state.message, "Now scoring response B: Accuracy", "the side switch is said on screen")
        h.press(.character("u"))
        XCTAssertEqual(h.state.rubricSide, .a)
        XCTAssertEqual(h.state.focus, .responseA)
        XCTAssertEqual(h.state.rubricRow, .criterion(3))
        assertScreen(h, contains: ["Undone: Fluency for response A is focused again"])
        // A note.
        h.press(.character("e"))
        h.type("hm")
        h.press(.enter, .up, .up)
        h.press(.character("u"))
        XCTAssertEqual(h.state.rubricRow, .note)
    }

    /// Found in review: a pasted multi-line note was read as keys and recorded scores nobody chose.
    func testPasteGoesOnlyIntoTheNoteBeingEdited() throws {
        var h = try Harness()
        h.press(.paste("a 5\nb\n4 t"))
        XCTAssertTrue(h.journal.allSatisfy { !$0.isChange }, "nothing scored or chosen by a paste")
        XCTAssertEqual(h.state.message, "Paste ignored: paste only into a note being typed (e, or f)")
        assertScreen(h, contains: ["Paste ignored: paste only into a note being typed (e, or f)", "? q"])
        h.press(.character("e"))
        h.type("see: ")
        h.press(.paste("line one\nline two\r\nthree"))
        assertScreen(h, contains: ["see: line one line two three▏"])
        h.press(.enter)
        XCTAssertEqual(h.state.judgment.note, "see: line one line two three")
        XCTAssertEqual(h.journal.filter(\.isChange).count, 1)
    }

    func testResumeAfterRestartOpensTheFirstUnfinishedPairWithEverythingInPlace() throws {
        var h = try Harness()
        h.type("55554444a")
        h.press(.character("n"))
        h.type("3")
        h.press(.character("q"))
        XCTAssertTrue(h.quit)
        // Fold what was written into a fresh journal state, as reopening does.
        var folded = JournalState(slotCount: h.state.queue.count)
        for event in h.journal { try folded.apply(event) }
        let reopened = try Harness(journal: folded)
        XCTAssertEqual(reopened.state.slot, 1, "first unfinished")
        XCTAssertEqual(reopened.score(.a, "accuracy"), 3)
        XCTAssertTrue(reopened.state.isComplete(0))
        XCTAssertEqual(reopened.state.journal.undoable.count, 10, "undo works after a restart")
    }

    func testNavigationNextPreviousAndNextUnfinished() throws {
        var h = try Harness()
        h.type("55554444a")
        h.press(.character("n"))
        XCTAssertEqual(h.state.slot, 1)
        h.press(.character("p"))
        guard case .confirmLeave(0, _) = h.state.overlay else { return XCTFail("leaving an unfinished pair asks") }
        h.press(.character("y"))
        XCTAssertEqual(h.state.slot, 0)
        h.press(.character("]"))
        XCTAssertEqual(h.state.slot, 1, "a finished pair is left without asking")
        h.press(.character("p"), .character("y"))
        h.press(.character("g"))
        XCTAssertEqual(h.state.slot, 1, "g goes to the next unfinished pair")
        h.press(.character("["))
        XCTAssertEqual(h.state.overlay, .confirmLeave(target: 0, missing: h.state.judgment.missing(rubric: .standard, entry: h.entry)))
        h.press(.escape)
        XCTAssertEqual(h.state.slot, 1)
        XCTAssertEqual(h.state.message, "Stayed on this pair")
        h.press(.character("p"))
        XCTAssertEqual(h.state.message, nil)
    }

    func testLeavingRecordsActiveTimeWithoutLongPauses() throws {
        var h = try Harness()
        h.press(.character("5"), seconds: 10)
        h.press(.character("5"), seconds: 4000)  // a long pause: not counted
        h.press(.character("5"), seconds: 5)
        h.press(.character("q"), seconds: 2)
        let leave = h.journal.last { $0.type == .leave }!
        XCTAssertEqual(leave.activeSeconds, 17)
        XCTAssertEqual(leave.slot, 0)
    }

    func testSummaryWhenEveryPairIsDone() throws {
        var h = try Harness(pairs: Array(Harness.defaultPairs.prefix(2)))
        h.type("55554444a")
        h.press(.character("n"))
        h.type("11112222t")
        XCTAssertEqual(h.state.overlay, .summary)
        assertScreen(h, contains: ["All 2 pairs are done", "q  quit"])
        h.press(.character("p"))
        XCTAssertEqual(h.state.overlay, .none)
        XCTAssertEqual(h.state.slot, 0)
        let reopened = try Harness(pairs: Array(Harness.defaultPairs.prefix(2)), journal: h.state.journal)
        XCTAssertEqual(reopened.state.overlay, .summary, "opening a finished queue shows the summary")
    }

    func testNoteEditingSavesOnEnterAndCancelsOnEscape() throws {
        var h = try Harness()
        h.press(.character("e"))
        h.type("both vague")
        h.press(.backspace)
        h.press(.enter)
        XCTAssertEqual(h.state.judgment.note, "both vagu")
        h.press(.character("e"))
        h.type("zzz")
        h.press(.escape)
        XCTAssertEqual(h.state.judgment.note, "both vagu")
        XCTAssertEqual(h.journal.filter { $0.type == .note }.count, 1)
    }

    func testFocusScrollAndReferenceToggle() throws {
        let long = (1...200).map { "Line \($0) of a long answer." }.joined(separator: "\n")
        var h = try Harness(pairs: [("Q?", long, "short", "gold")], width: 80, height: 24)
        let responseOnLeft = h.entry.a
        let longSide: Side = h.state.item!.response(responseOnLeft)!.turns[0].hasPrefix("Line") ? .a : .b
        if longSide == .b { h.press(.tab) }
        XCTAssertEqual(h.state.shownNarrowSide, longSide)
        h.press(.pageDown)
        XCTAssertGreaterThan(h.state.scroll[longSide == .a ? .responseA : .responseB] ?? 0, 0)
        h.press(.end)
        assertScreen(h, contains: ["Line 200 of a long answer.", "/200"])
        h.press(.home)
        assertScreen(h, contains: ["Line 1 of a long answer.", "line 1/200 ↓"])
        assertScreen(h, contains: ["Reference answer", "gold"])
        h.press(.character("r"))
        assertScreen(h, contains: ["Reference answer hidden (r to show)"])
        XCTAssertFalse(h.text.contains("gold"))
    }

    func testHelpOverlayOpensAndAnyKeyClosesIt() throws {
        var h = try Harness()
        h.press(.character("?"))
        XCTAssertEqual(h.state.overlay, .help)
        assertScreen(h, contains: ["Keys", "next unfinished pair", "undo the last change"])
        h.press(.character("5"))
        XCTAssertEqual(h.state.overlay, .none)
        XCTAssertNil(h.score(.a, "accuracy"), "the key that closed help did nothing else")
    }

    func testInterruptQuitsEvenWhileEditing() throws {
        var h = try Harness()
        h.press(.character("e"))
        h.press(.interrupt)
        XCTAssertTrue(h.quit)
    }

    func testCustomRubricOptionsAreTheKeys() throws {
        var rubric = Rubric.standard
        rubric.criteria = [rubric.criteria[0]]
        rubric.preference.options = [
            PreferenceOption(id: "a_much", label: "A much better", key: "A", favours: .a),
            PreferenceOption(id: "same", label: "Same", key: "s", favours: nil),
            PreferenceOption(id: "b_much", label: "B much better", key: "B", favours: .b),
        ]
        var h = try Harness(rubric: rubric)
        h.type("4")
        h.type("3")
        h.type("s")
        XCTAssertEqual(h.state.judgment.preference, "same")
        XCTAssertTrue(h.state.isComplete(0))
        assertScreen(h, contains: ["[✓ Same]", "(A) A much better"])
    }
}

/// A rubric with no criterion (only a preference) is valid; the UI once trapped on it at startup.
final class PreferenceOnlyRubricTests: XCTestCase {
    func testAPreferenceOnlyRubricOpensScoresAndMovesOn() throws {
        let rubric = Rubric(name: "pref", criteria: [], preference: Rubric.standard.preference)
        try RubricLoader.validate(rubric)
        var h = try Harness(rubric: rubric)
        XCTAssertEqual(h.state.rubricRow, .preference)
        for size in [(60, 18), (80, 24), (200, 60)] {
            h.state.width = size.0
            h.state.height = size.1
            _ = h.screen
        }
        h.type("1")
        XCTAssertTrue(h.journal.filter { $0.type == .rating }.isEmpty, "no criterion to score")
        h.type("a")
        XCTAssertEqual(h.journal.last { $0.type == .preference }?.option, "a")
        XCTAssertTrue(h.state.isComplete(0))
        h.type("n")
        XCTAssertEqual(h.state.slot, 1)
        XCTAssertEqual(h.state.rubricRow, .preference)
    }
}

extension PreferenceOnlyRubricTests {
    func testACriteriaOnlyRubricCompletesWithoutAPreference() throws {
        var standard = Rubric.standard
        standard.criteria = Array(standard.criteria.prefix(1))
        standard.preference.options = []
        standard.preference.required = false
        try RubricLoader.validate(standard)
        var h = try Harness(rubric: standard)
        _ = h.screen
        h.type("4")
        h.type("2")
        XCTAssertTrue(h.state.isComplete(0))
        h.type("a")
        XCTAssertNil(h.journal.last { $0.type == .preference }, "no option to choose")
        for size in [(60, 18), (80, 24)] {
            h.state.width = size.0
            h.state.height = size.1
            _ = h.screen
        }
    }
}
