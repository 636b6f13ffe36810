import AgreementStats
@testable import BlindReviewReport
import XCTest

/// Agreement between two sources of labels with pair-cluster intervals (the judge section's figures).
final class PairClusterAgreementTests: XCTestCase {
    typealias C = PairClusterAgreement.Comparison

    func testNothingToCompare() {
        let result = PairClusterAgreement.estimate([], replicates: 100, seed: 1)
        XCTAssertEqual(result.pairs, 0)
        XCTAssertNil(result.withTies)
        XCTAssertNil(result.withoutTies)
        XCTAssertNil(result.kappa.value)
        XCTAssertNil(result.withTiesInterval)
    }

    func testOneAndTwoComparisons() {
        let one = PairClusterAgreement.estimate([C(pair: 0, x: 0, y: 0)], replicates: 50, seed: 1)
        XCTAssertEqual(one.withTies, 1)
        XCTAssertEqual(one.withoutTies, 1)
        XCTAssertEqual(one.withTiesInterval?.low, 1)
        XCTAssertEqual(one.withTiesInterval?.high, 1)
        // A tie against a preference: counted with ties, left out without.
        let two = PairClusterAgreement.estimate([C(pair: 0, x: 0, y: 0), C(pair: 1, x: 1, y: 2)], replicates: 0, seed: 1)
        XCTAssertEqual(two.withTies, 0.5)
        XCTAssertEqual(two.withoutTies, 1)
        XCTAssertEqual(two.comparisonsWithoutTies, 1)
        XCTAssertNil(two.withTiesInterval, "no resamples asked")
    }

    func testOnlyTiesLeaveKappaUndefinedWithItsReason() {
        let result = PairClusterAgreement.estimate([C(pair: 0, x: 1, y: 1), C(pair: 1, x: 1, y: 1)], replicates: 0, seed: 1)
        XCTAssertEqual(result.withTies, 1)
        XCTAssertNil(result.withoutTies)
        XCTAssertNotNil(result.kappa.reason)
    }

    func testKappaIsTheOrientationFreeCohenKappaAndFreeOfOrientation() {
        let labels = [(0, 0), (0, 2), (1, 1), (2, 2), (2, 1), (0, 0), (1, 0), (2, 2)]
        let comparisons = labels.enumerated().map { C(pair: $0.offset, x: $0.element.0, y: $0.element.1) }
        let result = PairClusterAgreement.estimate(comparisons, replicates: 0, seed: 1)
        XCTAssertEqual(result.kappa.value!, OrientationFreeAgreement.cohenKappa(labels).value!, accuracy: 1e-12)
        // Flipping which response is "first" on any pair changes nothing.
        let flipped = comparisons.map { $0.pair % 2 == 0 ? C(pair: $0.pair, x: 2 - $0.x, y: 2 - $0.y) : $0 }
        XCTAssertEqual(PairClusterAgreement.estimate(flipped, replicates: 0, seed: 1).kappa.value!, result.kappa.value!, accuracy: 1e-12)
    }

    func testIntervalsResamplePairsWithAllTheirComparisons() {
        // Pair 0 holds three agreeing comparisons, pair 1 three disagreeing ones: a resample draws whole pairs, so
        // only 0, 1/2 and 1 can come out.
        let comparisons = [C(pair: 0, x: 0, y: 0), C(pair: 0, x: 0, y: 0), C(pair: 0, x: 2, y: 2), C(pair: 1, x: 0, y: 2), C(pair: 1, x: 2, y: 0), C(pair: 1, x: 0, y: 2)]
        let result = PairClusterAgreement.estimate(comparisons, replicates: 400, seed: 9)
        XCTAssertEqual(result.withTies, 0.5)
        XCTAssertEqual(result.withTiesInterval?.low, 0)
        XCTAssertEqual(result.withTiesInterval?.high, 1)
        XCTAssertEqual(result.withTiesInterval?.resampled, "pairs with all their votes")
        XCTAssertEqual(PairClusterAgreement.estimate(comparisons, replicates: 400, seed: 9).withTiesInterval, result.withTiesInterval, "the same seed, the same interval")
    }
}
