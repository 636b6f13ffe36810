import BlindReviewCore
@testable import BlindReviewTUI
import XCTest

/// `d` marks what differs between A and B: word by word, computed once per pair.
final class DiffTests: XCTestCase {
    func testWordDiffEdgeCases() {
        XCTAssertEqual(WordDiff.changed([], []).old, [])
        XCTAssertEqual(WordDiff.changed(["a"], []).old, [0])
        XCTAssertEqual(WordDiff.changed([], ["a"]).new, [0])
        let same = WordDiff.changed(["a", "b"], ["a", "b"])
        XCTAssertTrue(same.old.isEmpty && same.new.isEmpty && same.exact)
        let one = WordDiff.changed(["a", "b", "c"], ["a", "x", "c"])
        XCTAssertEqual(one.old, [1])
        XCTAssertEqual(one.new, [1])
        let moved = WordDiff.changed(["the", "cat", "sat", "on", "the", "mat"], ["the", "cat", "sat", "quietly", "on", "a", "mat"])
        XCTAssertEqual(moved.old, [4])
        XCTAssertEqual(moved.new, [3, 5])
        // Above the cap: the whole middle is marked, not compared.
        let big = (0..<1_100).map { "w\($0)" }
        let rough = WordDiff.changed(["start"] + big + ["end"], ["start"] + big.reversed() + ["end"])
        XCTAssertFalse(rough.exact)
        XCTAssertEqual(rough.old, Set(1...1_100))
    }

    /// A base and a fine-tune that differ in one sentence: exactly the changed words are marked, cell by cell.
    func testKnownPairIsMarkedWordByWord() throws {
        let base = "Open Settings and choose Security. Then tap Recent activity to see every device."
        let tuned = "Open Settings and choose Privacy. Then tap Recent activity to see every signed-in device."
        var h = try Harness(pairs: [(prompt: "Devices?", a: base, b: tuned, reference: nil)], width: 200, height: 40)
        h.press(.character("d"))
        assertScreen(h, contains: ["Differences between A and B marked word by word", "Response A · differences", "Response B · differences"])
        let grid = h.screen
        func marked(_ word: String) -> [Bool] {
            var result: [Bool] = []
            for (y, line) in grid.lines().enumerated() {
                var search = line.startIndex
                while let range = line.range(of: word, range: search..<line.endIndex) {
                    let x = line.distance(from: line.startIndex, to: range.lowerBound)
                    result.append((x..<(x + word.count)).allSatisfy { grid[$0, y].style.underline && grid[$0, y].style.bold })
                    search = range.upperBound
                }
            }
            return result
        }
        XCTAssertEqual(marked("Security."), [true])
        XCTAssertEqual(marked("Privacy."), [true])
        XCTAssertEqual(marked("signed-in"), [true])
        XCTAssertEqual(marked("Settings"), [false, false], "common words are not marked")
        XCTAssertEqual(marked("device."), [false, false])
        // Cached: the same diff object serves every key on this pair.
        XCTAssertEqual(h.state.pairDiff?.level, .word)
        h.press(.down, .down, .up, .tab)
        _ = h.screen
        XCTAssertEqual(h.state.diffCache.computed, 1, "computed once for the pair, whatever the keys")
        h.press(.character("d"))
        XCTAssertFalse(h.text.contains("· differences"))
    }

    func testMarksFollowWrappingAndTurns() {
        let diff = PairDiff(a: ["one two three four"], b: ["one two THREE four"])
        let marks = diff.marks(.b, turns: ["one two THREE four"], width: 9)
        // Wrapped as "one two" / "THREE" / "four": only the second line is marked, in full.
        XCTAssertNil(marks[0])
        XCTAssertEqual(marks[1]?.map(\.column), [0])
        XCTAssertEqual(marks[1]?.map(\.width), [5])
        XCTAssertNil(marks[2])
        let turns = PairDiff(a: ["same", "x y"], b: ["same", "x z"])
        let turnMarks = turns.marks(.a, turns: ["same", "x y"], width: 20)
        // Rows: "▌Turn 1", "same", "▌Turn 2", "x y".
        XCTAssertEqual(turnMarks.keys.sorted(), [3])
        XCTAssertEqual(turnMarks[3]?.first?.column, 2)
    }
}
