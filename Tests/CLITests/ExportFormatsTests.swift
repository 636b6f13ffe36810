import Foundation
import XCTest

/// Exports for the tools people already use: FastChat's MT-Bench judgments, pseudonymous annotators, a
/// dataset card beside the DPO file.
final class ExportFormatsTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder()
        let pairs = (1...4).map { #"{"id": "\#(80 + $0)", "prompt": "Q\#($0)?", "response_a": "a\#($0)", "response_b": "b\#($0) longer", "mapping": {"a": "base", "b": "tuned"}}"# }
        try Data(pairs.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("pairs.jsonl"))
        XCTAssertEqual(try runBlindReview(["create", "s", "--pairs", "pairs.jsonl", "--annotators", "alice,bob"], in: folder).status, 0)
        let labels = "id,annotator,preference,accuracy_a,accuracy_b\n81,alice,b,2,4\n81,bob,b,3,4\n82,alice,a,4,2\n82,bob,tie,3,3\n83,alice,b,2,5\n83,bob,b,1,4\n84,alice,b,3,4\n84,bob,a,4,3\n"
        try Data(labels.utf8).write(to: folder.appendingPathComponent("labels.csv"))
        XCTAssertEqual(try runBlindReview(["import", "s", "labels.csv"], in: folder).status, 0)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func lines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    func testImportSpeaksJSON() throws {
        let again = try runBlindReview(["import", "s", "labels.csv", "--format", "json"], in: folder)
        XCTAssertEqual(again.status, 0, again.stderr)
        let summary = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(summary["already_imported"] as? Int, 8, "the same rows again")
        XCTAssertEqual(summary["imported"] as? Int, 0, "nothing new written")
        XCTAssertEqual(summary["replaced"] as? Int, 0)
    }

    func testMTBenchJudgmentsUseModelOrderNotSides() throws {
        let result = try runBlindReview(["export", "s", "--format", "mtbench"], in: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        let rows = try lines(result.stdout)
        XCTAssertEqual(rows.count, 8)
        for row in rows {
            XCTAssertEqual(Set(row.keys), ["question_id", "model_a", "model_b", "winner", "judge", "turn"])
            XCTAssertEqual(row["model_a"] as? String, "base")
            XCTAssertEqual(row["model_b"] as? String, "tuned")
            XCTAssertEqual(row["turn"] as? Int, 1)
        }
        let q82 = rows.filter { $0["question_id"] as? Int == 82 }
        XCTAssertEqual(Set(q82.map { "\($0["judge"]!)=\($0["winner"]!)" }), ["alice=model_a", "bob=tie"], "integer ids stay numbers")
    }

    func testPseudonymsAreStableAndHideNames() throws {
        let first = try runBlindReview(["export", "s", "--format", "csv", "--pseudonymize"], in: folder)
        let second = try runBlindReview(["export", "s", "--format", "mtbench", "--pseudonymize"], in: folder)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertFalse(first.stdout.contains("alice") || first.stdout.contains("bob") || second.stdout.contains("alice"))
        let names = Set(try lines(second.stdout).map { $0["judge"] as! String })
        XCTAssertEqual(names.count, 2)
        for name in names {
            XCTAssertNotNil(name.range(of: "^annotator-[0-9a-f]{8}$", options: .regularExpression), name)
            XCTAssertTrue(first.stdout.contains(name), "the same pseudonym in every export")
        }
    }

    func testDPOWritesADatasetCard() throws {
        let result = try runBlindReview(["export", "s", "--format", "dpo", "--output", "dpo.jsonl", "--card", "README.md", "--license", "cc-by-4.0"], in: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        let card = try String(contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8)
        let study = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("sessions/s/study.json"))) as! [String: Any]
        XCTAssertTrue(card.hasPrefix("---\nlicense: cc-by-4.0\n"), card)
        XCTAssertTrue(card.contains("Study id: `\(study["study_id"] as! String)`"), card)
        XCTAssertTrue(card.contains("Models compared: `base`, `tuned`"))
        XCTAssertTrue(card.contains("- Rows: 2; left out: 1 split, 1 tie majority."), card)
        XCTAssertTrue(card.contains("Preference: Fleiss' kappa"), card)
        let key = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("sessions/.keys/s.json"))) as! [String: Any]
        XCTAssertFalse(card.contains(key["secret"] as! String), "nothing secret from the key")
        XCTAssertEqual(try runBlindReview(["export", "s", "--format", "csv", "--card", "x.md"], in: folder).status, 64, "--card goes with dpo")
    }
}
