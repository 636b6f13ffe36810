import BlindReviewCore
import XCTest

final class ProgressBarTests: XCTestCase {
    func testBarCountRateAndTimeLeft() {
        let line = ProgressBar.line(label: "reading", done: 250, total: 1_000, unit: "rows", elapsed: 2, width: 80)
        XCTAssertEqual(line, "reading [######--------------------]  250/1,000 rows (25%)  125 rows/s  6 s left")
        XCTAssertEqual(line.count, 80)
    }

    func testEdgesNothingDoneAllDoneAndNoTotal() {
        XCTAssertEqual(ProgressBar.line(label: "x", done: 0, total: 10, unit: "rows", elapsed: 0, width: 40),
                       "x [--------------------]  0/10 rows (0%)")
        XCTAssertEqual(ProgressBar.line(label: "x", done: 10, total: 10, unit: "rows", elapsed: 1, width: 40),
                       "x [#################]  10/10 rows (100%)")
        XCTAssertEqual(ProgressBar.line(label: "loading", done: 1_234_567, total: nil, unit: "events", elapsed: 2, width: 80),
                       "loading  1,234,567 events")
        // More done than the total (a count that grew): the bar stays full, nothing negative.
        XCTAssertTrue(ProgressBar.line(label: "x", done: 12, total: 10, unit: "rows", elapsed: 1, width: 60).hasPrefix("x [####"))
    }

    /// Narrow terminals: the rate goes first, then the bar, then the line is cut; it never passes the width.
    func testNarrowWidthsNeverWrap() {
        for width in [0, 1, 10, 20, 30, 45, 60, 200] {
            let line = ProgressBar.line(label: "importing", done: 12_345, total: 50_000, unit: "rows", elapsed: 3, width: width)
            XCTAssertLessThanOrEqual(line.count, width, "\(width): \(line)")
        }
        XCTAssertEqual(ProgressBar.line(label: "importing", done: 12_345, total: 50_000, unit: "rows", elapsed: 3, width: 46),
                       "importing  12,345/50,000 rows (25%)  10 s left")
    }

    func testTimeLeftReadsAsMinutesAndHours() {
        XCTAssertTrue(ProgressBar.line(label: "x", done: 1, total: 200, unit: "rows", elapsed: 1, width: 80).hasSuffix("3 min 19 s left"))
        XCTAssertTrue(ProgressBar.line(label: "x", done: 1, total: 20_000, unit: "rows", elapsed: 1, width: 80).hasSuffix("5 h 33 min left"))
    }

    /// A rate under one a second read "0 parts/s"; parts of very different sizes get no rate or time at all.
    func testSlowRatesAndPartsShowNoMisleadingFigures() {
        let slow = ProgressBar.line(label: "x", done: 2, total: 10, unit: "rows", elapsed: 8, width: 80)
        XCTAssertFalse(slow.contains("rows/s"), slow)
        XCTAssertTrue(slow.hasSuffix("32 s left"), slow)
        let parts = ProgressBar.line(label: "computing", done: 2, total: 5, unit: "parts", elapsed: 8, width: 80, estimates: false)
        XCTAssertTrue(parts.hasSuffix("2/5 parts (40%)"), parts)
    }
}
