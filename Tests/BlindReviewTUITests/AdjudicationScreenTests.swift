import BlindReviewCore
@testable import BlindReviewTUI
import XCTest

/// The annotation screen restricted to the pairs to adjudicate, with the others' verdicts in this screen's sides.
final class AdjudicationScreenTests: XCTestCase {
    func brief(_ slots: [Int]) -> AdjudicationBrief {
        var pairs: [Int: AdjudicationBrief.Pair] = [:]
        for slot in slots {
            pairs[slot] = AdjudicationBrief.Pair(reason: slot == slots[0] ? "flagged: broken (bo)" : "disputed: 1-1", verdicts: [
                .init(annotator: "ann", choice: "A is better", side: .a,
                      scores: [(criterion: "accuracy", a: 4, b: 2), (criterion: "helpfulness", a: nil, b: nil)], note: "B invents a date", flag: nil),
                .init(annotator: "bo", choice: "B is better", side: .b, scores: [], note: nil, flag: "broken: cut off"),
            ])
        }
        return AdjudicationBrief(slots: slots, pairs: pairs)
    }

    func adjudicating(_ slots: [Int] = [5, 2, 7], width: Int = 80, height: Int = 24) throws -> Harness {
        var h = try Harness(width: width, height: height, annotator: "lead")
        h.state.adjudicate(brief(slots))
        let (started, effects) = AnnotationUpdate.start(h.state, time: h.time)
        h.state = started
        h.run(effects)
        return h
    }

    func testVisitsOnlyTheRankedPairsInOrder() throws {
        var h = try adjudicating()
        XCTAssertEqual(h.state.slot, 5)
        assertScreen(h, contains: ["adjudicating 1/3", "0 done · 3 left"])
        h.press(.character("n"), .character("y"))  // leave without a verdict: confirmed
        XCTAssertEqual(h.state.slot, 2)
        assertScreen(h, contains: ["adjudicating 2/3"])
        h.press(.character("n"), .character("y"))
        XCTAssertEqual(h.state.slot, 7)
        h.press(.character("n"))
        XCTAssertEqual(h.state.slot, 7)
        XCTAssertEqual(h.state.message, "This is the last pair (g: next unfinished)")
        h.press(.character("p"), .character("y"), .character("p"), .character("y"))
        XCTAssertEqual(h.state.slot, 5)
        h.press(.character("p"))
        XCTAssertEqual(h.state.message, "This is the first pair")
    }

    func testAVerdictIsEnoughAndTheSummaryCountsOnlyThesePairs() throws {
        var h = try adjudicating()
        // Leaving without a verdict asks first, and names what is missing.
        h.press(.character("n"))
        guard case .confirmLeave(_, let missing) = h.state.overlay else { return XCTFail("no confirmation: \(h.state.overlay)") }
        XCTAssertEqual(missing, ["the final verdict (a/b/t)"])
        h.press(.character("n"))
        h.press(.character("b"))
        XCTAssertEqual(h.state.doneCount, 1, "no scores needed")
        XCTAssertEqual(h.journal.last?.option, "b")
        XCTAssertEqual(h.journal.last?.slot, 5)
        h.press(.character("g"))
        XCTAssertEqual(h.state.slot, 2)
        h.press(.character("t"), .character("g"))
        XCTAssertEqual(h.state.slot, 7)
        h.press(.character("a"))
        XCTAssertEqual(h.state.overlay, .summary)
        assertScreen(h, contains: ["All 3 pairs are done"])
    }

    func testOthersVerdictsInFooterAndOverlayAtEverySize() throws {
        for (width, height) in [(60, 18), (80, 24), (200, 60)] {
            var h = try adjudicating(width: width, height: height)
            let footer = h.screen.lines()[height - 1]
            XCTAssertTrue(footer.contains("v ") && footer.contains("flagged"), "\(width)x\(height) footer: \(footer)")
            XCTAssertTrue(footer.contains("? help") && footer.contains("q quit"), footer)
            h.press(.character("v"))
            XCTAssertEqual(h.state.overlay, .verdicts)
            assertScreen(h, contains: ["What the others said", "flagged: broken (bo)", "ann: A is better", "bo: B is better", "A 4 B 2", "cut off"])
            if height >= 24 { assertScreen(h, contains: ["note: B invents a date"]) }
            XCTAssertFalse(h.text.contains("base") || h.text.contains("tuned"), "no model named")
            h.press(.character("x"))
            XCTAssertEqual(h.state.overlay, .none)
        }
        var h = try adjudicating(width: 200, height: 60)
        assertScreen(h, contains: ["flagged: broken (bo) · ann A · bo B"])
        h.press(.character("n"), .character("y"))  // leave, confirmed
        assertScreen(h, contains: ["disputed: 1-1"])
    }

    func testVOutsideAdjudicationOnlyExplains() throws {
        var h = try Harness()
        h.press(.character("v"))
        XCTAssertEqual(h.state.overlay, .none)
        XCTAssertTrue(h.state.message?.contains("blindreview adjudicate") == true)
        XCTAssertTrue(AnnotationKeys.isReserved("v"))
    }

    /// `v` joined the reserved keys after rubrics could use it: a new rubric may not take it, but a stored study
    /// whose rubric does still opens, and there `v` keeps choosing that option.
    func testAStoredRubricWithKeyVStillOpensAndKeepsItsOption() throws {
        let rubric = Rubric(name: "v", criteria: [], preference: PreferenceQuestion(question: "Better?", options: [
            PreferenceOption(id: "left", label: "Left", key: "v", favours: .a),
            PreferenceOption(id: "right", label: "Right", key: "w", favours: .b),
        ]))
        XCTAssertThrowsError(try RubricLoader.validate(rubric))
        XCTAssertNoThrow(try RubricLoader.validate(rubric, stored: true))
        var h = try Harness(rubric: rubric)
        h.press(.character("v"))
        XCTAssertEqual(h.state.judgment.preference, "left")
        XCTAssertEqual(h.state.overlay, .none)
    }
}
