import AgreementStats
import Foundation
import XCTest

final class SummaryAndBootstrapTests: XCTestCase {
    func testPercentAgreementByHand() throws {
        let data = try ratings([["a", "a", "a"], ["a", "a", "b"], ["b", nil, nil]], categories: ["a", "b"])
        assertValue(PercentAgreement.pairwise(data), (1 + 1.0 / 3) / 2, accuracy: 1e-12)
        assertValue(PercentAgreement.unanimous(data), 0.5, accuracy: 1e-12)
        assertUndefined(PercentAgreement.pairwise(try ratings([["a", nil], [nil, "b"]], categories: ["a", "b"])), containing: "no item")
    }

    func testHeavyMissingDataStaysDefinedWhereItCan() throws {
        // 5 raters, each item rated by two or three of them.
        var rows: [[Int]] = []
        var rng = 17
        for item in 0..<60 {
            var row = [Int](repeating: 0, count: 5)
            let truth = 1 + item % 4
            for rater in 0..<5 {
                rng = (rng * 1_103_515_245 + 12345) % 2_147_483_648
                if (rater + item) % 5 < 2 + item % 2 { row[rater] = rng % 10 < 8 ? truth : 1 + rng % 4 }
            }
            rows.append(row)
        }
        let data = try numeric(rows, scale: 1...4)
        let summary = AgreementSummary.compute(data, level: .interval)
        assertUndefined(summary.coefficients["fleiss_kappa"]!, containing: "different numbers of ratings")
        for key in ["fleiss_kappa_gwet", "conger_kappa", "kripp_alpha_nominal", "kripp_alpha_interval", "gwet_ac1", "brennan_prediger"] {
            let value = summary.coefficients[key]!.value
            XCTAssertNotNil(value, key)
            XCTAssertGreaterThan(value!, 0.4, key)
            XCTAssertLessThan(value!, 1.0, key)
        }
    }

    func testSummaryAtNominalLevelMarksOrderedCoefficientsNotApplicable() throws {
        let summary = AgreementSummary.compute(try numeric(diagnoses, scale: 1...5), level: .nominal)
        assertValue(summary.coefficients["fleiss_kappa"]!, 0.4302445, accuracy: 1e-7)
        assertUndefined(summary.coefficients["kripp_alpha_ordinal"]!, containing: "not applicable")
        assertUndefined(summary.coefficients["gwet_ac2_linear"]!, containing: "level ordinal")
        XCTAssertEqual(summary.pairs.count, 15)
        XCTAssertTrue(summary.notes.contains { $0.hasPrefix("kripp_alpha_ratio: not applicable") })
    }

    func testJSONHasEveryDocumentedKeyAndNullsWithNotes() throws {
        let data = try numeric([[2, 2], [2, 2]], scale: 1...3)
        let json = AgreementSummary.compute(data, level: .ordinal).json().rendered()
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        for key in ["items", "raters", "ratings", "level", "categories", "percent_agreement_pairwise", "percent_agreement_unanimous",
                    "fleiss_kappa", "fleiss_kappa_se0", "fleiss_kappa_z0", "fleiss_kappa_gwet", "conger_kappa", "kripp_alpha_nominal",
                    "kripp_alpha_ordinal", "kripp_alpha_interval", "kripp_alpha_ratio", "gwet_ac1", "gwet_ac2_linear",
                    "gwet_ac2_quadratic", "brennan_prediger", "cohen_kappa_mean_pairwise", "pairs", "notes"] {
            XCTAssertNotNil(object[key], key)
        }
        XCTAssertTrue(object["fleiss_kappa"] is NSNull)
        XCTAssertEqual(object["gwet_ac1"] as? Double, 1)
        let notes = object["notes"] as! [String]
        XCTAssertTrue(notes.contains { $0.hasPrefix("fleiss_kappa:") })
        let pair = (object["pairs"] as! [[String: Any]])[0]
        XCTAssertEqual(pair["raters"] as! [String], ["r1", "r2"])
        XCTAssertEqual(pair["n_items_both_rated"] as? Int, 2)
        for key in ["percent_agreement", "cohen_kappa", "cohen_kappa_ase", "cohen_kappa_linear", "cohen_kappa_quadratic", "scott_pi"] {
            XCTAssertTrue(pair.keys.contains(key), key)
        }
        XCTAssertFalse(json.contains(": nan") || json.contains(": inf") || json.contains(": -inf"), json)
    }

    func testBootstrapIsReproducibleAndBracketsTheEstimate() throws {
        let data = try numeric(diagnoses, scale: 1...5)
        let one = AgreementSummary.compute(data, level: .interval, bootstrap: 300, seed: 11)
        let two = AgreementSummary.compute(data, level: .interval, bootstrap: 300, seed: 11)
        let other = AgreementSummary.compute(data, level: .interval, bootstrap: 300, seed: 12)
        XCTAssertEqual(one.bootstrap, two.bootstrap)
        XCTAssertNotEqual(one.bootstrap, other.bootstrap)
        let interval = one.bootstrap!["fleiss_kappa"]!
        XCTAssertLessThan(interval.low!, 0.4302445)
        XCTAssertGreaterThan(interval.high!, 0.4302445)
        XCTAssertLessThan(interval.high! - interval.low!, 0.4)
        XCTAssertEqual(interval.defined, 300)
        XCTAssertTrue(one.text().contains("95% CI"))
    }

    func testQuantileInterpolatesLikeRType7() {
        XCTAssertEqual(PercentileBootstrap.quantile([1, 2, 3, 4], 0.5), 2.5)
        XCTAssertEqual(PercentileBootstrap.quantile([1, 2, 3, 4, 5], 0.025), 1.1, accuracy: 1e-12)
        XCTAssertEqual(PercentileBootstrap.quantile([7], 0.975), 7)
    }

    func testInterpretationBands() {
        XCTAssertEqual(Interpretation.kappa(-0.1), "poor")
        XCTAssertEqual(Interpretation.kappa(0.2), "slight")
        XCTAssertEqual(Interpretation.kappa(0.43), "moderate")
        XCTAssertEqual(Interpretation.kappa(0.85), "almost perfect")
        XCTAssertEqual(Interpretation.alpha(0.8), "reliable")
        XCTAssertEqual(Interpretation.alpha(0.7), "tentative")
        XCTAssertEqual(Interpretation.alpha(0.5), "unreliable")
    }

    func testPandaLMAnnotatorsReproducePublishedKappas() throws {
        guard let shared = sharedDataFolder() else { throw XCTSkip("../shared/data is absent") }
        let url = shared.appendingPathComponent("pandalm/testset-v1.json")
        let pairs = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [[String: Any]]
        XCTAssertEqual(pairs.count, 999)
        let rows: [[String?]] = pairs.map { pair in
            ["annotator1", "annotator2", "annotator3"].map { "\(pair[$0]!)" }
        }
        let data = try ratings(rows, categories: ["0", "1", "2"])
        let summary = AgreementSummary.compute(data, level: .nominal)
        let kappas = summary.pairs.map { ($0.cohen.kappa.value! * 100).rounded() / 100 }
        // Published (PandaLM README): 0.85, 0.88, 0.86 between the three annotators.
        XCTAssertEqual(kappas, [0.85, 0.88, 0.86])
    }
}
