import BlindReviewCore
@testable import BlindReviewTUI
import Foundation
import XCTest

/// `/` searches the prompt and both responses; `n` / `N` move between hits, Esc ends, `]` still changes pair.
final class SearchTests: XCTestCase {
    let pairs = [
        (prompt: "Which river is longest?", a: "The Nile is usually named.\n" + String(repeating: "filler line\n", count: 30) + "Some say the Amazon river.",
         b: "The Amazon, by some measures; the nile by others.", reference: nil as String?),
        (prompt: "Second?", a: "no river here", b: "nothing", reference: nil as String?),
    ]

    func testHitsAreFoundMarkedAndVisitedInOrder() throws {
        var h = try Harness(pairs: [pairs[0]], width: 80, height: 24)
        h.press(.character("/"))
        h.type("nile")
        assertScreen(h, contains: ["/ search: nile▏"])
        h.press(.enter)
        let hits = h.state.searchHits(Layout(h.state))
        XCTAssertEqual(hits.map(\.panel), [.responseA, .responseB], "case ignored: Nile and nile")
        XCTAssertEqual(h.state.focus, .responseA)
        assertScreen(h, contains: ["\"nile\" 1/2", "n next", "N previous", "Esc end search"])
        // The hit's cells are marked, the rest of the line is not.
        let grid = h.screen
        let row = grid.lines().firstIndex { $0.range(of: "nile", options: .caseInsensitive) != nil && !$0.contains("search") }!
        let line = grid.lines()[row]
        let column = line.distance(from: line.startIndex, to: line.range(of: "nile", options: .caseInsensitive)!.lowerBound)
        for x in column..<(column + 4) { XCTAssertTrue(grid[x, row].style.reverse && grid[x, row].style.underline, "column \(x)") }
        XCTAssertFalse(grid[column - 2, row].style.reverse)
        XCTAssertFalse(grid[column + 5, row].style.reverse)
        h.press(.character("n"))
        XCTAssertEqual(h.state.focus, .responseB, "the next hit is in B: B is shown")
        assertScreen(h, contains: ["\"nile\" 2/2", "Response B"])
        h.press(.character("n"))
        XCTAssertEqual(h.state.search?.current, 0, "wraps around")
        h.press(.character("N"))
        XCTAssertEqual(h.state.search?.current, 1)
        XCTAssertTrue(h.journal.allSatisfy { !$0.isChange }, "n never scored or moved pairs while searching")
        XCTAssertEqual(h.state.slot, 0)
    }

    func testAHitBelowTheFoldIsScrolledIntoView() throws {
        var h = try Harness(pairs: [pairs[0]], width: 80, height: 24)
        h.press(.character("/"))
        h.type("amazon")
        h.press(.enter)
        var visited = 0
        for _ in 0..<2 {
            let hit = h.state.searchHits(Layout(h.state))[h.state.search!.current]
            if hit.line > 10 {
                XCTAssertGreaterThan(h.state.scroll[hit.panel] ?? 0, 0, "scrolled down to the Amazon line")
                assertScreen(h, contains: ["Some say the Amazon river."])
                visited += 1
            }
            h.press(.character("n"))
        }
        XCTAssertEqual(visited, 1)
    }

    func testEscEndsTheSearchAndBracketStillChangesPair() throws {
        var h = try Harness(pairs: pairs, width: 80, height: 24)
        h.press(.character("/"))
        h.type("river")
        h.press(.enter)
        XCTAssertNotNil(h.state.search)
        h.press(.character("]"))
        XCTAssertEqual(h.state.overlay, .confirmLeave(target: 1, missing: h.state.judgment.missing(rubric: h.state.rubric, entry: h.entry)))
        h.press(.character("y"))
        XCTAssertEqual(h.state.slot, 1, "] goes to the next pair during a search")
        h.press(.character("n"))
        XCTAssertEqual(h.state.slot, 1, "n is the next hit while searching")
        assertScreen(h, contains: ["\"river\" 1/"])
        h.press(.escape)
        XCTAssertNil(h.state.search)
        assertScreen(h, contains: ["Search ended"])
        h.press(.character("/"))
        h.press(.paste("ze\nbra"))
        assertScreen(h, contains: ["/ search: ze bra▏"])  // a paste goes into the search text, as one line
        h.press(.backspace, .backspace, .backspace, .backspace)
        h.type("bra")
        h.press(.enter)
        assertScreen(h, contains: ["No match for \"zebra\""])
    }
}
