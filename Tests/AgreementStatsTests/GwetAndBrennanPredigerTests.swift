import AgreementStats
import XCTest

final class GwetAndBrennanPredigerTests: XCTestCase {
    func testAbstractorsAC1AndBrennanPrediger() throws {
        let data = try fromTable([[13, 0, 0], [0, 20, 7], [0, 4, 56]], categories: ["Ectopic", "AIU", "NIU"])
        assertValue(GwetAC.compute(data, weights: .identity(count: 3)), 0.8493, accuracy: 5e-5)
        assertValue(GwetAC.compute(data, weights: .identity(count: 3)), 0.8493305, accuracy: 5e-7)
        assertValue(BrennanPrediger.compute(data), 0.835, accuracy: 5e-4)
        assertValue(PercentAgreement.pairwise(data), 0.89, accuracy: 1e-12)
    }

    func testAC1StaysDefinedWhenEveryoneUsesOneCategory() throws {
        let data = try numeric([[3, 3, 3], [3, 3, 3], [3, 3, 0]], scale: 1...5)
        assertValue(GwetAC.compute(data, weights: .identity(count: 5)), 1, accuracy: 1e-12)
        assertValue(GwetAC.compute(data, weights: .quadratic(values: [1, 2, 3, 4, 5])), 1, accuracy: 1e-12)
        assertValue(BrennanPrediger.compute(data), 1, accuracy: 1e-12)
        assertUndefined(FleissKappa.compute(try numeric([[3, 3, 3], [3, 3, 3]], scale: 1...5)).kappa, containing: "one category")
        assertUndefined(GwetFleissKappa.compute(data), containing: "one category")
        assertValue(PercentAgreement.unanimous(data), 1, accuracy: 1e-12)
    }

    func testDeclaredButUnusedCategoriesChangeChanceAgreementOnlyWhereTheyShould() throws {
        let rows = [[1, 1], [2, 2], [1, 2], [2, 2]]
        let two = try numeric(rows, scale: 1...2)
        let five = try numeric(rows, scale: 1...5)
        // Brennan-Prediger's chance is 1/q: more declared categories, less chance agreement.
        assertValue(BrennanPrediger.compute(two), (0.75 - 0.5) / 0.5, accuracy: 1e-12)
        assertValue(BrennanPrediger.compute(five), (0.75 - 0.2) / 0.8, accuracy: 1e-12)
        // Fleiss' kappa depends only on the categories used.
        XCTAssertEqual(FleissKappa.compute(two).kappa.value!, FleissKappa.compute(five).kappa.value!, accuracy: 1e-12)
    }

    func testAC2QuadraticOnKrippendorffData() throws {
        // Weighted pa with quadratic weights on 1-5; checked by hand-computation via the nominal identity:
        // with identity weights AC2 equals AC1.
        let data = try numeric(krippendorff2011, scale: 1...5)
        let ac1 = GwetAC.compute(data, weights: .identity(count: 5)).value!
        let ac2 = GwetAC.compute(data, weights: .quadratic(values: [1, 2, 3, 4, 5])).value!
        XCTAssertGreaterThan(ac2, ac1, "near misses count as partial agreement")
        XCTAssertLessThanOrEqual(ac2, 1)
    }
}
