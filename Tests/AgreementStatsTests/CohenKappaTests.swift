import AgreementStats
import XCTest

final class CohenKappaTests: XCTestCase {
    func testCohensTwoByTwo() {
        let result = CohenKappa.compute(ContingencyTable(cells: [[20, 5], [10, 15]]))
        assertValue(result.kappa, 0.4, accuracy: 1e-12)
    }

    func testSASThreeByThreeWithStandardErrors() {
        let table = ContingencyTable(cells: [[0, 4, 1], [0, 8, 0], [0, 1, 5]])
        let simple = CohenKappa.compute(table)
        assertValue(simple.kappa, 0.4842, accuracy: 5e-5)
        XCTAssertEqual(simple.ase!, 0.1380, accuracy: 5e-5)
        XCTAssertEqual(simple.ase0!, 0.1484, accuracy: 5e-5)
        XCTAssertEqual(simple.z!, 3.2626, accuracy: 5e-5)
        XCTAssertEqual(simple.p!, 0.0011, accuracy: 5e-5)
        let linear = CohenKappa.compute(table, weights: .linear(values: [1, 2, 3]))
        assertValue(linear.kappa, 0.4701, accuracy: 5e-5)
        XCTAssertEqual(linear.ase!, 0.1457, accuracy: 5e-5)
        XCTAssertEqual(linear.ase0!, 0.1426, accuracy: 5e-5)
        XCTAssertEqual(linear.z!, 3.2971, accuracy: 5e-5)
    }

    func testAbstractorsTableCohenAndScott() {
        let table = ContingencyTable(cells: [[13, 0, 0], [0, 20, 7], [0, 4, 56]])
        assertValue(CohenKappa.compute(table).kappa, 0.7964094, accuracy: 5e-7)
        assertValue(ScottPi.compute(table), 0.796, accuracy: 5e-4)
        assertValue(table.percentAgreement, 0.89, accuracy: 1e-12)
    }

    func testIrrAnxietyRaters2And3WithAnUnusedCategory() throws {
        // R irr kappa2(anxiety[, 2:3]): -0.006289308, z -0.0604067. Category 4 is never used by these two raters;
        // declaring it must not change unweighted kappa.
        let anxiety = [
            3, 3, 3, 4, 5, 5, 2, 3, 5, 2, 2, 6, 1, 5, 2, 2, 1, 2, 4, 3, 3, 6, 4,
            6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4, 2, 1, 4, 4, 3, 2,
            1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2,
        ]
        // Column-major 20 x 3, as published.
        let rows = (0..<20).map { [anxiety[20 + $0], anxiety[40 + $0]] }
        let data = try numeric(rows, scale: 1...6)
        let result = CohenKappa.compute(ContingencyTable(data, first: 0, second: 1))
        assertValue(result.kappa, -0.006289308, accuracy: 5e-9)
        XCTAssertEqual(result.z!, -0.0604067, accuracy: 5e-7)
        XCTAssertEqual(result.p!, 0.9518317, accuracy: 5e-7)
    }

    func testNoSharedItemsAndSingleCategoryAreUndefinedNotNaN() {
        assertUndefined(CohenKappa.compute(ContingencyTable(cells: [[0, 0], [0, 0]])).kappa, containing: "no item")
        assertUndefined(CohenKappa.compute(ContingencyTable(cells: [[9, 0], [0, 0]])).kappa, containing: "single category")
        assertUndefined(ScottPi.compute(ContingencyTable(cells: [[9, 0], [0, 0]])), containing: "single category")
    }

    func testTotalDisagreementIsMinusOne() {
        assertValue(CohenKappa.compute(ContingencyTable(cells: [[0, 5], [5, 0]])).kappa, -1, accuracy: 1e-12)
    }
}
