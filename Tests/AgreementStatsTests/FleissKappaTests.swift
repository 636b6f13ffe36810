import AgreementStats
import XCTest

final class FleissKappaTests: XCTestCase {
    func testFleiss1971Diagnoses() throws {
        let data = try numeric(diagnoses, scale: 1...5)
        let result = FleissKappa.compute(data)
        assertValue(result.kappa, 0.4302, accuracy: 5e-5)
        assertValue(result.kappa, 0.4302445, accuracy: 5e-8)
        XCTAssertEqual(result.z0!, 17.65, accuracy: 5e-3)
        XCTAssertEqual(result.z0!, 17.65183, accuracy: 5e-5)
        XCTAssertLessThan(result.p!, 1e-60)
        // Per-category kappas as R irr reports them (detail = TRUE).
        for (estimate, expected) in zip(result.perCategory, [0.245, 0.245, 0.520, 0.471, 0.566]) {
            assertValue(estimate, expected, accuracy: 5e-4)
        }
        // The missing-data generalisation agrees when nothing is missing.
        assertValue(GwetFleissKappa.compute(data), 0.4302445, accuracy: 5e-8)
    }

    func testWikipediaFourteenRaters() throws {
        let data = try fromCounts([
            [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
        ])
        assertValue(FleissKappa.compute(data).kappa, 0.210, accuracy: 5e-4)
    }

    func testUnequalRatingsPerItemIsExplainedAndGwetCoversIt() throws {
        let data = try numeric([[1, 1, 2], [2, 2, 0], [1, 1, 1], [2, 1, 0]], scale: 1...2)
        assertUndefined(FleissKappa.compute(data).kappa, containing: "different numbers of ratings")
        XCTAssertNotNil(GwetFleissKappa.compute(data).value)
    }

    func testPerCategoryKappaOfAnUnusedCategoryIsExplained() throws {
        let data = try numeric([[1, 1], [2, 2], [1, 2]], scale: 1...3)
        let result = FleissKappa.compute(data)
        assertUndefined(result.perCategory[2], containing: "never used")
        XCTAssertNotNil(result.perCategory[0].value)
    }

    func testCongerEqualsCohenForTwoRatersWithoutMissingData() throws {
        let data = try fromTable([[0, 4, 1], [0, 8, 0], [0, 1, 5]], categories: ["a", "b", "c"])
        assertValue(CongerKappa.compute(data), 0.4842, accuracy: 5e-5)
        let cohen = CohenKappa.compute(ContingencyTable(data, first: 0, second: 1)).kappa.value!
        assertValue(CongerKappa.compute(data), cohen, accuracy: 1e-12)
    }

    func testCongerOnDiagnosesLiesNearFleiss() throws {
        // With many raters Conger's kappa is close to Fleiss' (their chance terms differ only by rater spread).
        let value = CongerKappa.compute(try numeric(diagnoses, scale: 1...5)).value!
        XCTAssertEqual(value, 0.4302, accuracy: 0.05)
        XCTAssertGreaterThanOrEqual(value, 0.4302445 - 1e-12)
    }
}
