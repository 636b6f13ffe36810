import BlindReviewCore
@testable import BlindReviewTUI
import XCTest

/// The smallest supported screen (60x18) and the ordinary one (80x24) show everything needed to finish a pair.
final class SmallScreenTests: XCTestCase {
    func harness(width: Int, height: Int, name: String = "t", annotator: String = "ann", prompt: String = "Question?") throws -> Harness {
        let pairs = (1...3).map { (prompt: prompt + " \($0)", a: String(repeating: "Answer A words. ", count: 40), b: "Answer B.", reference: nil as String?) }
        return try Harness(pairs: pairs, width: width, height: height, studyName: name, annotator: annotator)
    }

    func testSixtyByEighteenShowsScoresEveryOptionSavedStatePairHelpAndQuit() throws {
        var h = try harness(width: 60, height: 18)
        h.type("4")
        let lines = h.screen.lines()
        XCTAssertTrue(lines[0].contains("pair 1/3"), lines[0])
        XCTAssertTrue(lines[0].contains("saved ✓"), lines[0])
        let preference = lines.first { $0.contains("Preference") } ?? ""
        for option in ["(a)", "(b)", "(t)"] { XCTAssertTrue(preference.contains(option), preference) }
        XCTAssertTrue(lines.contains { $0.contains("Accuracy") && $0.contains("[4]") })
        for criterion in ["Relevance", "Format compliance", "Fluency"] { XCTAssertTrue(h.text.contains(criterion), criterion) }
        let footer = lines.last!
        XCTAssertTrue(footer.contains("? help") && footer.contains("q quit"), footer)
        XCTAssertTrue(footer.contains("score"), footer)
    }

    func testAFailedSaveStillShowsThePairAndTheWarningAtSixtyColumns() throws {
        var h = try harness(width: 60, height: 18, name: String(repeating: "long", count: 10))
        (h.state, _) = AnnotationUpdate.update(h.state, .saveFailed("disk full"))
        let lines = h.screen.lines()
        XCTAssertTrue(lines[0].contains("pair 1/3") && lines[0].contains("NOT SAVED ✗"), lines[0])
        XCTAssertTrue(lines.last!.contains("NOT SAVED: disk full") && lines.last!.contains("? q"), lines.last!)
    }

    func testLongNamesAreShortenedWithAnEllipsisBeforeAnythingElseGoes() throws {
        let long = String(repeating: "verylongname", count: 6)
        for width in [60, 80] {
            var h = try harness(width: width, height: 24, name: long, annotator: "annotator-" + String(repeating: "verylongname", count: 4))
            h.type("3")
            let header = h.screen.lines()[0]
            XCTAssertTrue(header.contains("pair 1/3"), header)
            XCTAssertTrue(header.contains("saved ✓"), header)
            XCTAssertTrue(header.contains("…"), header)
            XCTAssertEqual(DisplayWidth.of(header), width)
        }
    }

    func testTheFocusedAnchorShowsInFullAtEightyByTwentyFour() throws {
        var h = try harness(width: 80, height: 24)
        let criterion = h.state.rubric.criteria[0]
        let text = h.text.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
        XCTAssertTrue(text.contains(criterion.description), text)
        for score in [criterion.min, criterion.max] {
            XCTAssertTrue(text.contains(criterion.anchor(for: score)!), "anchor \(score) in full:\n\(h.text)")
        }
        h.type("3")
        h.press(.up)
        let chosen = h.text.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
        XCTAssertTrue(chosen.contains(criterion.anchor(for: 3)!), chosen)
    }

    func testEveryScrollingPanelHasAMarker() throws {
        let prompt = (1...12).map { "Prompt line \($0)." }.joined(separator: "\n")
        var h = try harness(width: 80, height: 24, prompt: prompt)
        let title = h.screen.lines().first { $0.contains("Prompt") }!
        XCTAssertTrue(title.contains("↓"), "more prompt below: \(title)")
        let response = h.screen.lines().first { $0.contains("Response A") }!
        XCTAssertTrue(response.contains("↓"), response)
        h.press(.backTab, .pageDown)
        let scrolled = h.screen.lines().first { $0.contains("Prompt") }!
        XCTAssertTrue(scrolled.contains("↑"), "text above: \(scrolled)")
    }
}
