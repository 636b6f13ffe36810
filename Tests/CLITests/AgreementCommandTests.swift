import Foundation
import XCTest

final class AgreementCommandTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder()
        // Krippendorff (2011) reliability data, long form, with missing ratings as absent rows.
        let observers = [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3],
            [0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0],
        ]
        var csv = "item,rater,value\n"
        for (o, row) in observers.enumerated() {
            for (unit, value) in row.enumerated() where value > 0 { csv += "u\(unit + 1),obs\(o + 1),\(value)\n" }
        }
        try Data(csv.utf8).write(to: folder.appendingPathComponent("k.csv"))
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func testJSONOutputCarriesPublishedAlphas() throws {
        let result = try runBlindReview(["agreement", "k.csv", "--level", "ratio", "--format", "json"], in: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(json["items"] as? Int, 12)
        XCTAssertEqual(json["raters"] as? Int, 4)
        XCTAssertEqual(json["level"] as? String, "ratio")
        XCTAssertEqual(json["kripp_alpha_nominal"] as! Double, 0.743, accuracy: 5e-4)
        XCTAssertEqual(json["kripp_alpha_ordinal"] as! Double, 0.815, accuracy: 5e-4)
        XCTAssertEqual(json["kripp_alpha_interval"] as! Double, 0.849, accuracy: 5e-4)
        XCTAssertEqual(json["kripp_alpha_ratio"] as! Double, 0.797, accuracy: 5e-4)
        XCTAssertTrue(json["fleiss_kappa"] is NSNull)
        XCTAssertEqual((json["pairs"] as! [Any]).count, 6)
    }

    func testTextOutputAndBootstrap() throws {
        let result = try runBlindReview(["agreement", "k.csv", "--level", "interval", "--bootstrap", "200", "--seed", "3"], in: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Krippendorff's alpha, interval         0.849"), result.stdout)
        XCTAssertTrue(result.stdout.contains("95% CI"))
        XCTAssertTrue(result.stdout.contains("fleiss_kappa: items have different numbers of ratings"))
        let again = try runBlindReview(["agreement", "k.csv", "--level", "interval", "--bootstrap", "200", "--seed", "3"], in: folder)
        XCTAssertEqual(again.stdout, result.stdout)
    }

    func testBadInputIsOneClearLine() throws {
        try Data("item,rater,value\nu1,a,1\nu1,a,2\n".utf8).write(to: folder.appendingPathComponent("dup.csv"))
        let dup = try runBlindReview(["agreement", "dup.csv", "--level", "nominal"], in: folder)
        XCTAssertEqual(dup.status, 1)
        XCTAssertTrue(dup.stderr.contains("dup.csv:3"), dup.stderr)
        let unknown = try runBlindReview(["agreement", "k.csv", "--level", "nominal", "--categories", "1,2,3"], in: folder)
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("is not one of the categories"), unknown.stderr)
        let level = try runBlindReview(["agreement", "k.csv", "--level", "fuzzy"], in: folder)
        XCTAssertNotEqual(level.status, 0)
        XCTAssertTrue(level.stderr.contains("fuzzy"), level.stderr)
    }
}
