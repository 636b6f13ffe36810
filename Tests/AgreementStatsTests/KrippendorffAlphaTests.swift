import AgreementStats
import XCTest

final class KrippendorffAlphaTests: XCTestCase {
    func testKrippendorff2011AllLevels() throws {
        let data = try numeric(krippendorff2011, scale: 1...5)
        assertValue(KrippendorffAlpha.compute(data, level: .nominal), 0.743, accuracy: 5e-4)
        assertValue(KrippendorffAlpha.compute(data, level: .ordinal), 0.815, accuracy: 5e-4)
        assertValue(KrippendorffAlpha.compute(data, level: .interval), 0.849, accuracy: 5e-4)
        assertValue(KrippendorffAlpha.compute(data, level: .ratio), 0.797, accuracy: 5e-4)
    }

    func testUnitsWithOneValueAreIgnored() throws {
        let base = try numeric(krippendorff2011, scale: 1...5)
        let extra = try numeric(krippendorff2011 + [[0, 0, 4, 0], [5, 0, 0, 0]], scale: 1...5)
        XCTAssertEqual(KrippendorffAlpha.compute(base, level: .nominal), KrippendorffAlpha.compute(extra, level: .nominal))
    }

    func testNominalAlphaOnLabels() throws {
        let data = try ratings([["a", "a"], ["b", "b"], ["a", "b"], ["b", "b"]], categories: ["a", "b"])
        // Coincidences: o_aa = 2, o_ab = o_ba = 1, o_bb = 4; n = 8; n_a = 3, n_b = 5.
        // alpha = 1 - 7 * 2 / (2 * 3 * 5) = 0.5333
        assertValue(KrippendorffAlpha.compute(data, level: .nominal), 1 - 7.0 * 2 / 30, accuracy: 1e-12)
        assertUndefined(KrippendorffAlpha.compute(data, level: .interval), containing: "numeric categories")
    }

    func testPerfectAgreementAndSingleValue() throws {
        assertValue(KrippendorffAlpha.compute(try numeric([[1, 1], [2, 2], [3, 3]], scale: 1...3), level: .interval), 1, accuracy: 1e-12)
        assertUndefined(KrippendorffAlpha.compute(try numeric([[2, 2], [2, 2]], scale: 1...3), level: .nominal), containing: "expected disagreement is 0")
        assertUndefined(KrippendorffAlpha.compute(try numeric([[2, 0], [0, 3]], scale: 1...3), level: .nominal), containing: "no item")
    }
}
