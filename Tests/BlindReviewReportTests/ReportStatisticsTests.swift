@testable import BlindReviewReport
import XCTest

final class ReportStatisticsTests: XCTestCase {
    func testWilsonInterval() {
        let interval = ProportionTests.wilson(successes: 8, trials: 10)!
        XCTAssertEqual(interval.low, 0.4902, accuracy: 5e-5)
        XCTAssertEqual(interval.high, 0.9433, accuracy: 5e-5)
        XCTAssertNil(ProportionTests.wilson(successes: 0, trials: 0))
    }

    func testSignTestIsTheExactTwoSidedBinomial() {
        // 2 * (1 + 10) / 1024
        XCTAssertEqual(ProportionTests.signTest(successes: 9, trials: 10), 22.0 / 1024, accuracy: 1e-12)
        XCTAssertEqual(ProportionTests.signTest(successes: 5, trials: 10), 1)
        XCTAssertEqual(ProportionTests.signTest(successes: 0, trials: 0), 1)
        XCTAssertLessThan(ProportionTests.signTest(successes: 600, trials: 1000), 1e-9)
    }

    func testWilcoxonSignedRankByHand() {
        // 1..10 all positive: W+ = 55; exact (no ties, n <= 50): only 2 of the 1024 sign patterns are as extreme.
        let result = WilcoxonSignedRank.test((1...10).map(Double.init))
        XCTAssertEqual(result.wPlus, 55)
        XCTAssertEqual(result.method, .exact)
        XCTAssertEqual(result.p!, 2.0 / 1024, accuracy: 1e-15)
        // Zeros dropped, ties averaged: |d| = 1,1,2 -> ranks 1.5,1.5,3; W+ = 1.5 + 3.
        let tied = WilcoxonSignedRank.test([0, 1, -1, 2])
        XCTAssertEqual(tied.n, 3)
        XCTAssertEqual(tied.wPlus, 4.5)
        XCTAssertNil(WilcoxonSignedRank.test([0, 0]).p)
    }

    func testBradleyTerryOrdersAndIsSymmetric() {
        let equal = BradleyTerry.fit(wins: [[0, 5, 5], [5, 0, 5], [5, 5, 0]])!
        for s in equal { XCTAssertEqual(s, 1.0 / 3, accuracy: 1e-6) }
        let ordered = BradleyTerry.fit(wins: [[0, 8, 9], [2, 0, 7], [1, 3, 0]])!
        XCTAssertGreaterThan(ordered[0], ordered[1])
        XCTAssertGreaterThan(ordered[1], ordered[2])
        XCTAssertEqual(ordered.reduce(0, +), 1, accuracy: 1e-9)
        // Two models: the strength ratio is the win ratio 4, shrunk a little by the N(0, 10) prior.
        let two = BradleyTerry.fit(wins: [[0, 8], [2, 0]])!
        XCTAssertEqual(two[0] / two[1], 4, accuracy: 0.2)
        XCTAssertLessThan(two[0] / two[1], 4)
    }
}
