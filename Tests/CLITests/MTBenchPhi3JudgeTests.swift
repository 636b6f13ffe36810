import Foundation
import XCTest

/// The MT-Bench Phi-3 study end to end: Phi-3 against a DPO-tuned Phi-3 on MT-Bench's first turns, GPT-4's 75
/// pairwise verdicts imported as a judge, a few pairs judged by people, and the report's judge section.
final class MTBenchPhi3JudgeTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws { folder = try makeTemporaryFolder() }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func testGPT4VerdictsGiveThePublishedPositionConsistencyAndWinRate() throws {
        guard let shared = sharedDataFolder() else { throw XCTSkip("../shared/data is absent") }
        let phi3 = shared.appendingPathComponent("mt-bench-phi3")
        let questions = shared.appendingPathComponent("mt-bench/question.jsonl").path
        let verdicts = phi3.appendingPathComponent("gpt-4_pair.jsonl").path
        func create(_ name: String, _ extra: [String]) throws -> CommandResult {
            try runBlindReview([
                "create", name, "--questions", questions,
                "--model", "phi-3=" + phi3.appendingPathComponent("phi-3.jsonl").path,
                "--model", "phi-3-dpo=" + phi3.appendingPathComponent("phi-3-dpo.jsonl").path,
                "--annotators", "alice,bob",
            ] + extra, in: folder)
        }
        // The verdicts judge turn 1: a study showing both turns refuses them, naming the fix.
        XCTAssertEqual(try create("both", []).status, 0)
        let refused = try runBlindReview(["import-judge", "both", verdicts, "--judge", "gpt-4"], in: folder)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("gpt-4_pair.jsonl:1: this verdict judges turn 1, but the study shows 2 turns"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--turns 1"), refused.stderr)

        let made = try create("phi3", ["--turns", "1"])
        XCTAssertEqual(made.status, 0, made.stderr)
        let imported = try runBlindReview(["import-judge", "phi3", verdicts, "--judge", "gpt-4", "--format", "json"], in: folder)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let summary = try JSONSerialization.jsonObject(with: Data(imported.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(summary["pairs"] as? Int, 75, "80 answers, 75 verdicts")
        XCTAssertEqual(summary["games"] as? Int, 150)
        XCTAssertEqual(summary["errors"] as? Int, 3, "one pair with an error in one game, one in both")
        let again = try runBlindReview(["import-judge", "phi3", verdicts, "--judge", "gpt-4"], in: folder)
        XCTAssertTrue(again.stdout.contains("imported 0 verdicts") && again.stdout.contains("150 already imported"), again.stdout)
        // The judge's journal is blinded like any other.
        let journal = try String(contentsOf: folder.appendingPathComponent("sessions/phi3/journals/gpt-4.jsonl"), encoding: .utf8)
        XCTAssertFalse(journal.contains("phi-3"))

        // People judge a few pairs (by the prompts' own ids, relative to the --model order: a = phi-3).
        let labels = "id,annotator,preference\n81,alice,b\n82,alice,a\n83,alice,tie\n81,bob,b\n82,bob,b\n83,bob,tie\n"
        try Data(labels.utf8).write(to: folder.appendingPathComponent("labels.csv"))
        let people = try runBlindReview(["import", "phi3", "labels.csv"], in: folder)
        XCTAssertEqual(people.status, 0, people.stderr)

        let report = try runBlindReview(["report", "phi3", "--format", "json", "--bootstrap", "200"], in: folder)
        XCTAssertEqual(report.status, 0, report.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as! [String: Any]
        let judge = try XCTUnwrap((json["judges"] as? [[String: Any]])?.first)
        let position = judge["position_consistency"] as! [String: Any]
        XCTAssertEqual(position["both_orders"] as? Int, 75)
        XCTAssertEqual(position["consistent"] as? Int, 46)
        XCTAssertEqual(position["consistent_by_model"] as? [String: Int], ["phi-3": 18, "phi-3-dpo": 20])
        XCTAssertEqual(position["consistent_ties"] as? Int, 8)
        XCTAssertEqual(position["first_position"] as? Int, 16)
        XCTAssertEqual(position["second_position"] as? Int, 2)
        XCTAssertEqual(position["tie_in_one_order"] as? Int, 9)
        XCTAssertEqual(position["error"] as? Int, 2)
        let rate = try XCTUnwrap((judge["win_rates"] as? [[String: Any]])?.first)
        XCTAssertEqual(rate["models"] as? [String], ["phi-3-dpo", "phi-3"])
        let consistent = rate["consistent"] as! [String: Any]
        XCTAssertEqual(consistent["win_rate_ties_half"] as! Double, 24.0 / 46, accuracy: 1e-12)
        XCTAssertEqual(String(format: "%.3f", consistent["win_rate_ties_half"] as! Double), "0.522")
        XCTAssertEqual(String(format: "%.3f", consistent["win_rate_no_ties"] as! Double), "0.526")
        // Agreement with the two people on their three pairs; the people are still the only annotators.
        XCTAssertEqual((judge["agreement"] as! [[String: Any]]).map { $0["against"] as! String }, ["alice", "bob", "majority"])
        XCTAssertEqual((json["coverage"] as! [String: Any])["annotators"].map { ($0 as! [[String: Any]]).count }, 2)
        let text = try runBlindReview(["report", "phi3", "--bootstrap", "100"], in: folder)
        XCTAssertTrue(text.stdout.contains("the same verdict in both orders (18 phi-3, 20 phi-3-dpo, 8 ties): pairs 46"), text.stdout)
    }
}
